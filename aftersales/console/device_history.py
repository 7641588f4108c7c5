"""A device's service history for the console device page: every repair case of the device, the
warranty decisions made on it, the parts replaced (with the serial numbers of the part removed
and the part fitted), and the warranty repairs that extend the cover of the same fault.

Who sees what: the cases of the centres the reader works at (``accounts.scope``) are shown in
full and linked. A case at another centre is shown as a row — when it was booked, its status and
its centre — without its number, its customer or its details, so the reader knows the device was
seen elsewhere and whom to ask. Warranty repairs are listed from every centre, because the
warranty decision for this device counts them all (``repairs.diagnosis._earlier_repairs``).

``device_history`` reads it all in a fixed number of queries, however many cases the device has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from aftersales.accounts.scope import readable_centres
from aftersales.console.cases.offers import desk_status
from aftersales.policy.pack import Pack
from aftersales.policy.vocabulary import PARTS
from aftersales.repairs.models import Case, PartDecision, PartUsage
from aftersales.repairs.numbers import display
from aftersales.warranty.presentation import is_zh, label
from aftersales.warranty.rules.dates import period_end


@dataclass
class HistoryCase:
    number: str  # empty for a case of a centre the reader does not work at
    shown_number: str
    booked_on: dt.date
    status_on: dt.date
    status: str
    centre: str
    decisions: list[dict] = field(default_factory=list)
    parts: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class CoverExtension:
    """A part replaced under warranty: the same fault stays covered at least through ``until``."""

    part: str
    repaired_on: dt.date
    until: dt.date | None  # None when no policy pack is in force for the device
    centre: str
    number: str  # empty for a case of a centre the reader does not work at
    shown_number: str


@dataclass
class DeviceHistory:
    cases: list[HistoryCase]  # the reader's centres, newest first
    elsewhere: list[HistoryCase]  # other centres, newest first, without details
    extensions: list[CoverExtension]  # oldest first
    months: int | None = None  # the post-repair months of the pack in force
    clause: str = ""  # that rule's clause, in the reader's language


def _part(key: str, language: str) -> str:
    return label(PARTS, key, language) if key in PARTS else key


def _history_case(case: Case, visible: bool, language: str) -> HistoryCase:
    return HistoryCase(number=case.number if visible else "", shown_number=display(case.number) if visible else "",
                       booked_on=case.day(case.created_at), status_on=case.day(case.status_changed_at),
                       status=desk_status(case.status, language), centre=case.centre.name(language))


def _decision(row: PartDecision, case: Case, language: str) -> dict:
    zh = is_zh(language)
    return {"part": _part(row.part, language), "covered": row.covered, "pack": row.pack,
            "decided_on": case.day(row.decided_at), "ends_on": row.decision.get("ends_on", ""),
            "reasons": [r["zh"] if zh else r["en"] for r in row.decision.get("reasons", [])]}


def _replacement(usage: PartUsage, case: Case, language: str) -> dict:
    return {"part": _part(usage.part, language), "fitted_on": case.day(usage.fitted_at),
            "old_serial": usage.old_serial, "new_serial": usage.new_serial, "covered": usage.covered}


def _extension(usage: PartUsage, case: Case, visible: bool, pack: Pack | None, language: str) -> CoverExtension:
    day = case.day(usage.fitted_at)
    return CoverExtension(part=_part(usage.part, language), repaired_on=day,
                          until=period_end(day, pack.post_repair_months) if pack else None,
                          centre=case.centre.name(language), number=case.number if visible else "",
                          shown_number=display(case.number) if visible else "")


def device_history(*, user, device_id: int, pack: Pack | None, language: str) -> DeviceHistory:
    """The history of the device ``device_id`` as ``user`` may read it; ``pack``: the policy pack
    in force for the device, whose post-repair rule dates the extensions."""
    centres = readable_centres(user)
    cases = list(Case.objects.filter(device_id=device_id).select_related("centre").order_by("-created_at", "-pk"))
    by_id = {c.pk: c for c in cases}
    visible = {c.pk for c in cases if centres is None or c.centre_id in centres}
    shown = {c.pk: _history_case(c, c.pk in visible, language) for c in cases}
    for row in PartDecision.objects.filter(case_id__in=sorted(visible)).order_by("decided_at", "part"):
        shown[row.case_id].decisions.append(_decision(row, by_id[row.case_id], language))
    extensions = []
    for usage in PartUsage.objects.filter(case_id__in=sorted(by_id)).order_by("fitted_at", "id"):
        case = by_id[usage.case_id]
        if usage.case_id in visible:
            shown[usage.case_id].parts.append(_replacement(usage, case, language))
        if usage.covered:
            extensions.append(_extension(usage, case, usage.case_id in visible, pack, language))
    clause = pack.clauses.get(pack.post_repair_clause) if pack else None
    return DeviceHistory(
        cases=[shown[c.pk] for c in cases if c.pk in visible],
        elsewhere=[shown[c.pk] for c in cases if c.pk not in visible],
        extensions=extensions, months=pack.post_repair_months if pack else None,
        clause=(clause.zh if is_zh(language) else clause.en) if clause else "")
