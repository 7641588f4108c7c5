"""Repair-case statuses and the one table of allowed moves between them.

A case is booked before the device arrives, received with inbound evidence, diagnosed, then
either repaired free, quoted (the customer accepts or declines line by line), or returned as it
is; repairs pass quality checks before the device is ready to go back. A device not collected
goes to storage (seed 002 §10), and after that to disposal review. ``TRANSITIONS`` is read by
``case_transition`` — the only code that changes a case's status.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    BOOKED = "booked", _("Booked")
    RECEIVED = "received", _("Received")
    DIAGNOSING = "diagnosing", _("Diagnosing")
    AWAITING_CUSTOMER = "awaiting-customer", _("Waiting for your decision")
    REPAIRING = "repairing", _("Repairing")
    QA = "qa", _("Quality check")
    READY = "ready", _("Ready to return")
    SHIPPED = "shipped", _("Shipped")
    COLLECTED = "collected", _("Returned")
    IN_STORAGE = "in-storage", _("In storage")
    DISPOSAL_REVIEW = "disposal-review", _("Disposal review")
    CANCELLED = "cancelled", _("Cancelled")


S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.BOOKED: frozenset({S.RECEIVED, S.CANCELLED}),
    S.RECEIVED: frozenset({S.DIAGNOSING, S.READY}),
    S.DIAGNOSING: frozenset({S.AWAITING_CUSTOMER, S.REPAIRING, S.READY}),
    S.AWAITING_CUSTOMER: frozenset({S.REPAIRING, S.READY}),
    S.REPAIRING: frozenset({S.QA}),
    S.QA: frozenset({S.REPAIRING, S.READY}),
    S.READY: frozenset({S.SHIPPED, S.COLLECTED, S.IN_STORAGE}),
    S.SHIPPED: frozenset({S.COLLECTED}),
    S.IN_STORAGE: frozenset({S.SHIPPED, S.COLLECTED, S.DISPOSAL_REVIEW}),
    S.DISPOSAL_REVIEW: frozenset({S.SHIPPED, S.COLLECTED}),
    S.COLLECTED: frozenset(),
    S.CANCELLED: frozenset(),
}

CLOSED = frozenset({S.COLLECTED, S.CANCELLED})
# The device is at the service centre in these statuses (storage timers run from READY on).
AT_CENTRE = frozenset({S.RECEIVED, S.DIAGNOSING, S.AWAITING_CUSTOMER, S.REPAIRING, S.QA, S.READY,
                       S.IN_STORAGE, S.DISPOSAL_REVIEW})


def allowed(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


NAMES: dict[str, tuple[str, str]] = {
    S.BOOKED: ("Booked", "已预约"),
    S.RECEIVED: ("Received", "已收到"),
    S.DIAGNOSING: ("Diagnosing", "检测中"),
    S.AWAITING_CUSTOMER: ("Waiting for your decision", "等待您确认"),
    S.REPAIRING: ("Repairing", "维修中"),
    S.QA: ("Quality check", "质量检测"),
    S.READY: ("Ready to return", "可取回"),
    S.SHIPPED: ("Shipped", "已寄出"),
    S.COLLECTED: ("Returned", "已交还"),
    S.IN_STORAGE: ("In storage", "保管中"),
    S.DISPOSAL_REVIEW: ("Disposal review", "待处置审核"),
    S.CANCELLED: ("Cancelled", "已取消"),
}


def status_label(status: str, language: str) -> str:
    """The status name in English or Chinese, whatever language is active (messages carry both)."""
    en, zh = NAMES.get(status, (status, status))
    return zh if language.startswith("zh") else en

# How long a case may sit in a status that is ours to move before it counts as late (our figures:
# the seeds give none). Waiting for the customer, or for pickup, is not our delay.
SLA_DAYS: dict[str, int] = {
    S.RECEIVED: 1,
    S.DIAGNOSING: 3,
    S.REPAIRING: 5,
    S.QA: 1,
}
