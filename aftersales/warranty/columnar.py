"""The warranty batch on the columnar engine (DuckDB), ``warranty-check --engine columnar``: the
same output, byte for byte, as the batch line by line (``batch``), in a few statements over the
whole file. (Slower than the scalar batch for now, so not the default: docs/PERFORMANCE.md.)

1. ``plain_file`` / ``clean_copy``: DuckDB reads lines of UTF-8 text; a line it could not read
   as the scalar batch does (bytes that are not UTF-8, control characters, a byte-order mark at
   the start, a line longer than ``MAX_LINE``) is put aside, and DuckDB reads a copy of the file
   with an empty line in its place (a copy is made only for a file that has such lines);
2. ``columnar_sql``: DuckDB reads the file natively and types the lines it can (``parsed``,
   ``typed``), the serial numbers they give looked up once (``devices``), then decides them and
   builds each answer as a string from the engine's own words (``columnar_terms``), in a table
   kept in a database file of its own (``decided``);
3. the lines it does not answer (malformed, hostile, unusual, refused) are answered by the scalar
   engine (``batch.decide_chunk``), a chunk at a time, and their answers put in their places;
4. DuckDB writes every answer, in input order, to the output file.
"""

from __future__ import annotations

import os
import re
import tempfile
from typing import Callable

import duckdb
import orjson

from aftersales.warranty.batch import CHUNK_LINES, BatchResult, KnownDevices, Lookup, decide_chunk
from aftersales.warranty.batch_fast import FastPath
from aftersales.warranty.columnar_sql import (
    DEVICES, FOUND, SERIALS, decide_statement, left_statement, parse_statement, type_statement)
from aftersales.warranty.columnar_terms import TABLES, compile_terms
from aftersales.warranty.input_text import BOM
from aftersales.warranty.rules.engine import PackSet
from aftersales.warranty.rules.facts import InvalidInput
from aftersales.warranty.rules.intake import normalise_serial

MAX_LINE = 1 << 22
_UNREADABLE = bytes(b for b in range(32) if b not in b"\t\n") + b"\x7f"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _block_is_plain(block: bytes) -> bool:
    """Whether DuckDB reads every line of ``block`` as the scalar batch does: UTF-8 text without
    control characters."""
    if len(block.translate(None, _UNREADABLE)) != len(block):
        return False
    try:
        block.decode()
    except UnicodeDecodeError:
        return False
    return True


def plain_file(path: str) -> bool:
    """Whether every line of the file is one DuckDB reads as the scalar batch does (see
    ``_block_is_plain``), none longer than ``MAX_LINE``, and the file does not start with a
    byte-order mark. Reads the file once, a block at a time, cut at its last newline (a line
    inside a block is shorter than the block, so only the lines across blocks are measured)."""
    run, carry = 0, b""  # bytes since the last newline, and those bytes
    with open(path, "rb") as f:
        if f.read(len(BOM)) == BOM:
            return False
        f.seek(0)
        while block := f.read(MAX_LINE):
            first = block.find(b"\n")
            if first < 0:
                run, carry = run + len(block), carry + block
                if run > MAX_LINE:
                    return False
                continue
            if run + first > MAX_LINE:
                return False
            cut = block.rfind(b"\n")
            if not _block_is_plain(carry + block[:cut]):
                return False
            carry = block[cut + 1:]
            run = len(carry)
    return _block_is_plain(carry)


def clean_copy(path: str, folder: str) -> tuple[str, dict[int, bytes]]:
    """A copy of the file with each line DuckDB would not read as the scalar batch does emptied,
    and those lines by their number (from 1)."""
    aside: dict[int, bytes] = {}
    copy = os.path.join(folder, "input.jsonl")
    with open(path, "rb") as f, open(copy, "wb") as out:
        for n, line in enumerate(f, 1):
            body = line[:-1] if line.endswith(b"\n") else line
            if len(body) > MAX_LINE or not _block_is_plain(body) or (n == 1 and body.startswith(BOM)):
                aside[n] = body
                body = b""
            out.write(body + b"\n")
    return copy, aside


def load_rows(con: duckdb.DuckDBPyConnection, folder: str, name: str, ddl: str, rows: list) -> None:
    """A table ``name`` (columns ``ddl``) of ``rows`` (tuples, or dicts by column) on ``con``,
    written to a JSON lines file in ``folder`` and read back natively: DuckDB inserts rows given
    as parameters one at a time, and takes seconds to bind one statement of thousands."""
    columns = dict(re.findall(r"(\w+) ([A-Z]+(?:\[\])?)", ddl))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({ddl})")
    if not rows:
        return
    if not isinstance(rows[0], dict):
        rows = [dict(zip(columns, row)) for row in rows]
    path = os.path.join(folder, f"{name}.jsonl")
    with open(path, "wb") as f:
        f.writelines(orjson.dumps(row) + b"\n" for row in rows)
    spec = "{" + ", ".join(f"{_text(c)}: {_text(t)}" for c, t in columns.items()) + "}"
    con.execute(f"INSERT INTO {name} SELECT * FROM read_json({_text(path)}, format = 'newline_delimited', "
                f"columns = {spec})")


