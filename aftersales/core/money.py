"""Money: a Decimal amount with a currency, rounded to the currency's minor unit.

No floats, ever; adding two currencies raises. Amounts are quantized half-up on creation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# The currencies of the shared vocabulary: minor-unit digits, and the names used in Chinese text.
CURRENCIES: dict[str, int] = {"CNY": 2, "USD": 2, "CAD": 2}
CURRENCY_NAMES_ZH: dict[str, str] = {"CNY": "元", "USD": "美元", "CAD": "加元"}
CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]


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
