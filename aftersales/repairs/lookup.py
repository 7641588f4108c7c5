"""The customer's status look-up, read in two plain SQL statements.

What a customer following a case sees — its status, model and serial, each reported fault with
its finding, and the customer-visible timeline — is the platform's most frequent public read.
Through the ORM it cost three queries whose building and row-to-object work took most of the
request's time; here it is two statements worded once per process from the models' own table and
column names: the case by its number, then its faults and its timeline together (``UNION ALL``),
rows read as plain tuples. The datetimes go through the database backend's own converters, as
the ORM's do.

It answers exactly what ``selectors.case_lookup`` with ``customer_timeline`` answer (the plain
path through the ORM, which the case pages use): ``test_lookup.py`` checks the two against each
other on cases with and without findings, hidden events and events at the same instant.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import connection

from aftersales.core.errors import NotFound
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
    case: str
    details: str
    at: object  # the event time's column expression, which names the converters for its values


@functools.cache
def _statements(vendor: str) -> _Statements:
    q = connection.ops.quote_name

    def col(model, field: str, alias: str) -> str:
        return f"{alias}.{q(model._meta.get_field(field).column)}"

    def table(model, alias: str) -> str:
        return f"{q(model._meta.db_table)} {alias}"

    c, s, f, e = Case, ReportedSymptom, Finding, CaseEvent
    case = (f"SELECT {', '.join(col(c, n, 'c') for n in ('id', 'number', 'status', 'model', 'serial', 'email', 'phone'))} "
            f"FROM {table(c, 'c')} WHERE {col(c, 'number', 'c')} = %s")
    # One statement for both lists: part 0 the faults (ordered by position), part 1 the events
    # (by time, then by id, as they were written).
    details = (
        f"SELECT 0, {col(s, 'position', 's')}, NULL, {col(s, 'text', 's')}, "
        f"(SELECT {col(f, 'text', 'f')} FROM {table(f, 'f')} WHERE {col(f, 'symptom', 'f')} = {col(s, 'id', 's')}), "
        f"NULL FROM {table(s, 's')} WHERE {col(s, 'case', 's')} = %s "
        f"UNION ALL "
        f"SELECT 1, {col(e, 'id', 'e')}, {col(e, 'at', 'e')}, {col(e, 'kind', 'e')}, {col(e, 'summary_en', 'e')}, "
        f"{col(e, 'summary_zh', 'e')} FROM {table(e, 'e')} "
        f"WHERE {col(e, 'case', 'e')} = %s AND {col(e, 'customer_visible', 'e')} = %s "
        f"ORDER BY 1, 3, 2")
    return _Statements(case, details, CaseEvent._meta.get_field("at").get_col(CaseEvent._meta.db_table))


def _case_row(number: str, contact: str) -> tuple:
    normal = normalise_case_number(number)
    row = None
    if normal:
        with connection.cursor() as cursor:
            cursor.execute(_statements(connection.vendor).case, [normal])
            row = cursor.fetchone()
    if row is None or not contact_matches(row[5], row[6], contact):
        raise NotFound("case-not-found", *NOT_FOUND, field="number")
    return row


def case_found(*, number: str, contact: str) -> FoundCase:
    """The case with that number whose e-mail or phone is ``contact``; raises ``NotFound``
    (the same answer whichever was wrong) otherwise."""
    pk, number, status, *_ = _case_row(number, contact)
    return FoundCase(pk, number, status)


def case_status(*, number: str, contact: str) -> CaseStatus:
    """What ``case_found`` finds, with its faults and customer-visible timeline."""
    pk, number, status, model, serial, _email, _phone = _case_row(number, contact)
    statements = _statements(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(statements.details, [pk, pk, True])
        rows = cursor.fetchall()
    symptoms = [(position, reported, finding) for part, position, _at, reported, finding, _ in rows if part == 0]
    at = statements.at
    converters = [*connection.ops.get_db_converters(at), *at.get_db_converters(connection)]
    timeline = []
    for part, _id, when, kind, en, zh in rows:
        if part == 1:
            for converter in converters:
                when = converter(when, at, connection)
            timeline.append((when, kind, en, zh))
    return CaseStatus(number, status, model, serial, symptoms, timeline)
