"""Reading a table file, CSV or Parquet, as rows of text, a chunk at a time (DuckDB reads both).

Every value comes back as the text the file holds (a Parquet date as 2015-03-02, a boolean as
true or false, a decimal as written), so one set of row checks serves both formats. A file that
cannot be read at all, or lacks a column, is refused before any row is taken.

A CSV file is read as the standard writes it (commas, double quotes, a heading line), its columns
named by the heading as Python's ``csv`` reads it. A record DuckDB cannot read as a row of those
columns (too many values or too few, a quote left open, bytes that are not UTF-8) costs that row
alone: it is kept aside as ``malformed``, with its row number and the reason in words, and the
rows after it keep their numbers (DuckDB counts records, not lines, so a value over two lines
does not shift them). Blank lines are not rows: they are skipped and not counted.
"""

from __future__ import annotations

import bisect
import csv
import re
import tempfile
from pathlib import Path
from typing import Iterator

import duckdb

from aftersales.audit.rules.rows import RowError
from aftersales.core.errors import AppError

CHUNK = 5000
QUERY_MEMORY = "1GB"


class Unreadable(AppError):
    """A file that cannot be read as a table with the columns asked for."""


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _is_parquet(path: str) -> bool:
    return path.lower().endswith(".parquet")


def _heading(path: str) -> list[str]:
    """The names in a CSV file's first line (a byte-order mark before it is no name)."""
    with open(path, "rb") as f:
        first = f.readline(1 << 20)
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("unreadable-file", f"{path}: its first line is not UTF-8 text; save the file as UTF-8 and "
                         "try again.", f"{path}：首行不是 UTF-8 文本，请将文件另存为 UTF-8 后重试。", field=path) from None
    return next(csv.reader([text.rstrip("\r\n")]), [])


def _csv(path: str, names: list[str], handling: str) -> str:
    """DuckDB's reader of a CSV file as the standard writes it, its columns by position (c0, c1,
    ...) and ``handling`` what it does with a record it cannot read as a row of them."""
    kinds = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(names))) or "'c0': 'VARCHAR'"  # an empty first line
    return (f"read_csv({_quoted(path)}, header = true, auto_detect = false, columns = {{{kinds}}}, delim = ',', "
            f"quote = '\"', escape = '\"', {handling})")


def _has_blank_lines(path: str) -> bool:
    """Whether the file has an empty line (a quick look at its bytes, a block at a time)."""
    carry = b""
    with open(path, "rb") as f:
        while block := f.read(1 << 24):
            text = carry + block
            if b"\n\n" in text or b"\n\r\n" in text:
                return True
            carry = text[-2:]
    return False


def _blank_records(path: str) -> list[int]:
    """The numbers of the blank records of a CSV file, as DuckDB counts records (the heading is 1),
    in order: Python's ``csv`` reads a value over several lines as one record, as DuckDB does."""
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        return [n for n, record in enumerate(csv.reader(f), 1) if not record]


def _source(path: str, wanted: tuple[str, ...]) -> tuple[str, str | None, list[str] | None]:
    """The query the view ``t`` stands for (the ``wanted`` columns the file has); for a CSV file,
    also one whose run counts its rows and keeps aside, in DuckDB's ``reject_errors``, each record
    that is not a row, and the names its heading gives."""
    if _is_parquet(path):
        return f"SELECT * FROM read_parquet({_quoted(path)})", None, None
    names = _heading(path)
    first = {}
    for i, name in enumerate(names):
        first.setdefault(name, i)  # a name given twice: its first column
    read = [(first[name], name) for name in dict.fromkeys(wanted) if name in first]
    # DuckDB reads the columns by position (c0, c1, ...), named here as the heading names them, so
    # that whatever a heading holds the query stays well formed. Both queries read the same
    # columns, so the view skips exactly the records the count kept aside (a value's bytes are
    # checked only in a column read); DuckDB keeps no rejects for a view's reader.
    view = ", ".join(f'c{i} AS "{name.replace(chr(34), chr(34) * 2)}"' for i, name in read) or "NULL AS none"
    counts = "".join(f", count(c{i})" for i, _name in read)
    return (f"SELECT {view} FROM {_csv(path, names, 'ignore_errors = true')}",
            f"SELECT count(*){counts} FROM {_csv(path, names, 'store_rejects = true')}", names)


# DuckDB's kinds of record it could not read, in words
_REJECTED = {
    "INVALID ENCODING": ("not-utf-8", "This row is not UTF-8 text; save the file as UTF-8.",
                         "此行不是 UTF-8 文本，请将文件另存为 UTF-8。"),
    "UNQUOTED VALUE": ("malformed-row", "This row is not well-formed CSV: a quotation mark is left open or misplaced.",
                       "此行不是格式正确的 CSV：引号未闭合或位置不对。"),
}


def _rejected(kind: str, message: str) -> RowError:
    if kind in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
        counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message)
        if counts:
            expected, found = counts.groups()
            return RowError("malformed-row", f"This row has {found} values; the heading has {expected} columns.",
                            f"此行有 {found} 个值，而表头有 {expected} 列。")
    code, en, zh = _REJECTED.get(kind, ("malformed-row", "This row could not be read as a row of the file.",
                                        "此行无法作为文件中的一行读取。"))
    return RowError(code, en, zh)


