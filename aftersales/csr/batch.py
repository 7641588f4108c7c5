"""The csr-eligibility batch: decide each JSONL line against the self-repair programme.

Input line: ``id``, ``country``, ``product_line``, ``shipped_on``, ``sold_on`` (year-month-day),
``in_warranty``, ``diagnostic_app``, ``model_excluded`` (true or false), ``confirmed_faults``
(a list of parts), ``requested_part``, ``applied_on``. Output line: ``id``, ``eligible``,
``reasons: [{"code", "en", "zh"}]``, and when eligible ``return_due_on`` and ``deposit:
{"amount", "currency"}`` — the part's price on the day of application in the parts price list
(the programme charges the part's market price); or ``id`` and ``error``. Each line is decided
by the self-repair terms of the pack in force on its ``applied_on`` (``csr.terms``); a refusal's
words end with the clause it applies, title and section; a day without terms is an error line
(``no-self-repair-terms``).

The shared batch contract holds (``core.jsonl``): whatever a line holds, it becomes a verdict
or an error line and the batch goes on; exit 0, 1 when some lines carry errors, 2 when the
input cannot be read. An eligible line whose part has no price that day is an error line
(``no-deposit-price``): a deposit cannot be named without one.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import BinaryIO, Callable


from aftersales.billing.preview import line_id
from aftersales.billing.selectors import part_price_on
from aftersales.core.errors import AppError
from aftersales.core.jsonl import answer_lines, shown
from aftersales.core.money import Money
from aftersales.csr.rules.eligibility import Facts, csr_eligibility
from aftersales.csr.terms import programme_pack
from aftersales.policy.pack import Pack
from aftersales.policy.dates import accepted, out_of_range_words
from aftersales.policy.vocabulary import PARTS, PRODUCT_LINES

FAULTS_LIMIT = 50
Prices = Callable[[str, str, str, dt.date], Money | None]
Programme = Callable[[dt.date], Pack]


def _bool(obj: dict, field: str) -> bool:
    value = obj.get(field)
    if not isinstance(value, bool):
        raise AppError("invalid-request", f"{field} must be true or false.", f"{field} 必须为 true 或 false。",
                       field=field)
    return value


def _date(obj: dict, field: str) -> dt.date:
    value = obj.get(field)
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise AppError("invalid-date", f"{field} must be a date written as year-month-day, e.g. 2025-07-01.",
                       f"{field} 必须是“年-月-日”格式的日期，例如 2025-07-01。", field=field)
    if not accepted(day):
        en, zh = out_of_range_words(day, field, field)
        raise AppError("date-out-of-range", en, zh, field=field)
    return day


def _part(value, field: str) -> str:
    if not isinstance(value, str) or value not in PARTS:
        raise AppError("unknown-part", f"{field}: unknown part {shown(value)}.", f"{field}：未知部件 {shown(value)}。",
                       field=field)
    return value


def line_facts(obj) -> Facts:
    if not isinstance(obj, dict):
        raise AppError("not-an-object", "The line is not a JSON object.", "该行不是 JSON 对象。")
    line_id(obj)
    country, line = obj.get("country"), obj.get("product_line")
    if not isinstance(country, str) or len(country) != 2 or not country.isascii() or not country.isalpha():
        raise AppError("invalid-country", f"country must be a two-letter country code, not {shown(country)}.",
                       f"country 必须是两个字母的国家代码，而不是 {shown(country)}。", field="country")
    if not isinstance(line, str) or line not in PRODUCT_LINES:
        raise AppError("unknown-product-line", f"Unknown product line {shown(line)}.", f"未知产品线 {shown(line)}。",
                       field="product_line")
    faults = obj.get("confirmed_faults")
    if not isinstance(faults, list) or len(faults) > FAULTS_LIMIT:
        raise AppError("invalid-request", f"confirmed_faults must be a list of at most {FAULTS_LIMIT} parts.",
                       f"confirmed_faults 必须是不超过 {FAULTS_LIMIT} 个部件的列表。", field="confirmed_faults")
    return Facts(country=country.upper(), product_line=line, shipped_on=_date(obj, "shipped_on"),
                 sold_on=_date(obj, "sold_on"), in_warranty=_bool(obj, "in_warranty"),
                 diagnostic_app=_bool(obj, "diagnostic_app"), model_excluded=_bool(obj, "model_excluded"),
                 confirmed_faults=tuple(_part(f, "confirmed_faults") for f in faults),
                 requested_part=_part(obj.get("requested_part"), "requested_part"),
                 applied_on=_date(obj, "applied_on"))


def decide_line(obj, prices: Prices, programme: Programme = programme_pack) -> dict:
    facts = line_facts(obj)
    pack = programme(facts.applied_on)
    verdict = csr_eligibility(facts, pack.self_repair, pack.clauses)
    out = {"id": obj.get("id"), "eligible": verdict.eligible,
           "reasons": [{"code": r.code, "en": r.en, "zh": r.zh} for r in verdict.reasons]}
    if verdict.eligible:
        deposit = prices(facts.requested_part, facts.product_line, facts.country, facts.applied_on)
        if deposit is None:
            raise AppError("no-deposit-price", f"The price list has no {facts.requested_part} price for "
                                               f"{facts.country} on {facts.applied_on}, so no deposit can be named.",
                           f"价目表中没有 {facts.country} 在 {facts.applied_on} 的 {facts.requested_part} 价格，"
                           f"因此无法确定押金。", status=422)
        out["return_due_on"] = verdict.return_due_on.isoformat()
        out["deposit"] = {"amount": str(deposit.amount), "currency": deposit.currency}
    return out


def price_list() -> Prices:
    """The parts price list, each (part, product line, country, day) read once per batch."""
    @functools.lru_cache(maxsize=4096)
    def price(part: str, product_line: str, country: str, day: dt.date) -> Money | None:
        return part_price_on(part=part, product_line=product_line, region=country, model="", day=day)

    return price


def run_eligibility(infile: BinaryIO, outfile: BinaryIO, *, prices: Prices,
                    progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Decide every line of ``infile`` into ``outfile``; raises ``jsonl.Unreadable`` before
    writing anything when the input is not UTF-8 text."""
    programme = functools.lru_cache(maxsize=4096)(programme_pack)  # the pack of each day, found once per batch
    return answer_lines(infile, outfile, lambda obj: decide_line(obj, prices, programme), line_id=line_id,
                        progress=progress)
