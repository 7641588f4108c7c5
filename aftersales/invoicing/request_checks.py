"""What an issue request must hold before anything is written: a request key, lines a person can
read with amounts to the cent, a total above nothing and below what a money column holds, a known
region and currency, a customer to address, and ledger transfers that exist in the document's
currency. Each refusal is an ``AppError`` with a code and a message in English and Chinese.

``fingerprint`` is what tells a retry from a reuse of its key: a digest of the request as checked
(amounts as text, transfers by id), never of the moment it came in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from aftersales.core.errors import AppError, NotFound
from aftersales.core.money import AMOUNT_LIMIT, CURRENCIES, parse_amount
from aftersales.ledger.models import Transfer
from aftersales.policy.vocabulary import REGIONS

KEY_LIMIT = 128
LINE_LIMIT = 50
QUANTITY_LIMIT = 9999
TEXT_LIMIT = 200


@dataclass(frozen=True)
class Line:
    """One line of an invoice: what it is in English and Chinese, the amount of one unit (a
    decimal string, int or Decimal; never a float) and how many."""

    description_en: str
    description_zh: str
    unit_amount: Decimal | str | int
    quantity: int = 1


@dataclass(frozen=True)
class CheckedLine:
    description_en: str
    description_zh: str
    unit_amount: Decimal
    quantity: int
    amount: Decimal


def key_checked(key) -> str:
    if not isinstance(key, str) or not key.strip() or len(key) > KEY_LIMIT or "\x00" in key:
        raise AppError("invalid-idempotency-key",
                       f"Every invoice and credit note needs a request key of 1 to {KEY_LIMIT} characters.",
                       f"每张发票和贷项通知单都需要 1 至 {KEY_LIMIT} 个字符的请求键。")
    return key


def text_checked(value, *, limit: int, code: str, en: str, zh: str, required: bool = True) -> str:
    """Printable text of at most ``limit`` characters (empty only when not ``required``)."""
    text = value.strip() if isinstance(value, str) else None
    if text is None or len(text) > limit or (required and not text) or not _printable(text):
        raise AppError(code, en, zh)
    return text


def _printable(text: str) -> bool:
    return not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in text)


def lines_checked(lines) -> list[CheckedLine]:
    if not isinstance(lines, (list, tuple)) or not lines or len(lines) > LINE_LIMIT:
        raise AppError("invalid-lines", f"An invoice has from 1 to {LINE_LIMIT} lines.",
                       f"一张发票须有 1 至 {LINE_LIMIT} 行项目。")
    checked = [_line_checked(line) for line in lines]
    total_checked(sum((line.amount for line in checked), Decimal("0.00")))
    return checked


def _line_checked(line) -> CheckedLine:
    if not isinstance(line, Line):
        raise AppError("invalid-lines", "Each line of an invoice needs a description, an amount and a quantity.",
                       "发票的每一行都须有说明、金额和数量。")
    words = {"limit": TEXT_LIMIT, "code": "invalid-line-description",
             "en": f"Each line needs a description in English and in Chinese, of at most {TEXT_LIMIT} characters.",
             "zh": f"每一行都须有英文和中文说明，各不超过 {TEXT_LIMIT} 个字符。"}
    quantity = line.quantity
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= QUANTITY_LIMIT:
        raise AppError("invalid-quantity", f"A quantity is a whole number from 1 to {QUANTITY_LIMIT}.",
                       f"数量须为 1 至 {QUANTITY_LIMIT} 的整数。")
    unit = parse_amount(line.unit_amount, what=("The unit amount", "单价"))
    return CheckedLine(text_checked(line.description_en, **words), text_checked(line.description_zh, **words),
                       unit, quantity, total_checked(unit * quantity, zero_allowed=True))


def total_checked(total: Decimal, *, zero_allowed: bool = False) -> Decimal:
    if total >= AMOUNT_LIMIT:
        raise AppError("amount-too-large", "The total is too large: it must be below 10,000,000,000.",
                       "合计金额过大：必须小于 10,000,000,000。")
    if total <= 0 and not zero_allowed:
        raise AppError("total-zero", "An invoice or credit note must be for more than nothing.",
                       "发票或贷项通知单的金额必须大于零。")
    return total


def region_checked(region) -> str:
    if region not in REGIONS:
        raise AppError("unknown-region", "The region is not one we serve.", "该地区不在我们的服务范围内。")
    return region


def currency_checked(currency) -> str:
    if currency not in CURRENCIES:
        raise AppError("unknown-currency", f"The currency {str(currency)[:8]!r} is not one the books keep.",
                       f"账簿不使用货币 {str(currency)[:8]!r}。")
    return currency


def email_checked(email) -> str:
    text = email.strip() if isinstance(email, str) else None
    try:
        if text is None:
            raise ValidationError("not text")
        if text:
            validate_email(text)
    except ValidationError:
        raise AppError("invalid-email", "The customer's e-mail address is not valid.",
                       "客户的电子邮件地址无效。") from None
    return text


def transfers_checked(transfers, currency: str) -> list[Transfer]:
    if not isinstance(transfers, (list, tuple)):
        transfers = [None]
    ids = [t.pk if isinstance(t, Transfer) else t for t in transfers]
    if any(not isinstance(i, int) or isinstance(i, bool) for i in ids):
        raise NotFound("transfer-not-found", "A movement of money the document names does not exist.",
                       "单据所列的一笔资金往来不存在。")
    found = list(Transfer.objects.filter(pk__in=ids).order_by("pk"))
    if len(found) != len(set(ids)):
        raise NotFound("transfer-not-found", "A movement of money the document names does not exist.",
                       "单据所列的一笔资金往来不存在。")
    if any(t.currency != currency for t in found):
        raise AppError("transfer-currency-mismatch", "A movement of money the document names is in another currency.",
                       "单据所列的一笔资金往来使用的是另一种货币。")
    return found


def moment_checked(now) -> dt.datetime:
    if not isinstance(now, dt.datetime) or now.tzinfo is None:
        raise AppError("invalid-moment", "The moment of issue must be a date and time with its time zone.",
                       "开具时间必须是带时区的日期时间。")
    return now


def fingerprint(request: dict) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()
