"""Where money moves: one-phase transfers, and holds placed, posted, voided and expired.

Every operation carries an idempotency key chosen by the caller. The first request with a key
writes its transfer; a retry with the same key and the same request returns that transfer and
moves nothing; the same key with a different request is refused (``idempotency-key-reused``).
Two identical requests at the same moment make one movement: the unique key decides — the
second one's insert waits on the first at the key's index, writes nothing, and reads the first.

A write costs two statements (``statements``): the row, inserted with the idempotency check
folded in, and both accounts' kept figures, locked in account-id order and moved at once; a
post, void or expiry reads its hold first. They run in one transaction — the caller's, when it
has one, with no savepoint, which is why these services are not wrapped in an atomic block of
their own: every refusal is raised before the write or after one that wrote nothing.

A hold is resolved once: posting, voiding or expiring one already resolved is refused
(``hold-already-resolved``, saying how it was resolved), and the database's unique ``pending``
holds to it too. A hold past its timeout can no longer be posted or voided (``hold-expired``);
``holds_expire`` releases it, and is safe to run any number of times at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.db import transaction

from aftersales.core.errors import AppError, Conflict, NotFound
from aftersales.core.money import CURRENCIES, parse_amount
from aftersales.ledger.models import RESOLUTIONS, Account, Kind, Purpose, Transfer
from aftersales.ledger.statements import balances_move, transfer_insert
from aftersales.policy.dates import accepted, out_of_range_words

KEY_LIMIT = 128


def account_for(purpose: Purpose | str, currency: str) -> Account:
    """The ledger's account for ``purpose`` in ``currency``, opened on first use."""
    account, _created = Account.objects.get_or_create(purpose=Purpose(purpose), currency=_currency(currency))
    return account


def transfer_post(*, key: str, debit: Purpose | str, credit: Purpose | str, amount, currency: str,
                  effective_on: dt.date, now: dt.datetime, reference: str = "", memo: str = "") -> Transfer:
    """Move ``amount`` from ``debit`` to ``credit`` at once."""
    amount = _positive(amount)
    request = {"op": "transfer", "debit": str(debit), "credit": str(credit), "amount": str(amount),
               "currency": currency, "effective_on": _day(effective_on).isoformat(), "reference": reference}
    return _write(key, request, _purposes(debit, credit, currency), Transfer(
        kind=Kind.POSTED, amount=amount, currency=currency, effective_on=effective_on, recorded_at=now,
        reference=reference, memo=memo))


def hold_place(*, key: str, debit: Purpose | str, credit: Purpose | str, amount, currency: str,
               timeout_at: dt.datetime | None, effective_on: dt.date, now: dt.datetime, reference: str = "",
               memo: str = "") -> Transfer:
    """Reserve ``amount`` from ``debit`` to ``credit`` until it is posted, voided or, at
    ``timeout_at`` (None: never), expired."""
    amount = _positive(amount)
    if timeout_at is not None and timeout_at <= now:
        raise AppError("hold-timeout-past", "A hold must expire after the moment it is placed.",
                       "预留的到期时间必须晚于设立时间。")
    request = {"op": "hold", "debit": str(debit), "credit": str(credit), "amount": str(amount),
               "currency": currency, "timeout_at": timeout_at.isoformat() if timeout_at else None,
               "effective_on": _day(effective_on).isoformat(), "reference": reference}
    return _write(key, request, _purposes(debit, credit, currency), Transfer(
        kind=Kind.PENDING, amount=amount, currency=currency, timeout_at=timeout_at, effective_on=effective_on,
        recorded_at=now, reference=reference, memo=memo))


def hold_post(*, key: str, hold: int, amount=None, effective_on: dt.date, now: dt.datetime,
              memo: str = "") -> Transfer:
    """Move ``amount`` of the hold (all of it when None; zero releases it all), releasing the rest."""
    held = _hold(hold)
    amount = held.amount if amount is None else parse_amount(amount)
    if amount > held.amount:
        raise AppError("post-above-hold", f"Only {held.amount} {held.currency} is held; {amount} cannot be posted.",
                       f"仅预留了 {held.amount} {held.currency}，无法入账 {amount}。")
    return _resolve(key, held, Kind.POST, amount, effective_on, now, memo)


def hold_void(*, key: str, hold: int, effective_on: dt.date, now: dt.datetime, memo: str = "") -> Transfer:
    """Release the whole hold; nothing moves."""
    held = _hold(hold)
    return _resolve(key, held, Kind.VOID, held.amount, effective_on, now, memo)


def holds_expire(*, now: dt.datetime) -> int:
    """Expire every unresolved hold whose timeout has come; returns how many this call expired."""
    expired = 0
    due = (Transfer.objects.filter(kind=Kind.PENDING, timeout_at__lte=now)
           .exclude(id__in=Transfer.objects.filter(kind__in=RESOLUTIONS).values("pending")))
    for held in list(due):
        try:
            _resolve(f"expire:{held.id}", held, Kind.EXPIRE, held.amount, now.date(), now, "", expiring=True)
            expired += 1
        except Conflict:  # resolved meanwhile by another process: nothing to do
            continue
    return expired


# ---------------------------------------------------------------------------------------------


