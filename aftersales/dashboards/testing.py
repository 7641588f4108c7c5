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
