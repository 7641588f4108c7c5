"""A warranty decision as a person reads it, in one language.

The portal and the staff console show the same thing: the headline, the dates, the basis,
on-site service, each reason, and the clauses applied with their texts and the published
documents they cite, the policy's title and date, and the hotline. ``decision_shown`` reads the decision in its one JSON shape
(``wire.decision_json``, what the API answers and the batch writes) and picks the words for
one language from it and from the pack that decided; the choice lists for the forms come from
the shared vocabulary and the packs in force, so a new pack's symptoms appear without a code
change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aftersales.policy.pack import Pack
from aftersales.policy.vocabulary import GROUPS, PARTS, PRODUCT_LINES, REGIONS
from aftersales.warranty.decisions import WarrantyAnswer
from aftersales.warranty.packs import packs_in_force
from aftersales.warranty.rules.explain import EXCLUSION_FINDINGS
from aftersales.warranty.rules.intake import DeviceInfo
from aftersales.warranty.wire import decision_json


def is_zh(language: str | None) -> bool:
    return (language or "").lower().startswith("zh")


def label(table: dict[str, tuple[str, str]], key: str, language: str | None, *,
          capital: bool = True) -> str:
    """A vocabulary name for a list or a heading: 'Hard disk', not 'the hard disk'; with
    ``capital=False``, for the middle of a sentence ('major parts')."""
    en, zh = table[key]
    if is_zh(language):
        return zh
    en = en.removeprefix("the ")
    return en[:1].upper() + en[1:] if capital else en


def part_choices(language: str | None) -> list[tuple[str, str]]:
    return [(key, label(PARTS, key, language)) for key in PARTS]


def region_choices(language: str | None) -> list[tuple[str, str]]:
    return [(key, label(REGIONS, key, language)) for key in REGIONS]


def line_choices(language: str | None) -> list[tuple[str, str]]:
    return [(key, label(PRODUCT_LINES, key, language)) for key in PRODUCT_LINES]


def symptom_choices(language: str | None) -> list[tuple[str, str]]:
    """Every symptom any loaded pack lets a customer name. Where two packs word the same symptom
    differently, the first pack's words (by pack id) are shown; each device is still decided
    with its own pack's parts for that symptom."""
    seen: dict[str, str] = {}
    for pack in packs_in_force().packs:
        for key, symptom in pack.symptoms.items():
            seen.setdefault(key, symptom.zh if is_zh(language) else symptom.en)
    return list(seen.items())


def exclusion_choices(codes, language: str | None) -> list[tuple[str, str]]:
    """The exclusion codes a line's terms know, named as inspection findings."""
    out = []
    for code in codes:
        en, zh = EXCLUSION_FINDINGS[code]
        text = zh if is_zh(language) else en[:1].upper() + en[1:]
        out.append((code, text))
    return out


def hotlines(language: str | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """For each loaded pack (its newest version): the regions it serves, and each product line
    with its hotline."""
    newest: dict[str, Pack] = {}
    for pack in packs_in_force().packs:  # sorted by id, then effective date
        newest[pack.id] = pack
    out = []
    for pack in newest.values():
        regions = " · ".join(label(REGIONS, r, language)
                             for r in sorted(pack.regions, key=list(REGIONS).index))
        out.append((regions, [(label(PRODUCT_LINES, line_id, language), line.hotline)
                              for line_id, line in pack.lines.items()]))
    return out


def pack_for_device(device: DeviceInfo, day: dt.date) -> Pack | None:
    return packs_in_force().select(device.product_line, device.sold_in, day)


@dataclass(frozen=True)
class ShownClause:
    id: str
    text: str
    source: str


@dataclass(frozen=True)
class ShownReason:
    code: str
    text: str
    clause: str | None


@dataclass(frozen=True)
class DecisionShown:
    covered: bool
    starts_on: dt.date
    ends_on: dt.date
    basis: str
    months: int
    group: str
    part: str
    product_line: str
    onsite_eligible: bool
    onsite_ends_on: dt.date | None
    reasons: list[ShownReason]
    clauses: list[ShownClause]
    pack_name: str  # the policy's title and date, never its id
    hotline: str
    serial: str | None
    model: str | None
    symptom: str | None


def decision_shown(*, answer: WarrantyAnswer, language: str | None, symptom: str | None = None) -> DecisionShown:
    zh = is_zh(language)
    d, pack, facts, device = decision_json(answer.decision), answer.pack, answer.facts, answer.device
    clauses = [ShownClause(cid, pack.clauses[cid].zh if zh else pack.clauses[cid].en, pack.clauses[cid].source(zh))
               for cid in d["clauses"]]
    symptom_text = None
    if symptom and symptom in pack.symptoms:
        symptom_text = pack.symptoms[symptom].zh if zh else pack.symptoms[symptom].en
    return DecisionShown(
        covered=d["covered"], starts_on=dt.date.fromisoformat(d["starts_on"]),
        ends_on=dt.date.fromisoformat(d["ends_on"]), basis=d["basis"], months=d["months"],
        group=label(GROUPS, d["group"], language, capital=False),
        part=label(PARTS, facts.part, language),
        product_line=label(PRODUCT_LINES, facts.product_line, language),
        onsite_eligible=d["onsite"]["eligible"],
        onsite_ends_on=dt.date.fromisoformat(d["onsite"]["ends_on"]) if d["onsite"]["ends_on"] else None,
        reasons=[ShownReason(r["code"], r["zh"] if zh else r["en"], r["clause"]) for r in d["reasons"]],
        clauses=clauses, pack_name=pack.name(zh),
        hotline=pack.lines[facts.product_line].hotline,
        serial=device.serial if device else None, model=device.model if device else None,
        symptom=symptom_text,
    )
