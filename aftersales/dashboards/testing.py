"""For tests: a small, known history to chart, made through the services a service centre uses.

``planted()`` needs the shipped packs and the registry's home desktop ``HD000001`` and all-in-one
``AI000001`` (the console's ``registry`` fixture) and the clock frozen at ``testing.NOW``. It opens
two centres, Shanghai (``sh-01``) and Beijing (``bj-01``), and writes, counted back from now:

- handed back five days ago at Shanghai: home desktops opened 1, 2, 3, 4 and 10 days before
  that, all-in-ones opened 2 and 6 days before; at Beijing, a home desktop opened 30 days before;
- handed back 200 days ago at Shanghai: a home desktop opened 5 days before that;
- at Shanghai, a home desktop opened 3 days ago and in repair, one opened a day ago and cancelled;
- damage proposals at Shanghai, 10 days ago: two confirmed, one rejected; at Beijing, 10 days
  ago: one rejected, one awaiting a decision; at Beijing, 120 days ago: one confirmed.
"""

from __future__ import annotations

import datetime as dt

from aftersales.centres.models import ServiceCentre
from aftersales.core import clock
from aftersales.repairs.diagnosis import damage_decide, damage_propose
from aftersales.repairs.services import Intake, case_book
from aftersales.repairs.testing import drive, staff_member

DAY = dt.timedelta(days=1)


def two_centres() -> dict[str, ServiceCentre]:
    return {
        code: ServiceCentre.objects.create(code=code, name_en=en, name_zh=zh, region="CN", city=city,
                                           timezone="Asia/Shanghai")
        for code, en, zh, city in (("sh-01", "Shanghai Xuhui", "上海徐汇", "Shanghai"),
                                   ("bj-01", "Beijing Haidian", "北京海淀", "Beijing"))
    }


def booked(centre: str, serial: str, at: dt.datetime):
    return case_book(intake=Intake(
        centre=centre, kind="carry-in", customer_name="Li Lei", email="li.lei@example.com", phone="13800000000",
        serial=serial, symptoms=["Will not power on"], ack_data_loss=True, ack_passwords=True,
        ack_peripherals=True, language="en"), actor=None, now=at)


def _handed_back(centre: str, serial: str, *, days: int, at: dt.datetime) -> None:
    drive(booked(centre, serial, at - days * DAY), "collected", now=at)


def damage_proposals(centre: str, *, at: dt.datetime, decisions: list[bool | None]) -> None:
    """One case in diagnosis with a damage proposal for each decision (None: not decided)."""
    case = drive(booked(centre, "HD000001", at), "diagnosing", now=at)
    staff = staff_member()
    for confirm in decisions:
        proposal = damage_propose(number=case.number, code="liquid-damage", explanation="Corrosion on the board.",
                                  actor=staff, now=at)
        if confirm is not None:
            damage_decide(determination_id=proposal.pk, confirm=confirm, note="Checked against the photos.",
                          considered=[], actor=staff, now=at)


def planted() -> dict[str, ServiceCentre]:
    now = clock.now()
    centres = two_centres()
    for days in (1, 2, 3, 4, 10):
        _handed_back("sh-01", "HD000001", days=days, at=now - 5 * DAY)
    for days in (2, 6):
        _handed_back("sh-01", "AI000001", days=days, at=now - 5 * DAY)
    _handed_back("bj-01", "HD000001", days=30, at=now - 5 * DAY)
    _handed_back("sh-01", "HD000001", days=5, at=now - 200 * DAY)
    drive(booked("sh-01", "HD000001", now - 3 * DAY), "repairing", now=now - 3 * DAY)
    drive(booked("sh-01", "HD000001", now - DAY), "cancelled", now=now - DAY)
    damage_proposals("sh-01", at=now - 10 * DAY, decisions=[True, True, False])
    damage_proposals("bj-01", at=now - 10 * DAY, decisions=[False, None])
    damage_proposals("bj-01", at=now - 120 * DAY, decisions=[True])
    return centres


def _dispute(at: dt.datetime, case=None):
    from aftersales.disputes.services import Filing, dispute_file

    return dispute_file(filing=Filing(
        customer_name="Li Lei", case_number=case.number if case else "CN-2019-0042", serial="HD000001", country="CN",
        what_happened="The bill was wrong.", email="li.lei@example.com"), actor=None, now=at)


def disputes_planted(centres: dict[str, ServiceCentre]) -> None:
    """Disputes over the history of ``planted()``, whose clocks count at Shanghai for its cases
    there, and at Beijing (the first centre in China by code) for its cases there and for cases
    from before this product (first answer: one calendar week; resolution: 80 working hours):

    - Shanghai: filed 9 days ago, unanswered (past its first answer); filed 2 days ago, unanswered;
      filed 8 days ago and answered at once by reversing one of the two confirmed damage decisions
      of 10 days ago (in review, the resolution within its time);
    - Beijing: filed 3 days ago about its damage case, the customer asked a question at once
      (waiting, within); filed 10 days ago about it, the question asked 8 days later, after the
      week had run out (waiting, past it); an older case filed 30 days ago and answered at once
      (in review, its resolution past its time); one filed 20 days ago, answered and resolved;
      one filed 100 days ago, unanswered.
    """
    from aftersales.core.testing import role_user
    from aftersales.disputes.questions import dispute_ask
    from aftersales.disputes.resolutions import resolution_damage_review, resolution_explain
    from aftersales.disputes.services import dispute_resolve
    from aftersales.repairs.models import DamageDetermination, DamageStatus

    now = clock.now()
    agent = role_user("exec-care", username="dashboard-care")
    damage = {code: DamageDetermination.objects.filter(case__centre=centres[code]).order_by("pk")
              for code in ("sh-01", "bj-01")}
    shanghai, beijing = damage["sh-01"].first().case, damage["bj-01"].first().case
    _dispute(now - 9 * DAY, shanghai)
    _dispute(now - 2 * DAY, shanghai)
    reviewed = _dispute(now - 8 * DAY, shanghai)
    resolution_damage_review(number=reviewed.number, determination=damage["sh-01"].filter(
        status=DamageStatus.CONFIRMED).first().pk, reverse=True, note="Thermal paste, not liquid.", considered=[],
        key="dashboard-review", actor=agent, now=now - 8 * DAY)
    dispute_ask(number=_dispute(now - 3 * DAY, beijing).number, question="When did you buy it?", actor=agent,
                now=now - 3 * DAY)
    dispute_ask(number=_dispute(now - 10 * DAY, beijing).number, question="When did you buy it?", actor=agent,
                now=now - 2 * DAY)
    for days, close in ((30, False), (20, True)):
        answered = _dispute(now - days * DAY)
        resolution_explain(number=answered.number, kind="other", explanation="We checked the bill.",
                           key=f"dashboard-{days}", actor=agent, now=now - days * DAY)
        if close:
            dispute_resolve(number=answered.number, actor=agent, now=now - days * DAY)
    _dispute(now - 100 * DAY)
