"""Repair-case statuses, their words, and the one table of allowed moves between them.

A case is booked before the device arrives, received with inbound evidence, diagnosed, then
either repaired free, quoted (the customer accepts or declines line by line), or returned as it
is; repairs pass quality checks before the device is ready to go back. A device not collected
goes to storage (seed 002 §10), and after that to disposal review.

``TRANSITIONS`` maps each allowed move (from, to) to its ``Edge``: the action a person needs for
it (``accounts.roles.ACTIONS``), the guards it runs (``repairs.guards``), and, for a move that is
part of a step with more to it than a status (a quotation sent, a shipment, a pickup, a
customer's answer, a storage timer), the name of that step: only the service making the step may
make the move. ``services.case_transition`` reads this table and is the only code that changes a
case's status.

``WORDS`` holds every word for a status, in English and Chinese: its name, the sentence a
customer is told when a case reaches it, and, where the desk reads it from the other side, the
staff's name for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import get_language


@dataclass(frozen=True, slots=True)
class StatusWords:
    name: tuple[str, str]  # (en, zh): the status as the customer reads it
    sentence: tuple[str, str]  # what the customer is told when the case reaches it
    desk: tuple[str, str] | None = None  # the staff's name for it, when it differs


WORDS: dict[str, StatusWords] = {
    "booked": StatusWords(
        name=("Booked", "已预约"),
        sentence=("Your repair is booked.",
                  "您的维修已预约。"),
    ),
    "received": StatusWords(
        name=("Received", "已收到"),
        sentence=("Your device has arrived at the service centre.",
                  "服务中心已收到您的产品。"),
    ),
    "diagnosing": StatusWords(
        name=("Diagnosing", "检测中"),
        sentence=("Your device is being diagnosed.",
                  "您的产品正在检测。"),
    ),
    "awaiting-customer": StatusWords(
        name=("Waiting for your decision", "等待您确认"),
        sentence=("We are waiting for your decision on the quotation.",
                  "我们正在等待您确认报价。"),
        desk=("Waiting for the customer", "等待客户答复"),
    ),
    "repairing": StatusWords(
        name=("Repairing", "维修中"),
        sentence=("Your device is being repaired.",
                  "您的产品正在维修。"),
    ),
    "qa": StatusWords(
        name=("Quality check", "质量检测"),
        sentence=("Your device is in quality checks.",
                  "您的产品正在进行质量检测。"),
    ),
    "ready": StatusWords(
        name=("Ready to return", "待返还"),
        sentence=("Your device is ready to return.",
                  "您的产品已可返还。"),
    ),
    "shipped": StatusWords(
        name=("Shipped", "已寄出"),
        sentence=("Your device is on its way back to you.",
                  "您的产品已寄回。"),
    ),
    "collected": StatusWords(
        name=("Returned", "已交还"),
        sentence=("Your device is back with you.",
                  "您的产品已交还给您。"),
    ),
    "in-storage": StatusWords(
        name=("In storage", "保管中"),
        sentence=("Your device is in storage because it was not collected.",
                  "您的产品尚未取回，现由我们保管。"),
    ),
    "disposal-review": StatusWords(
        name=("Disposal review", "待处置审核"),
        sentence=("Your device is under disposal review because it was not collected.",
                  "您的产品尚未取回，已进入待处置审核。"),
    ),
    "cancelled": StatusWords(
        name=("Cancelled", "已取消"),
        sentence=("Your booking is cancelled.",
                  "您的预约已取消。"),
    ),
}


def _zh(language: str | None) -> bool:
    return (language or "").lower().startswith("zh")


def status_label(status: str, language: str | None) -> str:
    """The status's name for the customer, in English or Chinese."""
    en, zh = WORDS[status].name
    return zh if _zh(language) else en


def desk_label(status: str, language: str | None) -> str:
    """The status's name at the service desk."""
    words = WORDS[status]
    en, zh = words.desk or words.name
    return zh if _zh(language) else en


def status_sentence(status: str) -> tuple[str, str]:
    """"Your device is being repaired." in English and Chinese."""
    return WORDS[status].sentence


_label = lazy(lambda status: status_label(status, get_language()), str)


class Status(models.TextChoices):
    BOOKED = "booked", _label("booked")
    RECEIVED = "received", _label("received")
    DIAGNOSING = "diagnosing", _label("diagnosing")
    AWAITING_CUSTOMER = "awaiting-customer", _label("awaiting-customer")
    REPAIRING = "repairing", _label("repairing")
    QA = "qa", _label("qa")
    READY = "ready", _label("ready")
    SHIPPED = "shipped", _label("shipped")
    COLLECTED = "collected", _label("collected")
    IN_STORAGE = "in-storage", _label("in-storage")
    DISPOSAL_REVIEW = "disposal-review", _label("disposal-review")
    CANCELLED = "cancelled", _label("cancelled")


