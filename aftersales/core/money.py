"""Money: a Decimal amount with a currency, rounded to the currency's minor unit; and the one
parser of amounts that people and files write.

No floats, ever; adding two currencies raises. Amounts are quantized half-up on creation.

``parse_amount`` is the only way an amount typed by a person or written in a file (a pack, a
JSONL line, a form) becomes a Decimal. It accepts a plain decimal string ("350", "350.5",
"350.00", surrounding spaces allowed), an int, or a Decimal, and refuses everything else with a
coded ``AppError`` in English and Chinese:

- ``invalid-amount``: a float (``1.5``, ``1e26`` read from JSON), a bool, a list or object,
  ``None``, or text that is not a plain decimal (``"NaN"``, ``"Infinity"``, ``"1e3"``,
  ``"12,50"``, ``".5"``, full-width digits);
- ``negative-amount``: below zero (``"-1"``; ``"-0"`` is zero);
- ``amount-too-precise``: a fraction of a cent. Nothing is rounded: ``"1.005"`` is refused
  rather than silently becoming 1.01 or 1.00; zeros beyond the cents (``"1.500"``) are fine;
- ``amount-too-large``: 10,000,000,000 or more, which a ``numeric(12, 2)`` column cannot hold.

The result always has exactly two decimal places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from aftersales.core.errors import AppError

# The currencies of the shared vocabulary: minor-unit digits, and the names used in Chinese text.
CURRENCIES: dict[str, int] = {"CNY": 2, "USD": 2, "CAD": 2}
CURRENCY_NAMES_ZH: dict[str, str] = {"CNY": "元", "USD": "美元", "CAD": "加元"}
CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]

# The largest amount a money column (numeric(12, 2)) holds is 9,999,999,999.99.
AMOUNT_LIMIT = Decimal(10) ** 10
CENT = Decimal("0.01")
_PLAIN_DECIMAL = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")  # ASCII digits only, no exponent
_TEXT_LIMIT = 64  # longer text is not an amount anyone wrote


def parse_amount(value, *, field: str | None = None, what: tuple[str, str] = ("The amount", "金额")) -> Decimal:
    """A non-negative amount to the cent, from a decimal string, an int or a Decimal (see the
    module overview for what is refused and why). ``what`` names the amount in the messages."""
    en, zh = what
    if isinstance(value, str):
        amount = _from_text(value.strip(), en, zh, field)
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, Decimal) and value.is_finite():
        amount = value
    else:
        raise _not_an_amount(en, zh, field)
    if amount < 0:
        raise AppError("negative-amount", f"{en} cannot be negative.", f"{zh}不能为负数。", field=field)
    if amount >= AMOUNT_LIMIT:
        raise AppError("amount-too-large", f"{en} is too large: it must be below 10,000,000,000.",
                       f"{zh}过大：必须小于 10,000,000,000。", field=field)
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise AppError("amount-too-precise", f"{en} has a fraction of a cent; give at most two decimal places.",
                       f"{zh}不能有不足一分的部分，最多保留两位小数。", field=field)
    return amount.quantize(CENT) + 0  # "+ 0" turns -0.00 into 0.00


def _from_text(text: str, en: str, zh: str, field: str | None) -> Decimal:
    if len(text) > _TEXT_LIMIT or not _PLAIN_DECIMAL.fullmatch(text):
        raise _not_an_amount(en, zh, field)
    return Decimal(text)


def _not_an_amount(en: str, zh: str, field: str | None) -> AppError:
    return AppError("invalid-amount", f'{en} must be written as a number such as "350.00".',
                    f"{zh}必须写成数字，例如“350.00”。", field=field)


class CurrencyMismatch(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        if self.currency not in CURRENCIES:
            raise ValueError(f"unknown currency {self.currency!r}")
        if isinstance(self.amount, float):
            raise TypeError("Money takes Decimal, int or str, never float")
        try:
            amount = Decimal(self.amount)
        except (InvalidOperation, TypeError) as exc:
            raise ValueError(f"not an amount: {self.amount!r}") from exc
        if not amount.is_finite():
            raise ValueError(f"not an amount: {self.amount!r}")
        quantum = Decimal(1).scaleb(-CURRENCIES[self.currency])
        object.__setattr__(self, "amount", amount.quantize(quantum, rounding=ROUND_HALF_UP))

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(Decimal(0), currency)

    def _same(self, other: "Money") -> None:
        if not isinstance(other, Money):
            raise TypeError("can only combine Money with Money")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} cannot be mixed")

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> "Money":
        if isinstance(factor, float):
            raise TypeError("multiply Money by int or Decimal, never float")
        return Money(self.amount * Decimal(factor), self.currency)

    def __lt__(self, other: "Money") -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: "Money") -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __neg__(self) -> "Money":
        return Money(-self.amount, self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
