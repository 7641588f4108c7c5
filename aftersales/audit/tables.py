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


def _source(path: str) -> tuple[str, str | None]:
    """The query the view ``t`` stands for, and (CSV) one whose run keeps aside, in DuckDB's
    ``reject_errors``, each record that is not a row of the file."""
    if _is_parquet(path):
        return f"SELECT * FROM read_parquet({_quoted(path)})", None
    names = _heading(path)
    # each column named as the heading names it (its first use of a name): whatever a heading
    # holds (quotes, spaces, a name twice), the query stays well formed
    seen: set[str] = set()
    named = []
    for i, name in enumerate(names):
        if name not in seen:
            seen.add(name)
            named.append(f'c{i} AS "{name.replace(chr(34), chr(34) * 2)}"')
    # (DuckDB keeps no rejects for a view's reader: they are kept by a count of their own, and
    # the view skips the same records)
    return (f"SELECT {', '.join(named) or 'NULL AS none'} FROM {_csv(path, names, 'ignore_errors = true')}",
            # every column counted, so that each value is read (and its bytes checked)
            f"SELECT {', '.join(f'count(c{i})' for i in range(len(names))) or 'count(*)'} "
            f"FROM {_csv(path, names, 'store_rejects = true')}")


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


def _open(con: duckdb.DuckDBPyConnection, path: str) -> tuple[list[str], bool]:
    """Create the view ``t`` over the file; its column names, and whether the records that are not
    rows were kept aside (CSV), in DuckDB's ``reject_errors``."""
    if not Path(path).is_file():
        raise Unreadable("unreadable-file", f"{path} is not a file we can read.", f"无法读取文件 {path}。", field=path)
    try:
        view, rejects = _source(path)
        if rejects is not None:  # first: DuckDB keeps no rejects once a reader of the file is bound
            con.execute(rejects).fetchall()
        con.execute(f"CREATE VIEW t AS {view}")
        return [d[0] for d in con.execute("SELECT * FROM t LIMIT 0").description], rejects is not None
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
        names, rejects = _open(self._con, path)
        missing = [c for c in columns if c not in names]
        if missing:
            raise Unreadable("missing-columns", f"{path} lacks the columns {', '.join(missing)}.",
                             f"{path} 缺少以下列：{', '.join(missing)}。", field=path)
        self._present = [c for c in self.columns if c in names]
        picked = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in self._present)
        self._select = f"SELECT {picked} FROM t"
        try:
            self.rows = self._con.execute("SELECT count(*) FROM t").fetchone()[0]
            rejected = []
            if rejects and self._con.execute(
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
