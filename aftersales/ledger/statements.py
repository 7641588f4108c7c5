"""The statements a transfer costs: its row, written with the idempotency check folded in, and
the two accounts' kept figures, moved in one statement — the same on PostgreSQL and SQLite but
for the arithmetic of the figures.

``transfer_insert`` is one ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING``: it finds the
two accounts (by id, or by purpose and currency), writes the row, and writes nothing when the
key — or, for a post, void or expiry, the hold — is already taken; a request that arrives while
another with its key is being written waits for it on the unique index, so the caller can read
the winner as soon as it sees nothing written. No savepoint is needed, since nothing fails.

``balances_move`` adds a transfer's pending and posted amounts to its accounts. On PostgreSQL it
is one ``UPDATE … FROM (VALUES …)`` that first locks the two rows in account-id order (so two
transfers between the same accounts, either way round, never wait on each other) and adds in
``numeric``, exactly. SQLite's arithmetic on these columns is binary floating point (in which
2.01 − 2 − 0.01 is not zero), so there the figures are read, added in Decimal and written back;
SQLite lets one writer in at a time, and the insert before it has already made this one it.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection

from aftersales.ledger.models import Account, Transfer

FIGURES = ("debits_pending", "debits_posted", "credits_pending", "credits_posted")
# Every column of the row but its id and its two accounts, which the insert finds itself.
COLUMNS = [f for f in Transfer._meta.concrete_fields if f.attname not in ("id", "debit_id", "credit_id")]
AccountRef = int | tuple[str, str]  # an account's id, or its purpose and currency


def transfer_insert(transfer: Transfer, *, debit: AccountRef, credit: AccountRef) -> bool:
    """Write ``transfer`` between ``debit`` and ``credit``; returns whether it was written (its id
    and accounts are then set). Nothing is written when its key or its hold is already taken,
    or when an account named by purpose and currency has not been opened yet."""
    where_debit, debit_params = _account_is("d", debit)
    where_credit, credit_params = _account_is("c", credit)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in COLUMNS)
    values = ", ".join(_placeholder(f) for f in COLUMNS)
    sql = (f"INSERT INTO ledger_transfer ({columns}, debit_id, credit_id) "
           f"SELECT {values}, d.id, c.id FROM ledger_account d, ledger_account c "
           f"WHERE {where_debit} AND {where_credit} "
           "ON CONFLICT DO NOTHING RETURNING id, debit_id, credit_id")
    params = [f.get_db_prep_save(getattr(transfer, f.attname), connection) for f in COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params + debit_params + credit_params)
        row = cursor.fetchone()
    if row is None:
        return False
    transfer.id, transfer.debit_id, transfer.credit_id = row
    transfer._state.adding, transfer._state.db = False, connection.alias
    return True


def balances_move(transfer: Transfer, *, pending: Decimal, posted: Decimal) -> None:
    """Add ``pending`` and ``posted`` to the debit side of ``transfer``'s debit account and the
    credit side of its credit account (a release is a negative ``pending``)."""
    moves = {transfer.debit_id: (pending, posted, 0, 0), transfer.credit_id: (0, 0, pending, posted)}
    if connection.vendor == "postgresql":
        _add_in_sql(moves)
    else:
        _add_in_decimal(moves)


def _add_in_sql(moves: dict[int, tuple]) -> None:
    row = "(CAST(%s AS bigint), " + ", ".join(["CAST(%s AS numeric)"] * 4) + ")"
    sets = ", ".join(f"{name} = a.{name} + v.{name}" for name in FIGURES)
    sql = (f"UPDATE ledger_account a SET {sets} "
           "FROM (SELECT id FROM ledger_account WHERE id IN (%s, %s) ORDER BY id FOR NO KEY UPDATE) locked, "
           f"(VALUES {row}, {row}) v (id, {', '.join(FIGURES)}) "
           "WHERE a.id = locked.id AND v.id = locked.id")
    params = [*moves, *(value for account, figures in moves.items() for value in (account, *figures))]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _add_in_decimal(moves: dict[int, tuple]) -> None:
    accounts = list(Account.objects.filter(id__in=moves).only(*FIGURES))
    for account in accounts:
        for name, amount in zip(FIGURES, moves[account.id]):
            setattr(account, name, getattr(account, name) + amount)
    Account.objects.bulk_update(accounts, FIGURES)


def _account_is(alias: str, account: AccountRef) -> tuple[str, list]:
    if isinstance(account, int):
        return f"{alias}.id = %s", [account]
    purpose, currency = account
    return f"{alias}.purpose = %s AND {alias}.currency = %s", [str(purpose), currency]


def _placeholder(field) -> str:
    """PostgreSQL types a bare parameter in a SELECT list as text, which it will not store in a
    date, number or nullable column; SQLite needs no cast (and would misread a date cast to its
    affinity)."""
    if connection.vendor == "postgresql":
        return f"CAST(%s AS {field.db_type(connection)})"
    return "%s"
