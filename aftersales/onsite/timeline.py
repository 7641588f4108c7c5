"""The visit's lines on each case's timeline, in English and Chinese, in the centre's local time
(written through ``repairs.events.record``, the timeline's one writer)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from aftersales.onsite.models import Visit
from aftersales.repairs.events import record
from aftersales.repairs.models import Case, EventKind

WEEKDAYS_ZH = "一二三四五六日"


def arrival(visit: Visit, starts_at: dt.datetime | None = None) -> tuple[str, str]:
    """"Tue 1 Dec 2026, arriving 09:00–10:00" in both languages, in the centre's time."""
    tz = ZoneInfo(visit.centre.timezone)
    start = (starts_at or visit.starts_at).astimezone(tz)
    until = (start + (visit.arrives_by - visit.starts_at)).astimezone(tz)
    en = f"{start:%a} {start.day} {start:%b %Y}, arriving between {start:%H:%M} and {until:%H:%M}"
    zh = (f"{start.year}年{start.month}月{start.day}日（周{WEEKDAYS_ZH[start.weekday()]}）"
          f"{start:%H:%M}–{until:%H:%M} 到达")
    return en, zh


def _fee(visit: Visit) -> tuple[str, str]:
    words = visit.fee_explanation or {}
    return words.get("en", ""), words.get("zh", "")


def _data(visit: Visit, change: str) -> dict:
    return {"visit": str(visit.public_id), "change": change, "starts_at": visit.starts_at.isoformat(),
            "technician": visit.technician_id}


def visit_booked(case: Case, visit: Visit, at: dt.datetime, actor):
    en, zh = arrival(visit)
    fee_en, fee_zh = _fee(visit)
    return record(case, EventKind.VISIT, at=at, actor=actor, data=_data(visit, "booked"),
                  en=f"On-site visit booked: {en}. {fee_en}".strip(), zh=f"已预约上门服务：{zh}。{fee_zh}")


def visit_moved(case: Case, visit: Visit, before: tuple[int, dt.datetime], at: dt.datetime, actor):
    en, zh = arrival(visit)
    if before[1] == visit.starts_at:
        return record(case, EventKind.VISIT, at=at, actor=actor, data=_data(visit, "reassigned"),
                      en=f"Another technician will come for the visit of {en}.",
                      zh=f"{zh}的上门服务改由另一位工程师前往。")
    was_en, was_zh = arrival(visit, before[1])
    return record(case, EventKind.VISIT, at=at, actor=actor, data=_data(visit, "moved"),
                  en=f"On-site visit moved from {was_en} to {en}.", zh=f"上门服务已改约：由{was_zh}改为{zh}。")


def visit_cancelled(case: Case, visit: Visit, reason: str, at: dt.datetime, actor):
    en, zh = arrival(visit)
    note = f" {reason.strip()}" if reason.strip() else ""
    return record(case, EventKind.VISIT, at=at, actor=actor, data=_data(visit, "cancelled"),
                  en=f"On-site visit of {en} cancelled.{note}", zh=f"{zh}的上门服务已取消。{note.strip()}")
