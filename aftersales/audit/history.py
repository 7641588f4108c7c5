"""Importing repairs of past years: cases, then their lines, then their payments (docs/history.md).

Each row is checked on its own (``rules.rows``); a bad row is reported with its file, row number,
code and words in English and Chinese, and the rest go in. Rows are written a chunk at a time,
each chunk in its own transaction, so an import that stops half-way keeps what it wrote and the
next run goes on from there: a row whose key is already stored (case number; case and line
number; case and payment reference) is counted as already imported and left as it is. So
importing the same files again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.db import connection, transaction

from aftersales.audit.models import HistoryCase, HistoryLine, HistoryPayment
from aftersales.audit.rules import rows
from aftersales.audit.tables import Table

ERRORS_KEPT = 1000
REPEATED = {  # a line or payment given twice, in words: (case number, line number or payment reference)
    "lines": ("Line {1} of case {0} appears twice in the file.", "维修单 {0} 的第 {1} 行费用在文件中出现了两次。"),
    "payments": ("The payment {1} of case {0} appears twice in the file.", "维修单 {0} 的付款（参考号 {1}）在文件中出现了两次。"),
}


@dataclass(frozen=True, slots=True)
class BadRow:
    file: str
    row: int
    field: str | None
    code: str
    en: str
    zh: str


@dataclass(slots=True)
class Imported:
    created: dict[str, int] = field(default_factory=lambda: {"cases": 0, "lines": 0, "payments": 0})
    existing: dict[str, int] = field(default_factory=lambda: {"cases": 0, "lines": 0, "payments": 0})
    errors: list[BadRow] = field(default_factory=list)  # the first ERRORS_KEPT
    error_count: int = 0

    def refuse(self, path: str, number: int, exc: rows.RowError) -> None:
        self.error_count += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(BadRow(path, number, exc.field, exc.code, exc.en, exc.zh))


def _check(table: Table, parse, result: Imported):
    """Yield each chunk's good rows as ``(number, parsed)``; bad ones go to ``result``, those the
    file's reader could not read as rows first."""
    for number, exc in table.malformed:
        result.refuse(table.path, number, exc)
    for chunk in table.chunks():
        good = []
        for number, raw in chunk:
            try:
                good.append((number, parse(raw)))
            except rows.RowError as exc:
                result.refuse(table.path, number, exc)
        yield len(chunk), good


# the columns of a line's or a payment's row, after its case's id
CHILD_FIELDS = {kind: [f for f in row.__slots__ if f != "case_number"]
                for kind, row in (("lines", rows.LineRow), ("payments", rows.PaymentRow))}


def _insert(model, columns: list[str], values: list[tuple]) -> None:
    """Insert ``values`` (one tuple a row, in the order of ``columns``) into ``model``'s table,
    a row whose key is already stored left as it is. The values are the checked rows' own (text,
    dates, decimals, booleans), which both databases' drivers take as they are: building a model
    object a row and compiling it (``bulk_create``) took most of an import's time."""
    if not values:
        return
    table, quote = model._meta.db_table, connection.ops.quote_name
    sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT DO NOTHING")
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _stored_cases(numbers) -> dict[str, tuple[int, str]]:
    rows = HistoryCase.objects.filter(case_number__in=set(numbers)).values_list("case_number", "id", "currency")
    return {number: (pk, currency) for number, pk, currency in rows}


def _of_a_case(path: str, good, result: Imported) -> list:
    """The rows whose case is stored and charged in the same currency, each with the case's id;
    the others refused."""
    stored = _stored_cases(r.case_number for _, r in good)
    kept = []
    for number, r in good:
        if r.case_number not in stored:
            result.refuse(path, number, rows.RowError(
                "unknown-case", f"No case {r.case_number} was imported.", f"未导入编号为 {r.case_number} 的维修单。",
                field="case_number"))
        elif r.currency != (currency := stored[r.case_number][1]):
            result.refuse(path, number, rows.RowError(
                "currency-mismatch", f"The case was charged in {currency}, not {r.currency}.",
                f"该维修单以 {currency} 计费，而不是 {r.currency}。", field="currency"))
        else:
            kept.append((number, r, stored[r.case_number][0]))
    return kept


# the characters Python's str.strip() removes (those str.isspace() accepts), which the row checks
# apply to every value; written out, not worked out over every code point at import
SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
         "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _trimmed(column: str) -> str:
    """SQL for ``column``'s text as the row checks read it: stripped of what str.strip() strips
    (the characters are the query's first parameter)."""
    return f"trim(CAST(\"{column}\" AS VARCHAR), $1)"


