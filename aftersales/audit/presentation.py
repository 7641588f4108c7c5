"""The audit as the console shows it, in the reader's language: one sentence for where a run is,
its totals by rule, and a finding's evidence as the clauses and prices it rests on. Nothing of
the stored state's names or codes reaches the page: rules by their plain names, clauses by their
words and the published document they come from."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from django.db.models import Q

from aftersales.audit.models import AuditFinding, AuditRun, HistoryCase, Review, RunState, Source
from aftersales.disputes.models import Resolution
from aftersales.audit.wording import rule_name
from aftersales.warranty.packs import pack_name, packs_in_force
from aftersales.console.cases.sections import exclusion_name, part_name
from aftersales.policy.vocabulary import PRODUCT_LINES
from aftersales.warranty.presentation import is_zh, label

def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def run_line(run: AuditRun) -> str:
    if run.state == RunState.QUEUED:
        return _("Waiting for the audit to start.")
    if run.state == RunState.RUNNING and run.steps_done < run.steps_total - 2:
        return _("Reading the cases to audit (step %(done)s of %(total)s).") % {
            "done": run.steps_done + 1, "total": run.steps_total}
    if run.state == RunState.RUNNING:
        return _("Re-pricing every case and keeping what is found (step %(done)s of %(total)s).") % {
            "done": min(run.steps_done + 1, run.steps_total), "total": run.steps_total}
    if run.state == RunState.DONE:
        return _("Finished. Cases audited: %(cases)s; overcharges found: %(findings)s, of which new: %(new)s.") % {
            "cases": _n(run.cases), "findings": _n(run.findings), "new": _n(run.new_findings)}
    return _("The audit stopped because of a fault on our side; the findings kept so far stay. Try again later, "
             "or tell the system administrator if it happens again.")


def run_shown(run: AuditRun | None, language: str) -> dict | None:
    if run is None:
        return None
    zh = is_zh(language)
    totals = [{"rule": getattr(rule_name(rule), "zh" if zh else "en"), "count": _n(t["count"]),
               "overcharge": ", ".join(f"{amount} {currency}" for currency, amount in t["overcharge"].items())}
              for rule, t in run.by_rule.items()]
    return {"pk": run.pk, "running": not run.finished, "line": run_line(run), "done": run.steps_done,
            "total": run.steps_total, "totals": totals,
            "packs": ("；" if zh else "; ").join(pack_name(label, zh=zh) for label in run.packs)}


def finding_evidence(finding: AuditFinding, language: str) -> list[tuple[str, str]]:
    """(what, the words) for each piece of evidence: the pack, the clauses with their source, the
    warranty's last day, the list price row, the payments."""
    zh, e, out = is_zh(language), finding.evidence, []
    pack = packs_in_force().by_label(e["pack"]) if e.get("pack") else None
    if pack is not None:
        out.append((_("Policy pack"), pack.name(zh)))  # title and date, as the run's line names it
        for key, what in (("warranty_clause", _("Warranty clause")), ("clause", _("Fee clause"))):
            clause = pack.clauses.get(e.get(key) or "")
            if clause is not None:
                out.append((what, f"{clause.zh if zh else clause.en} — {clause.source(zh)}"))
    if e.get("covered_until"):
        out.append((_("Covered until"), e["covered_until"]))
    price = e.get("list_price")
    if price:
        until = price["valid_to"] or _("further notice")
        out.append((_("List price in force"), _("%(price)s %(currency)s, from %(start)s until %(end)s") % {
            "price": price["price"], "currency": price["currency"], "start": price["valid_from"], "end": until}))
    if "payments" in e:
        count = e["payments"]
        out.append((_("Payments"), ngettext("%(count)s payment received", "%(count)s payments received", count)
                    % {"count": _n(count)}))
    return out


def paid_back_before(finding: AuditFinding) -> list[str]:
    """What was already paid back on the finding's case — by executive care after a dispute, or
    for another finding of the audit — so that the auditor does not pay the same money twice."""
    words = _("%(amount)s %(currency)s paid back on %(day)s after dispute %(dispute)s.")
    out = [words % {"amount": r.amount, "currency": r.currency, "day": f"{r.at:%Y-%m-%d}",
                    "dispute": r.dispute.display_number}
           for r in Resolution.objects.filter(Q(dispute__case__number=finding.case_number)
                                              | Q(dispute__case_number__iexact=finding.case_number),
                                              amount__isnull=False).select_related("dispute").order_by("at")]
    others = AuditFinding.objects.filter(case_number=finding.case_number, source=finding.source,
                                         review=Review.APPROVED).exclude(pk=finding.pk).order_by("reviewed_at")
    words = _("%(amount)s %(currency)s paid back on %(day)s for another overcharge the audit found.")
    out += [words % {"amount": f.paid_back, "currency": f.currency, "day": f"{f.reviewed_at:%Y-%m-%d}"}
            for f in others]
    return out


def _found_at_inspection(codes: str, language: str) -> str:
    names = [exclusion_name(code, language) for code in filter(None, codes.split(";"))]
    return ("、" if is_zh(language) else "; ").join(names) or _("none")


def history_facts(finding: AuditFinding, language: str) -> list[tuple[str, str]]:
    """(what, the words) for the imported repair a finding of past years is about, as the audit
    re-priced it: the device, its dates, the faulty part, what the inspection found, whether the
    quotation was declined, and what was paid. Nothing for a case of this system, which has its
    own page."""
    if finding.source != Source.HISTORY:
        return []
    case = HistoryCase.objects.filter(case_number=finding.case_number).prefetch_related("payments").first()
    if case is None:
        return []
    paid: dict[str, object] = {}
    for payment in case.payments.all():
        paid[payment.currency] = paid.get(payment.currency, 0) + payment.amount
    return [
        (_("Product line"), label(PRODUCT_LINES, case.product_line, language)
         if case.product_line in PRODUCT_LINES else case.product_line),
        (_("Model"), case.model or "—"), (_("Serial number"), case.serial or "—"),
        (_("Made on"), f"{case.manufactured_on:%Y-%m-%d}"),
        (_("Bought on"), f"{case.purchased_on:%Y-%m-%d}" if case.purchased_on else _("no valid invoice")),
        (_("Opened on"), f"{case.opened_on:%Y-%m-%d}"),
        (_("Faulty part"), part_name(case.part, language)),
        (_("Found at inspection"), _found_at_inspection(case.exclusions, language)),
        (_("Quotation"), _("Declined") if case.quotation_rejected else _("Accepted")),
        (_("Paid"), ", ".join(f"{amount:.2f} {currency}" for currency, amount in paid.items()) or "—"),
    ]