def _resolve(key: str, held: Transfer, kind: Kind, amount: Decimal, effective_on: dt.date, now: dt.datetime,
             memo: str, *, expiring: bool = False) -> Transfer:
    request = {"op": str(kind), "hold": held.id, "amount": str(amount), "effective_on": _day(effective_on).isoformat()}
    resolution = Transfer(kind=kind, pending=held, amount=amount, currency=held.currency, effective_on=effective_on,
                          recorded_at=now, reference=held.reference, memo=memo)
    if not expiring and held.timeout_at is not None and held.timeout_at <= now:
        if (earlier := _earlier(_key(key), _fingerprint(request))) is not None:  # a retry of one made in time
            return earlier
        _refuse_resolved(held)
        raise Conflict("hold-expired", "This hold has expired; its amount is no longer reserved.",
                       "此预留已过期，金额不再保留。")
    return _write(key, request, (held.debit_id, held.credit_id), resolution)


_RESOLVED = {Kind.POST: ("posted", "入账"), Kind.VOID: ("voided", "撤销"), Kind.EXPIRE: ("expired", "过期")}


def _refuse_resolved(held: Transfer) -> None:
    done = Transfer.objects.filter(pending=held).only("kind").first()
    if done is not None:
        en, zh = _RESOLVED[done.kind]
        raise Conflict("hold-already-resolved", f"This hold was already {en}.", f"此预留此前已{zh}。")


def _write(key: str, request: dict, accounts: tuple, transfer: Transfer) -> Transfer:
    """Write ``transfer`` between ``accounts`` (ids, or purpose-and-currency pairs), or answer
    with the transfer its key already names. The insert and the balances are one transaction —
    the caller's when there is one, without a savepoint of their own: every refusal is raised
    after it, having written nothing, so that a caller's transaction goes on after catching one."""
    transfer.key, transfer.fingerprint = _key(key), _fingerprint(request)
    for _attempt in range(2):
        with transaction.atomic(savepoint=False):
            if transfer_insert(transfer, debit=accounts[0], credit=accounts[1]):
                balances_move(transfer, **_moves(transfer))
                return transfer
        if (earlier := _earlier(transfer.key, transfer.fingerprint)) is not None:  # a retry, or a parallel twin
            return earlier
        if transfer.pending_id is not None:  # its hold was resolved by another request
            _refuse_resolved(transfer.pending)
            break
        for purpose, currency in accounts:  # nothing written and nothing taken: an account not yet opened
            account_for(purpose, currency)
    raise RuntimeError(f"ledger transfer {transfer.key}: neither written nor found")


def _moves(transfer: Transfer) -> dict[str, Decimal]:
    """What ``transfer`` adds to its accounts' pending and posted figures: a resolution releases
    the whole hold and posts what it posts (nothing for a void or expiry)."""
    kind, amount = transfer.kind, transfer.amount
    if kind == Kind.POSTED:
        return {"pending": Decimal(0), "posted": amount}
    if kind == Kind.PENDING:
        return {"pending": amount, "posted": Decimal(0)}
    return {"pending": -transfer.pending.amount, "posted": amount if kind == Kind.POST else Decimal(0)}


def _purposes(debit, credit, currency: str) -> tuple[tuple[str, str], tuple[str, str]]:
    currency, debit, credit = _currency(currency), Purpose(debit), Purpose(credit)
    if debit == credit:
        raise AppError("same-account", "Money cannot move from an account to itself.", "资金不能转入同一账户。")
    return (debit.value, currency), (credit.value, currency)


def _fingerprint(request: dict) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()


def _earlier(key: str, fingerprint: str) -> Transfer | None:
    earlier = Transfer.objects.filter(key=key).first()
    if earlier is None:
        return None
    if earlier.fingerprint != fingerprint:
        raise Conflict("idempotency-key-reused",
                       "This request key was already used for a different request; use a new key.",
                       "此请求键已用于另一项不同的请求，请换用新的键。")
    return earlier


def _hold(hold: int) -> Transfer:
    held = Transfer.objects.filter(id=hold, kind=Kind.PENDING).first()
    if held is None:
        raise NotFound("hold-not-found", "There is no such hold.", "没有这笔预留。")
    return held


def _currency(currency: str) -> str:
    if currency not in CURRENCIES:
        raise AppError("unknown-currency", f"The currency {currency[:8]!r} is not one the books keep.",
                       f"账簿不使用货币 {currency[:8]!r}。")
    return currency


def _positive(amount) -> Decimal:
    value = parse_amount(amount)
    if value == 0:
        raise AppError("amount-zero", "A transfer must move more than nothing.", "转账金额必须大于零。")
    return value


def _key(key) -> str:
    if not isinstance(key, str) or not key.strip() or len(key) > KEY_LIMIT or "\x00" in key:
        raise AppError("invalid-idempotency-key",
                       f"Every money operation needs a request key of 1 to {KEY_LIMIT} characters.",
                       f"每项资金操作都需要 1 至 {KEY_LIMIT} 个字符的请求键。")
    return key


def _day(day) -> dt.date:
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise AppError("invalid-date", "The business date is not a date.", "业务日期不是有效日期。")
    if not accepted(day):
        en, zh = out_of_range_words(day, "The business date", "业务日期")
        raise AppError("date-out-of-range", en, zh)
    return day