def _repeated_keys(table: Table, kind: str) -> set:
    """The keys that more than one row of the file holds, read by DuckDB before the rows are: the
    import then remembers the keys of those rows alone, not of every row (at 10M cases, every key
    would take gigabytes). Keys are the row checks' own values, so a row that holds one refused
    or not is found as it would be by remembering all keys."""
    number = _trimmed("case_number")
    if kind == "cases":
        query = f"SELECT {number} AS k FROM t GROUP BY k HAVING count(*) > 1"
        return {key for key, in table.fetch(query, [SPACE])}
    if kind == "lines":  # a line number the checks take: up to nine ASCII digits, leading zeros not counting
        line = _trimmed("line_no")
        query = (f"SELECT {number} AS k, CAST({line} AS BIGINT) AS n FROM t "
                 f"WHERE regexp_full_match({line}, '[0-9]{{1,9}}') GROUP BY k, n HAVING count(*) > 1")
    else:
        query = f"SELECT {number} AS k, {_trimmed('reference')} AS r FROM t GROUP BY k, r HAVING count(*) > 1"
    return set(table.fetch(query, [SPACE]))


def _store_cases(path: str, good, result: Imported, repeated: set, seen: set) -> None:
    stored = set(HistoryCase.objects.filter(case_number__in=[r.case_number for _, r in good])
                 .values_list("case_number", flat=True))
    new, fields = [], rows.CaseRow.__slots__
    for number, r in good:
        if r.case_number in repeated:
            if r.case_number in seen:
                result.refuse(path, number, rows.RowError(
                    "repeated-row", f"Case {r.case_number} appears twice in the file.",
                    f"维修单 {r.case_number} 在文件中出现了两次。", field="case_number"))
                continue
            seen.add(r.case_number)
        if r.case_number in stored:
            result.existing["cases"] += 1
        else:
            new.append(tuple(getattr(r, f) for f in fields))
    _insert(HistoryCase, list(fields), new)
    result.created["cases"] += len(new)


def _store_children(kind: str, model, key: str, path: str, good, result: Imported, repeated: set,
                    seen: set) -> None:
    good = _of_a_case(path, good, result)
    stored = set(model.objects.filter(case_id__in={pk for _, _, pk in good}).values_list("case_id", key))
    new, fields = [], CHILD_FIELDS[kind]
    for number, r, pk in good:
        ident = (r.case_number, getattr(r, key))
        if ident in repeated:
            if ident in seen:
                en, zh = REPEATED[kind]
                result.refuse(path, number, rows.RowError("repeated-row", en.format(*ident), zh.format(*ident),
                                                          field=key))
                continue
            seen.add(ident)
        if (pk, ident[1]) in stored:
            result.existing[kind] += 1
            continue
        new.append((pk, *(getattr(r, f) for f in fields)))
    _insert(model, ["case_id", *fields], new)
    result.created[kind] += len(new)


def history_import(*, cases: str, lines: str, payments: str,
                   progress: Callable[[int, int], None] | None = None) -> Imported:
    """Import the three files (CSV or Parquet; ``tables.Unreadable`` before anything is written
    when one cannot be read). ``progress(done, total)`` is called after each chunk, in rows."""
    tables = [Table(cases, rows.CASE_COLUMNS), Table(lines, rows.LINE_COLUMNS), Table(payments, rows.PAYMENT_COLUMNS)]
    total, done = sum(t.rows for t in tables), 0
    result = Imported()
    steps = (("cases", tables[0], rows.case_row, lambda p, g, r, s: _store_cases(p, g, result, r, s)),
             ("lines", tables[1], rows.line_row,
              lambda p, g, r, s: _store_children("lines", HistoryLine, "line_no", p, g, result, r, s)),
             ("payments", tables[2], rows.payment_row,
              lambda p, g, r, s: _store_children("payments", HistoryPayment, "reference", p, g, result, r, s)))
    try:
        for kind, table, parse, store in steps:
            repeated, seen = _repeated_keys(table, kind), set()
            for size, good in _check(table, parse, result):
                with transaction.atomic():
                    store(table.path, good, repeated, seen)
                done += size
                if progress is not None:
                    progress(done, total)
    finally:
        for t in tables:
            t.close()
    return result
