"""Demo repair cases in every status a case can have, each taken there the ordinary way: booked,
moved, repaired, shipped or handed over through the repair services (so the one door,
``case_transition``, makes every move), and left uncollected long enough for the storage timers
to move it (``repairs.timers``), at dates counted back from now.

Used by ``aftersales demo-data`` after ``demo.cases``; builds a case only for a status no demo case
has yet, so running the demo again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable
from zoneinfo import ZoneInfo

from django.db import transaction

from aftersales.demo.cases import DEMO_EMAIL, _intake
from aftersales.repairs.diagnosis import finding_record, part_decide, result_record
from aftersales.repairs.models import Case
from aftersales.repairs.numbers import display
from aftersales.repairs.repair import part_fit
from aftersales.repairs.returns import case_hand_over, case_ship
from aftersales.repairs.services import case_book, case_move
from aftersales.repairs.status import Status
from aftersales.repairs.storage import storage_terms
from aftersales.repairs.timers import storage_check_run

DAY = dt.timedelta(days=1)
FINDINGS = {"fan": "The fan bearing is worn; it rattles and overheats.",
            "memory": "One memory module fails the memory test.",
            "mainboard": "The mainboard does not power on; a voltage regulator has failed."}
STORAGE_DAYS = 130  # ready this long ago: past the free storage and the review after it


class Demo:
    """One case being built for the demo, with a clock that moves forward an hour a step."""

    def __init__(self, *, centre: str, serial: str, staff, start: dt.datetime, symptom: str):
        self.staff, self.at = staff, start
        self.case = case_book(intake=_intake(centre, serial, [symptom], "en"), actor=None, now=self.tick())

    def tick(self) -> dt.datetime:
        self.at += dt.timedelta(hours=1)
        return self.at

    def move(self, *statuses: str) -> Demo:
        for status in statuses:
            case_move(number=self.case.number, to=status, actor=self.staff, now=self.tick())
        return self

    def found(self, part: str = "") -> Demo:
        outcome = "confirmed" if part else "not-reproduced"
        text = FINDINGS[part] if part else "Ran the bench tests for a day; the fault did not show."
        finding_record(number=self.case.number, position=1, text=text, outcome=outcome, part=part,
                       actor=self.staff, now=self.tick())
        if part:
            part_decide(number=self.case.number, part=part, actor=self.staff, now=self.tick())
        return self

    def repaired(self, part: str) -> Demo:
        """``part`` found faulty, covered and replaced. Each demo case repairs a part of its own: an
        earlier warranty repair of the same part dated after this decision would be refused."""
        self.found(part).move(Status.REPAIRING)
        part_fit(number=self.case.number, part=part, new_serial=f"{part.upper()}-NEW-10442",
                 old_serial=f"{part.upper()}-OLD-03117", actor=self.staff, now=self.tick())
        return self

    def retested(self) -> Demo:
        result_record(number=self.case.number, stage="qa", name="Power-on and load test", passed=True,
                      symptom_position=1, actor=self.staff, now=self.tick())
        return self

    def left_uncollected(self, until: str, now: dt.datetime) -> Demo:
        """Run the storage timer on each day it has something to do — the reminder, the first
        fee day, the disposal review — until the case reaches ``until``."""
        for due in (lambda t: t.remind_on, lambda t: t.first_fee_day, lambda t: t.review_on):
            case = Case.objects.select_related("centre").get(pk=self.case.pk)
            if case.status == until:
                break
            day = due(storage_terms(case))
            at = dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo(case.centre.timezone))
            if at > now:
                break
            self.at = max(self.at, at)
            storage_check_run(number=case.number, now=self.at)
        return self


def _ready(d: Demo) -> Demo:
    return d.move(Status.RECEIVED, Status.DIAGNOSING).found().move(Status.READY)


# status: how to get there, and the line printed for it
PATHS: dict[str, tuple[Callable[[Demo, dt.datetime], Demo], str]] = {
    Status.RECEIVED: (lambda d, now: d.move(Status.RECEIVED), "received: waiting for diagnosis"),
    Status.DIAGNOSING: (lambda d, now: d.move(Status.RECEIVED, Status.DIAGNOSING), "diagnosing"),
    Status.REPAIRING: (lambda d, now: d.move(Status.RECEIVED, Status.DIAGNOSING).repaired("fan"),
                       "repairing: a fan fitted under warranty"),
    Status.QA: (lambda d, now: d.move(Status.RECEIVED, Status.DIAGNOSING).repaired("memory").move(Status.QA),
                "quality check"),
    Status.SHIPPED: (lambda d, now: _shipped(_ready(d)), "shipped back"),
    Status.COLLECTED: (lambda d, now: _handed_over(d.move(Status.RECEIVED, Status.DIAGNOSING).repaired("mainboard")
                                                   .move(Status.QA).retested().move(Status.READY)),
                       "handed over at the counter (see the device page for its history)"),
    Status.IN_STORAGE: (lambda d, now: _ready(d).left_uncollected(Status.IN_STORAGE, now),
                        "in storage: not collected in the free storage days"),
    Status.DISPOSAL_REVIEW: (lambda d, now: _ready(d).left_uncollected(Status.DISPOSAL_REVIEW, now),
                             "disposal review: storage fees ran their course"),
    Status.CANCELLED: (lambda d, now: d.move(Status.CANCELLED), "cancelled before the device came in"),
}


def _shipped(d: Demo) -> Demo:
    case_ship(number=d.case.number, carrier="SF Express", tracking="SF1002003004", actor=d.staff, now=d.tick())
    return d


def _handed_over(d: Demo) -> Demo:
    case_hand_over(number=d.case.number, identity_checked=True, returned_complete=True, actor=d.staff,
                   now=d.tick())
    return d


@transaction.atomic
def cases_in_every_status(*, centre: str, staff, serial: str, now: dt.datetime) -> list[str]:
    """A demo case for each status no demo case is in yet; returns a line to print for each."""
    present = set(Case.objects.filter(email=DEMO_EMAIL).values_list("status", flat=True))
    lines = []
    for status, (path, words) in PATHS.items():
        if status in present:
            continue
        storage = status in (Status.IN_STORAGE, Status.DISPOSAL_REVIEW)
        start = now - (STORAGE_DAYS if storage else 2) * DAY
        d = path(Demo(centre=centre, serial=serial, staff=staff, start=start,
                      symptom="It switches off after a few minutes"), now)
        lines.append(f"{display(d.case.number)}  {words}")
    return lines