def _why(exc: duckdb.Error) -> tuple[str, str]:
    """DuckDB's reason a file cannot be read, short: its first paragraph, without the settings it
    tried and the options it suggests, and in words for the commonest case, text not in UTF-8."""
    text = str(exc).strip()
    line = re.search(r"CSV Error on Line: (\d+)", text)
    if "not utf-8" in text.lower():
        where = f" (line {line[1]})" if line else ""
        where_zh = f"（第 {line[1]} 行）" if line else ""
        return (f"it is not UTF-8 text{where}; save it as UTF-8 and try again",
                f"文件不是 UTF-8 编码{where_zh}，请另存为 UTF-8 后重试")
    first = text.split("\n\n", 1)[0].replace("\n", " ")
    return first, first


def _open(con: duckdb.DuckDBPyConnection, path: str, wanted: tuple[str, ...]) -> tuple[list[str], int | None]:
    """Create the view ``t`` over the file's ``wanted`` columns; the file's column names, and (CSV)
    the number of its rows, counted as the records that are not rows are kept aside in DuckDB's
    ``reject_errors``."""
    if not Path(path).is_file():
        raise Unreadable("unreadable-file", f"{path} is not a file we can read.", f"无法读取文件 {path}。", field=path)
    try:
        view, rejects, names = _source(path, wanted)
        # first, since DuckDB keeps no rejects once a reader of the file is bound; all fetched, since
        # it keeps them as the result ends
        counted = con.execute(rejects).fetchall()[0][0] if rejects is not None else None
        con.execute(f"CREATE VIEW t AS {view}")
        if names is None:
            names = [d[0] for d in con.execute("SELECT * FROM t LIMIT 0").description]
        return names, counted
    except duckdb.Error as exc:
        en, zh = _why(exc)
        raise Unreadable("unreadable-file", f"{path} is not a CSV or Parquet table: {en}",
                         f"{path} 不是 CSV 或 Parquet 表格：{zh}", field=path) from None


class Table:
    """A table file opened for reading ``columns`` (``optional`` ones may be absent)."""

    def __init__(self, path: str, columns: tuple[str, ...], optional: tuple[str, ...] = ()):
        self.path, self.columns = path, columns + optional
        self._con = duckdb.connect()
        self._con.execute("SET enable_progress_bar = false")  # it would draw on standard output
        # a query over the whole file (``fetch``) spills to disk past this rather than grow
        self._con.execute(f"SET memory_limit = '{QUERY_MEMORY}'")
        self._con.execute("SET temp_directory = ?", [tempfile.gettempdir()])
        names, counted = _open(self._con, path, self.columns)
        missing = [c for c in columns if c not in names]
        if missing:
            raise Unreadable("missing-columns", f"{path} lacks the columns {', '.join(missing)}.",
                             f"{path} 缺少以下列：{', '.join(missing)}。", field=path)
        self._present = [c for c in self.columns if c in names]
        picked = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in self._present)
        self._select = f"SELECT {picked} FROM t"
        try:
            # a CSV file's rows were counted as it was opened; a Parquet file's count is in its metadata
            self.rows = counted if counted is not None else self._con.execute("SELECT count(*) FROM t").fetchone()[0]
            rejected = []
            # (DuckDB makes ``reject_errors`` only for a file with a record to keep there)
            if counted is not None and self._con.execute(
                    "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'reject_errors'").fetchone()[0]:
                # by row number: DuckDB counts records, the heading is its line 1
                rejected = self._con.execute(
                    "SELECT line - 1, any_value(error_type), any_value(error_message) FROM reject_errors "
                    "GROUP BY line ORDER BY line").fetchall()
        except duckdb.Error as exc:
            en, zh = _why(exc)
            raise Unreadable("unreadable-file", f"{path} cannot be read to the end: {en}",
                             f"无法完整读取 {path}：{zh}", field=path) from None
        if rejected and _has_blank_lines(path):  # DuckDB skips blank lines, but counts them in a reject's line
            blank = _blank_records(path)
            rejected = [(n - bisect.bisect_left(blank, n + 1), k, m) for n, k, m in rejected]
        self.malformed: list[tuple[int, RowError]] = [(n, _rejected(k, m)) for n, k, m in rejected]

    def fetch(self, sql: str, parameters: list | None = None) -> list[tuple]:
        """The rows of a query over the file's view ``t``, within the connection's memory limit."""
        try:
            return self._con.execute(sql, parameters).fetchall()
        except duckdb.Error as exc:
            en, zh = _why(exc)
            raise Unreadable("unreadable-file", f"{self.path} cannot be read to the end: {en}",
                             f"无法完整读取 {self.path}：{zh}", field=self.path) from None

    def chunks(self, size: int = CHUNK) -> Iterator[list[tuple[int, dict]]]:
        """The rows read, numbered from 1 in file order, ``size`` at a time (the numbers of the
        ``malformed`` rows are skipped)."""
        cursor = self._con.execute(self._select)
        skipped = iter(n for n, _ in self.malformed)
        number, next_skipped = 0, next(skipped, None)
        while batch := cursor.fetchmany(size):
            out = []
            for values in batch:
                number += 1
                while number == next_skipped:
                    number, next_skipped = number + 1, next(skipped, None)
                out.append((number, dict(zip(self._present, values))))
            yield out

    def close(self) -> None:
        self._con.close()
