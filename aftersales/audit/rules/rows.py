"""Reading one row of a history file: every value checked, each fault a code and words in English
and Chinese, the row returned as typed values ready to store (docs/history.md).

A row is text as the file gave it (``{column: str | None}``). What is checked here needs no
other row: the vocabulary, dates the product accepts and in the order time gives them, amounts
to the cent, the currency a known one. Whether a line's case exists is the importer's question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from aftersales.core.errors import AppError
from aftersales.core.money import CURRENCIES, parse_amount
from aftersales.core.numbers import plain_number
from aftersales.policy.dates import accepted, out_of_range_words
from aftersales.policy.vocabulary import EXCLUSION_CODES, PARTS, PRODUCT_LINES, REGIONS, SERVICES

CASE_COLUMNS = ("case_number", "region", "centre", "product_line", "model", "serial", "manufactured_on",
                "purchased_on", "opened_on", "closed_on", "part", "exclusions", "quotation_rejected", "currency")
LINE_COLUMNS = ("case_number", "line_no", "service", "part", "labour_charged", "parts_charged", "currency")
PAYMENT_COLUMNS = ("case_number", "paid_on", "amount", "currency", "reference")
PRICE_COLUMNS = ("part", "product_line", "region", "currency", "price", "effective_from")

_DATE_WORDS = {"manufactured_on": ("The manufacture date", "生产日期"), "purchased_on": ("The invoice date", "发票日期"),
               "opened_on": ("The day the case was opened", "立案日期"), "closed_on": ("The day the case was closed", "结案日期"),
               "paid_on": ("The payment date", "付款日期"), "effective_from": ("The first day of the price", "价格生效日期")}


class RowError(AppError):
    """A value of a history row that cannot be taken as it stands."""


@dataclass(frozen=True, slots=True)
class CaseRow:
    case_number: str
    region: str
    centre: str
    product_line: str
    model: str
    serial: str
    manufactured_on: dt.date
    purchased_on: dt.date | None
    opened_on: dt.date
    closed_on: dt.date | None
    part: str
    exclusions: str
    quotation_rejected: bool
    currency: str


@dataclass(frozen=True, slots=True)
class LineRow:
    case_number: str
    line_no: int
    service: str
    part: str
    labour_charged: Decimal
    parts_charged: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class PaymentRow:
    case_number: str
    paid_on: dt.date
    amount: Decimal
    currency: str
    reference: str


def _text(row: dict, column: str, *, limit: int, required: bool = True) -> str:
    value = (row.get(column) or "").strip()
    if required and not value:
        raise RowError("missing-value", f"{column} is empty.", f"{column} 为空。", field=column)
    if len(value) > limit:
        raise RowError("too-long", f"{column} is longer than {limit} characters.",
                       f"{column} 超过 {limit} 个字符。", field=column)
    return value


def _named(row: dict, column: str, table, what: tuple[str, str], *, required: bool = True) -> str:
    value = _text(row, column, limit=40, required=required)
    if value and value not in table:
        raise RowError(f"unknown-{column.replace('_', '-')}" if column != "part" else "unknown-part",
                       f"{what[0]} {value!r} is not one we know.", f"无法识别的{what[1]} {value!r}。", field=column)
    return value


def _date(row: dict, column: str, *, required: bool = True) -> dt.date | None:
    value = (row.get(column) or "").strip()
    en, zh = _DATE_WORDS[column]
    if not value:
        if required:
            raise RowError("missing-value", f"{en} is missing.", f"缺少{zh}。", field=column)
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise RowError("invalid-date", f"{en} {value!r} is not a date written as year-month-day.",
                       f"{zh} {value!r} 不是“年-月-日”格式的日期。", field=column) from None
    if not accepted(day):
        raise RowError("date-out-of-range", *out_of_range_words(day, en, zh), field=column)
    return day


_AMOUNT_WORDS = {"labour_charged": ("The labour charged", "所收人工费"), "parts_charged": ("The parts charged", "所收备件费"),
                 "amount": ("The amount paid", "付款金额")}


def _amount(row: dict, column: str) -> Decimal:
    try:
        return parse_amount(row.get(column) or "", field=column, what=_AMOUNT_WORDS[column])
    except AppError as exc:
        raise RowError(exc.code, exc.en, exc.zh, field=column) from exc


def _currency(row: dict) -> str:
    return _named(row, "currency", CURRENCIES, ("Currency", "货币"))


def _flag(row: dict, column: str) -> bool:
    value = (row.get(column) or "").strip().lower()
    if value not in ("true", "false"):
        raise RowError("invalid-flag", f"{column} must be true or false.", f"{column} 必须为 true 或 false。",
                       field=column)
    return value == "true"


def _order(earlier: dt.date | None, later: dt.date | None, field: str, en: str, zh: str) -> None:
    if earlier is not None and later is not None and later < earlier:
        raise RowError("date-order", en, zh, field=field)


def _exclusions(row: dict) -> str:
    codes = [c.strip() for c in _text(row, "exclusions", limit=400, required=False).split(";") if c.strip()]
    for code in codes:
        if code not in EXCLUSION_CODES:
            raise RowError("unknown-exclusion", f"The inspection finding {code!r} is not one we know.",
                           f"无法识别的检测结论 {code!r}。", field="exclusions")
    return ";".join(dict.fromkeys(codes))


def case_row(row: dict) -> CaseRow:
    made, bought = _date(row, "manufactured_on"), _date(row, "purchased_on", required=False)
    opened, closed = _date(row, "opened_on"), _date(row, "closed_on", required=False)
    _order(made, bought, "purchased_on", "The invoice date is before the manufacture date.", "发票日期早于生产日期。")
    _order(bought or made, opened, "opened_on", "The case was opened before the warranty could start.",
           "立案日期早于保修起始日期。")
    _order(opened, closed, "closed_on", "The case was closed before it was opened.", "结案日期早于立案日期。")
    return CaseRow(
        case_number=_text(row, "case_number", limit=32), region=_named(row, "region", REGIONS, ("Region", "地区")),
        centre=_text(row, "centre", limit=64, required=False),
        product_line=_named(row, "product_line", PRODUCT_LINES, ("Product line", "产品线")),
        model=_text(row, "model", limit=64, required=False), serial=_text(row, "serial", limit=64, required=False),
        manufactured_on=made, purchased_on=bought, opened_on=opened, closed_on=closed,
        part=_named(row, "part", PARTS, ("Part", "部件")), exclusions=_exclusions(row),
        quotation_rejected=_flag(row, "quotation_rejected"), currency=_currency(row))


def line_row(row: dict) -> LineRow:
    number = plain_number(_text(row, "line_no", limit=9), digits=9)
    if not number:  # None or 0
        raise RowError("invalid-line-number", "line_no must be a whole number from 1.", "line_no 必须是从 1 起的整数。",
                       field="line_no")
    service = _named(row, "service", SERVICES, ("Service", "服务"))
    part = _named(row, "part", PARTS, ("Part", "部件"), required=False)
    if service == "part-replacement" and not part:
        raise RowError("missing-part", "A part replacement must name the part.", "备件更换必须注明部件。", field="part")
    return LineRow(case_number=_text(row, "case_number", limit=32), line_no=number, service=service, part=part,
                   labour_charged=_amount(row, "labour_charged"), parts_charged=_amount(row, "parts_charged"),
                   currency=_currency(row))


def payment_row(row: dict) -> PaymentRow:
    return PaymentRow(case_number=_text(row, "case_number", limit=32), paid_on=_date(row, "paid_on"),
                      amount=_amount(row, "amount"), currency=_currency(row),
                      reference=_text(row, "reference", limit=64))
