"""The customer's status look-up, read in one plain SQL statement.

What a customer following a case sees — its status, model and serial, each reported fault with
its finding, and the customer-visible timeline — is the platform's most frequent public read.
Through the ORM it cost three queries whose building and row-to-object work took most of the
request's time; here it is one statement worded once per process from the models' own table and
column names: the case by its number, its faults and its timeline together (``UNION ALL``),
rows read as plain tuples. Each round trip to the database costs more CPU time, in the app and
in PostgreSQL, than the reads themselves, so the API's rate limit is counted in the same
statement (``ratelimit.counted_read``). The datetimes go through the database backend's own
converters, as the ORM's do.

It answers exactly what ``selectors.case_lookup`` with ``customer_timeline`` answer (the plain
path through the ORM, which the case pages use): ``test_lookup.py`` checks the two against each
other on cases with and without findings, hidden events and events at the same instant.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, connections

from aftersales.core.errors import NotFound
from aftersales.core.prepared import fetch_all
from aftersales.core.ratelimit import Hit, counted_read, rate_limit_hit
from aftersales.repairs.models import Case, CaseEvent, Finding, ReportedSymptom
from aftersales.repairs.numbers import normalise_case_number
from aftersales.repairs.selectors import NOT_FOUND, contact_matches


@dataclass(frozen=True, slots=True)
class FoundCase:
    id: int
    number: str
    status: str


@dataclass(frozen=True, slots=True)
class CaseStatus:
    """The case as its customer follows it. ``symptoms``: (position, reported, finding or None)
    in position order; ``timeline``: (at, kind, English, Chinese), oldest first."""

    number: str
    status: str
    model: str
    serial: str
    symptoms: list[tuple[int, str, str | None]]
    timeline: list[tuple[dt.datetime, str, str, str]]


@dataclass(frozen=True)
class _Statements:
    case: str  # the case by its number
    status: str  # the case by its number, its faults and its customer-visible timeline
    at: object  # the event time's column expression, which names the converters for its values


_CASE_COLUMNS = ("id", "number", "status", "model", "serial", "email", "phone")


@functools.cache
def _statements(vendor: str) -> _Statements:
    q = connection.ops.quote_name

    def col(model, field: str, alias: str) -> str:
        return f"{alias}.{q(model._meta.get_field(field).column)}"

    def table(model, alias: str) -> str:
        return f"{q(model._meta.db_table)} {alias}"

    c, s, f, e = Case, ReportedSymptom, Finding, CaseEvent
    by_number = f"{col(c, 'number', 'c')} = %s"
    no_time = f"CAST(NULL AS {e._meta.get_field('at').db_type(connection)})"  # PostgreSQL types each column
    case = f"SELECT {', '.join(col(c, n, 'c') for n in _CASE_COLUMNS)} FROM {table(c, 'c')} WHERE {by_number}"
    # One statement, one row shape (part, number, time, six texts): part 0 the case, part 1 its
    # faults with their findings, part 2 its customer-visible events; sorted by the caller.
    status = (
        f"SELECT 0, {col(c, 'id', 'c')}, {no_time}, "
        f"{', '.join(col(c, n, 'c') for n in _CASE_COLUMNS[1:])} FROM {table(c, 'c')} WHERE {by_number} "
        f"UNION ALL "
        f"SELECT 1, {col(s, 'position', 's')}, {no_time}, {col(s, 'text', 's')}, "
        f"(SELECT {col(f, 'text', 'f')} FROM {table(f, 'f')} WHERE {col(f, 'symptom', 'f')} = {col(s, 'id', 's')}), "
        f"NULL, NULL, NULL, NULL FROM {table(s, 's')} JOIN {table(c, 'c')} ON {col(c, 'id', 'c')} = {col(s, 'case', 's')} "
        f"WHERE {by_number} "
        f"UNION ALL "
        f"SELECT 2, {col(e, 'id', 'e')}, {col(e, 'at', 'e')}, {col(e, 'kind', 'e')}, {col(e, 'summary_en', 'e')}, "
        f"{col(e, 'summary_zh', 'e')}, NULL, NULL, NULL FROM {table(e, 'e')} "
        f"JOIN {table(c, 'c')} ON {col(c, 'id', 'c')} = {col(e, 'case', 'e')} "
        f"WHERE {by_number} AND {col(e, 'customer_visible', 'e')} = %s")
    return _Statements(case, status, CaseEvent._meta.get_field("at").get_col(CaseEvent._meta.db_table))


def _not_found() -> NotFound:
    return NotFound("case-not-found", *NOT_FOUND, field="number")


def case_found(*, number: str, contact: str) -> FoundCase:
    """The case with that number whose e-mail or phone is ``contact``; raises ``NotFound``
    (the same answer whichever was wrong) otherwise."""
    normal = normalise_case_number(number)
    rows = fetch_all(_statements(connection.vendor).case, [normal]) if normal else []
    row = rows[0] if rows else None
    if row is None or not contact_matches(row[5], row[6], contact):
        raise _not_found()
    return FoundCase(*row[:3])


def case_status(*, number: str, contact: str, counting: Hit | None = None) -> CaseStatus:
    """What ``case_found`` finds, with its faults and customer-visible timeline, in one
    statement. ``counting``: a rate-limited request, counted in the same round trip
    (``ratelimit.counted_read``), so that a client over its limit is refused before anything
    is compared or answered."""
    normal = normalise_case_number(number)
    if not normal:
        if counting is not None:
            rate_limit_hit(scope=counting.scope, client=counting.client, limit=counting.limit,
                           period_seconds=counting.period_seconds)
        raise _not_found()
    statements = _statements(connections[DEFAULT_DB_ALIAS].vendor)
    params = [normal, normal, normal, True]
    # Prepared once per connection on PostgreSQL, where planning it cost more than running it.
    if counting is None:
        rows = fetch_all(statements.status, params)
    else:
        rows = counted_read(counting, statements.status, params)
    return _status(rows, contact, statements.at)


def _status(rows: list[tuple], contact: str, at) -> CaseStatus:
    case = next((row for row in rows if row[0] == 0), None)
    if case is None or not contact_matches(case[7], case[8], contact):
        raise _not_found()
    symptoms = sorted(((position, reported, finding) for part, position, _at, reported, finding, *_ in rows
                       if part == 1), key=lambda symptom: symptom[0])
    connection = connections[DEFAULT_DB_ALIAS]  # once: each use of ``django.db.connection`` looks it up
    converters = [*connection.ops.get_db_converters(at), *at.get_db_converters(connection)]
    events = []
    for part, pk, when, kind, en, zh, *_ in rows:
        if part == 2:
            for converter in converters:
                when = converter(when, at, connection)
            events.append((when, pk, kind, en, zh))
    events.sort()
    return CaseStatus(case[3], case[4], case[5], case[6], symptoms,
                      [(when, kind, en, zh) for when, _pk, kind, en, zh in events])
