"""Reading a table file, CSV or Parquet, as rows of text, a chunk at a time (DuckDB reads both).

Every value comes back as the text the file holds (a Parquet date as 2015-03-02, a boolean as
true or false, a decimal as written), so one set of row checks serves both formats. A file that
cannot be read at all, or lacks a column, is refused before any row is taken.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Iterator

import duckdb

from aftersales.core.errors import AppError

CHUNK = 5000
QUERY_MEMORY = "1GB"


class Unreadable(AppError):
    """A file that cannot be read as a table with the columns asked for."""


def _source(path: str) -> str:
    quoted = "'" + path.replace("'", "''") + "'"
    if path.lower().endswith(".parquet"):
        return f"read_parquet({quoted})"
    return f"read_csv({quoted}, header = true, all_varchar = true)"


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


def _open(con: duckdb.DuckDBPyConnection, path: str) -> list[str]:
    """Create the view ``t`` over the file; its column names."""
    if not Path(path).is_file():
        raise Unreadable("unreadable-file", f"{path} is not a file we can read.", f"无法读取文件 {path}。", field=path)
    try:
        con.execute(f"CREATE VIEW t AS SELECT * FROM {_source(path)}")
        return [d[0] for d in con.execute("SELECT * FROM t LIMIT 0").description]
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
        names = _open(self._con, path)
        missing = [c for c in columns if c not in names]
        if missing:
            raise Unreadable("missing-columns", f"{path} lacks the columns {', '.join(missing)}.",
                             f"{path} 缺少以下列：{', '.join(missing)}。", field=path)
        self._present = [c for c in self.columns if c in names]
        picked = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in self._present)
        self._select = f"SELECT {picked} FROM t"
        try:
            self.rows = self._con.execute("SELECT count(*) FROM t").fetchone()[0]
        except duckdb.Error as exc:
            en, zh = _why(exc)
            raise Unreadable("unreadable-file", f"{path} cannot be read to the end: {en}",
                             f"无法完整读取 {path}：{zh}", field=path) from None

    def fetch(self, sql: str, parameters: list | None = None) -> list[tuple]:
        """The rows of a query over the file's view ``t``, within the connection's memory limit."""
        try:
            return self._con.execute(sql, parameters).fetchall()
        except duckdb.Error as exc:
            en, zh = _why(exc)
            raise Unreadable("unreadable-file", f"{self.path} cannot be read to the end: {en}",
                             f"无法完整读取 {self.path}：{zh}", field=self.path) from None

    def chunks(self, size: int = CHUNK) -> Iterator[list[tuple[int, dict]]]:
        """The rows, numbered from 1 in file order, ``size`` at a time."""
        cursor = self._con.execute(self._select)
        number = 0
        while batch := cursor.fetchmany(size):
            out = []
            for values in batch:
                number += 1
                out.append((number, dict(zip(self._present, values))))
            yield out

    def close(self) -> None:
        self._con.close()
