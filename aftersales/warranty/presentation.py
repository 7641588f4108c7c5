"""A warranty decision as a person reads it, in one language.

The portal and the staff console show the same thing: the headline, the dates, the basis,
on-site service, each reason, and the clauses applied with their texts and seed sources, the
pack version and the hotline. ``decision_shown`` picks the words for one language from what
the engine and the pack already say in both; the choice lists for the forms come from the
shared vocabulary and the packs in force, so a new pack's symptoms appear without a code change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aftersales.warranty.packs import pack_get, packs_in_force
from aftersales.warranty.rules.explain import EXCLUSION_FINDINGS
from aftersales.warranty.rules.facts import Decision, Facts
from aftersales.warranty.rules.intake import DeviceInfo
from aftersales.policy.pack import Pack
from aftersales.policy.vocabulary import GROUPS, PARTS, PRODUCT_LINES, REGIONS


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


def pack_by_label(label_: str) -> Pack | None:
    for pack in packs_in_force().packs:
        if pack.label == label_:
            return pack
    return pack_get(label_)


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
    pack_label: str
    pack_title: str
    hotline: str
    serial: str | None
    model: str | None
    symptom: str | None


def decision_shown(*, decision: Decision, facts: Facts, device: DeviceInfo | None,
                   language: str | None, symptom: str | None = None) -> DecisionShown:
    zh = is_zh(language)
    pack = pack_by_label(decision.pack)
    clauses = []
    for cid in decision.clauses:
        clause = pack.clauses[cid] if pack else None
        if clause is not None:
            clauses.append(ShownClause(cid, clause.zh if zh else clause.en, clause.source))
    symptom_text = None
    if symptom and pack and symptom in pack.symptoms:
        symptom_text = pack.symptoms[symptom].zh if zh else pack.symptoms[symptom].en
    return DecisionShown(
        covered=decision.covered, starts_on=decision.starts_on, ends_on=decision.ends_on,
        basis=decision.basis, months=decision.months,
        group=label(GROUPS, decision.group, language, capital=False),
        part=label(PARTS, facts.part, language),
        product_line=label(PRODUCT_LINES, facts.product_line, language),
        onsite_eligible=decision.onsite_eligible, onsite_ends_on=decision.onsite_ends_on,
        reasons=[ShownReason(r.code, r.zh if zh else r.en, r.clause) for r in decision.reasons],
        clauses=clauses, pack_label=decision.pack,
        pack_title=(pack.title_zh if zh else pack.title_en) if pack else decision.pack,
        hotline=pack.lines[facts.product_line].hotline if pack else "",
        serial=device.serial if device else None, model=device.model if device else None,
        symptom=symptom_text,
    )