@dataclass(frozen=True, slots=True)
class Edge:
    action: str  # the permission the actor needs (accounts.roles.ACTIONS)
    guards: tuple[str, ...] = ()  # names in repairs.guards.GUARDS, run in this order
    step: str = ""  # "": a plain move (a status button); else the only step that may make it


S = Status
# Leaving for return, from wherever: every reported fault has a finding, an answered quotation is
# on record when one was sent, and each repaired fault passed its re-test (SPEC §2 fairness rules).
TO_RETURN = ("findings", "customer-answer", "qa-retest")
TO_REPAIR = ("findings", "customer-answer")

TRANSITIONS: dict[tuple[str, str], Edge] = {
    (S.BOOKED, S.RECEIVED): Edge("case.receive", ("parcel-inbound",)),
    (S.BOOKED, S.CANCELLED): Edge("case.cancel"),
    (S.RECEIVED, S.DIAGNOSING): Edge("case.diagnose"),
    (S.DIAGNOSING, S.AWAITING_CUSTOMER): Edge("quote.author", ("findings", "quotation-ready"), step="quotation"),
    (S.DIAGNOSING, S.REPAIRING): Edge("case.repair", TO_REPAIR),
    (S.DIAGNOSING, S.READY): Edge("case.repair", TO_RETURN),
    (S.AWAITING_CUSTOMER, S.REPAIRING): Edge("quote.answer", TO_REPAIR, step="answer"),
    (S.AWAITING_CUSTOMER, S.READY): Edge("quote.answer", TO_RETURN, step="answer"),
    (S.REPAIRING, S.QA): Edge("case.repair"),
    (S.QA, S.REPAIRING): Edge("case.repair"),
    (S.QA, S.READY): Edge("case.repair", TO_RETURN),
    (S.READY, S.SHIPPED): Edge("case.ship", ("parcel-outbound",), step="shipment"),
    (S.READY, S.COLLECTED): Edge("case.ship", step="pickup"),
    (S.READY, S.IN_STORAGE): Edge("storage.timer", step="storage-timer"),
    (S.SHIPPED, S.COLLECTED): Edge("case.ship", step="delivery"),
    (S.IN_STORAGE, S.SHIPPED): Edge("case.ship", ("parcel-outbound",), step="shipment"),
    (S.IN_STORAGE, S.COLLECTED): Edge("case.ship", step="pickup"),
    (S.IN_STORAGE, S.DISPOSAL_REVIEW): Edge("storage.timer", step="storage-timer"),
    (S.DISPOSAL_REVIEW, S.SHIPPED): Edge("case.ship", ("parcel-outbound",), step="shipment"),
    (S.DISPOSAL_REVIEW, S.COLLECTED): Edge("case.ship", step="pickup"),
    # On-site service (desktop terms §6): the technician checks in at the site and diagnoses there;
    # checking out leaves the device with its owner, on the same conditions as any return.
    (S.BOOKED, S.DIAGNOSING): Edge("visit.work", step="visit-check-in"),
    (S.DIAGNOSING, S.COLLECTED): Edge("visit.work", TO_RETURN, step="visit-check-out"),
    (S.QA, S.COLLECTED): Edge("visit.work", TO_RETURN, step="visit-check-out"),
}

CLOSED = frozenset({S.COLLECTED, S.CANCELLED})
# The device is at the service centre in these statuses (storage timers run from READY on).
AT_CENTRE = frozenset({S.RECEIVED, S.DIAGNOSING, S.AWAITING_CUSTOMER, S.REPAIRING, S.QA, S.READY,
                       S.IN_STORAGE, S.DISPOSAL_REVIEW})
# Waiting at the centre for its owner.
HELD = frozenset({S.READY, S.IN_STORAGE, S.DISPOSAL_REVIEW})


def edge(current: str, new: str) -> Edge | None:
    return TRANSITIONS.get((current, new))


def moves_from(current: str) -> list[tuple[str, Edge]]:
    """The moves out of ``current``, in the order of ``Status``."""
    return [(new, TRANSITIONS[(current, new)]) for new in Status.values if (current, new) in TRANSITIONS]


def reachers(target: str) -> list[str]:
    """Every status with a move into ``target``."""
    return [old for (old, new) in TRANSITIONS if new == target]


# How long a case may sit in a status that is ours to move before it counts as late (our figures:
# the seeds give none). Waiting for the customer, or for pickup, is not our delay.
SLA_DAYS: dict[str, int] = {
    S.RECEIVED: 1,
    S.DIAGNOSING: 3,
    S.REPAIRING: 5,
    S.QA: 1,
}