def load_terms(con: duckdb.DuckDBPyConnection, packs: PackSet, folder: str) -> dict:
    """The compiled packs as tables on ``con``; returns them."""
    compiled = compile_terms(packs)
    for name, rows in compiled.items():
        load_rows(con, folder, name, TABLES[name], rows)
    return compiled


def connect(folder: str, threads: int) -> duckdb.DuckDBPyConnection:
    # a database file of its own: the answers (about a kilobyte a line) are kept on disk, not in memory
    con = duckdb.connect(os.path.join(folder, "batch.duckdb"), config={"threads": max(1, threads), "memory_limit": "300MB",
                                 "temp_directory": os.path.join(folder, "spill"),
                                 "preserve_insertion_order": True})
    con.execute("SET enable_progress_bar = false")
    return con


def run_columnar(path: str, output: str, *, packs: PackSet, lookup, threads: int = 2,
                 progress: Callable[[int], None] | None = None, chunk_lines: int = CHUNK_LINES) -> BatchResult:
    """Decide the lines of the file at ``path`` into the file at ``output`` (replaced)."""
    with tempfile.TemporaryDirectory(prefix="warranty-columnar-") as folder:
        source, aside = (path, {}) if plain_file(path) else clean_copy(path, folder)
        con = connect(folder, threads)
        try:
            compiled = load_terms(con, packs, folder)
            con.execute(parse_statement(_text(source), MAX_LINE + 16))
            known = KnownDevices(lookup)
            _load_devices(con, folder, known)
            con.execute(type_statement())
            con.execute("DROP TABLE parsed")
            con.execute(FOUND)
            con.execute(decide_statement(compiled))
            con.execute("DROP TABLE typed")
            errors = _answer_the_rest(con, left_statement(_text(source), MAX_LINE + 16), folder, aside, packs, known,
                                      chunk_lines)
            lines, answered, refused = con.execute(
                "SELECT count(*), count(answer), count(*) FILTER (WHERE refused) FROM decided").fetchone()
            con.execute("UPDATE decided SET answer = s.answer FROM scalar s WHERE decided.rn = s.rn")
            _write(con, output)
        finally:
            con.close()
    if progress is not None:
        progress(os.path.getsize(path))
    return BatchResult(lines=lines, errors=errors + refused, columnar=answered)


def _write(con: duckdb.DuckDBPyConnection, output: str) -> None:
    """Every answer, in input order, to ``output``: as the table holds them, which is input order
    (checked first: should it not be, sorted on the way out, spilling to disk)."""
    in_order = con.execute("SELECT count(*) = 0 FROM (SELECT rn, row_number() OVER () AS n FROM decided) "
                           "WHERE rn <> n").fetchone()[0]
    query = "SELECT answer FROM decided" + ("" if in_order else " ORDER BY rn")
    # one thread: with more, DuckDB holds whole row groups of answers (some 120 MB each) in memory
    # to write them in order
    con.execute("SET threads = 1")
    con.execute(f"COPY ({query}) TO {_text(output)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER chr(1))")


def _load_devices(con, folder: str, known: KnownDevices) -> None:
    """The table ``devices``: for each serial number the lines give as written, the registered
    device behind it (one that is badly formed or not registered has no row: its lines are the
    scalar engine's, which refuses them)."""
    written = [serial for (serial,) in con.execute(SERIALS).fetchall()]
    as_kept = {}
    for serial in written:
        try:
            as_kept[serial] = normalise_serial(serial)
        except InvalidInput:
            pass
    rows = []
    for i in range(0, len(written), 4000):
        devices = known(list({as_kept[s] for s in written[i:i + 4000] if s in as_kept}))
        rows += [(s, d.product_line, d.manufactured_on, d.shipped_on, d.sold_in) for s in written[i:i + 4000]
                 if (d := devices.get(as_kept.get(s))) is not None]
    load_rows(con, folder, "devices", DEVICES, rows)


def _answer_the_rest(con, left: str, folder: str, aside: dict[int, bytes], packs: PackSet, known: Lookup,
                     chunk_lines: int) -> int:
    """The scalar engine's answers to the lines the columnar engine left, into the table
    ``scalar`` (rn, answer); how many of them are error lines."""
    fast, errors = FastPath(packs), 0
    answers = os.path.join(folder, "scalar.txt")
    rows = con.execute(left)
    with open(answers, "wb") as out:
        while batch := rows.fetchmany(chunk_lines):
            raws = [aside.get(rn) if rn in aside else raw.encode() for rn, raw in batch]
            payload, n = decide_chunk(raws, fast, known)
            errors += n
            for (rn, _), line in zip(batch, payload.split(b"\n")):
                out.write(b"%d\x01%b\n" % (rn, line))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE scalar AS SELECT * FROM read_csv({_text(answers)},
        columns = {{'rn': 'BIGINT', 'answer': 'VARCHAR'}}, header = false, delim = chr(1), quote = '', escape = '',
        auto_detect = false, new_line = '\\n', max_line_size = 1000000000)""")
    return errors
