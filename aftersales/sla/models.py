"""Service-level clocks, stored: the policies loaded, one clock per subject and target, what happened
to each clock, and each escalation raised.

A clock belongs to a *subject*, any piece of work another app owns, named by a kind and an id
(``("dispute", "D-7K3Q")``): this app imports none of them. The row holds what the pure clock
(``rules.clock``) holds — the budget, the time consumed up to ``running_since`` and that moment —
never a deadline to be moved: the deadline is worked out from them. ``due_at`` keeps the latest
result, for ordering queues in the database, and is worked out again at every change.
``next_check_at`` is the next moment an escalation step or the breach comes due, for the worker;
``breached_at`` the moment the budget ran out, once the worker has raised the breach.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SlaPolicy(models.Model):
    """One loaded version of a service-level policy file (``policies/sla/*.toml``)."""

    policy_id = models.SlugField(_("policy"), max_length=64)
    version = models.CharField(_("version"), max_length=32)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    source_text = models.TextField(_("policy file"))
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("service-level policy")
        verbose_name_plural = _("service-level policies")
        constraints = [
            models.UniqueConstraint(fields=["policy_id", "version"], name="sla_policy_version_once"),
            models.UniqueConstraint(fields=["policy_id", "effective_from"], name="sla_policy_date_once"),
            models.CheckConstraint(condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                                   name="sla_policy_dates_in_order"),
        ]

    @property
    def label(self) -> str:
        return f"{self.policy_id}@{self.version}"


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")


class Clock(models.Model):
    subject_kind = models.CharField(_("kind of work"), max_length=40)
    subject_id = models.CharField(_("work"), max_length=64)
    target = models.CharField(_("target"), max_length=20)
    policy = models.CharField(_("policy version"), max_length=100)  # id@version
    priority = models.CharField(_("priority"), max_length=20)
    centre = models.ForeignKey("centres.ServiceCentre", null=True, blank=True, on_delete=models.PROTECT,
                               verbose_name=_("service centre"))
    budget = models.PositiveIntegerField(_("budget (seconds)"))
    consumed = models.PositiveIntegerField(_("consumed (seconds)"), default=0)
    running_since = models.DateTimeField(_("running since"), null=True, blank=True)
    ran_out_at = models.DateTimeField(_("ran out at"), null=True, blank=True)
    # The deadline the fields above give, worked out again at every change (while the clock runs
    # it does not change by itself): for ordering queues in the database, never moved on its own.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    state = models.CharField(_("state"), max_length=8, choices=ClockState.choices)
    paused_for = models.CharField(_("paused for"), max_length=40, blank=True)
    started_at = models.DateTimeField(_("started at"))
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    next_check_at = models.DateTimeField(_("next check at"), null=True, blank=True, db_index=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("owner"))
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("team lead"))
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("manager"))
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("service-level clock")
        verbose_name_plural = _("service-level clocks")
        constraints = [
            models.UniqueConstraint(fields=["subject_kind", "subject_id", "target"], name="sla_clock_once_per_target"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="sla_clock_budget_positive"),
            models.CheckConstraint(condition=Q(state__in=ClockState.values), name="sla_clock_state_known"),
            models.CheckConstraint(condition=Q(state=ClockState.RUNNING, running_since__isnull=False)
                                   | (~Q(state=ClockState.RUNNING) & Q(running_since__isnull=True)),
                                   name="sla_clock_runs_iff_running"),
            models.CheckConstraint(condition=Q(state=ClockState.STOPPED, stopped_at__isnull=False)
                                   | (~Q(state=ClockState.STOPPED) & Q(stopped_at__isnull=True)),
                                   name="sla_clock_stopped_iff_stopped"),
        ]

    def __str__(self):
        return f"{self.subject_kind}:{self.subject_id} {self.target} ({self.state})"


class ClockEventKind(models.TextChoices):
    STARTED = "started", _("Started")
    PAUSED = "paused", _("Paused")
    RESUMED = "resumed", _("Resumed")
    CHANGED = "changed", _("Budget changed")
    STOPPED = "stopped", _("Stopped")
    ESCALATED = "escalated", _("Escalated")
    BREACHED = "breached", _("Breached")


class ClockEvent(models.Model):
    """What happened to a clock: ``at`` is the moment it took effect, ``consumed`` the time
    consumed then, ``data`` the details (budgets before and after, the step, the person told)."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=ClockEventKind.choices)
    at = models.DateTimeField(_("at"))
    recorded_at = models.DateTimeField(_("recorded at"))
    consumed = models.PositiveIntegerField(_("consumed (seconds)"))
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ClockEventKind.values), name="sla_event_kind_known"),
            models.UniqueConstraint(fields=["clock"], condition=Q(kind="breached"), name="sla_breached_once"),
        ]


class Escalation(models.Model):
    """One escalation step raised for a clock: at most once per step (``percent``) however often
    the worker runs."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="escalations")
    percent = models.PositiveSmallIntegerField(_("share of the budget (%)"))
    tell = models.CharField(_("who is told"), max_length=10)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("person told"))
    due_at = models.DateTimeField(_("came due at"))
    raised_at = models.DateTimeField(_("raised at"))

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["clock", "percent"], name="sla_escalation_once_per_step")]
