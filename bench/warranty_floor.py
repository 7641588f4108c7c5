"""Benchmark: the least a columnar warranty batch can cost, against the bare JSONL I/O.

    uv run python bench/warranty_floor.py --lines 1000000 --rounds 3

``warranty-check``'s target is a rate of 1.0 of the bare I/O (``bench/warranty_batch.py``: read
each line with orjson, write a line of the answer's size). This bench measures what any columnar
batch must spend before it decides anything, so as to say whether that target can be reached:
1. the command's start-up: ``warranty-check`` over a file of one line (Django, the packs);
2. in DuckDB (two threads, as the columnar engine runs), one query over the same file as
   ``bench/warranty_batch.py`` writes it: read the lines as text, check each has the plain shape
   the columnar engine decides (its own regular expression, ``columnar_sql.PLAIN_LINE``), type its
   fields (``from_json``), build a line of the answers' mean length from the line's id and dates
   with no decision at all, and write the lines to a file in input order (``COPY``);
3. the same query with the cheapest shape check DuckDB has (``json_valid``), which is not enough
   for the engine's exactness but bounds it from below; and the first query with its lines built
   but not written, to show what the writing costs.
Prints each figure (medians of ``--rounds``), and the ceiling of the rate ratio: bare I/O seconds
over start-up plus the query's seconds. No decision is made, so a real engine is slower.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gen_lines import write as write_lines  # noqa: E402
from bench.scratch import CLI, scratch_database  # noqa: E402
from bench.warranty_batch import bare_io  # noqa: E402


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def startup(env: dict, tmp: Path, rounds: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds of ``warranty-check`` over a file of one line, and the mean
    length in bytes of its answers to the first thousand lines of the input."""
    one, thousand = tmp / "one.jsonl", tmp / "thousand.jsonl"
    with open(tmp / "input.jsonl", "rb") as f:
        head = [f.readline() for _ in range(1000)]
    one.write_bytes(head[0])
    thousand.write_bytes(b"".join(head))
    cmd = [*CLI, "warranty-check", "--no-progress", "--input"]
    walls, cpus = [], []
    for _ in range(rounds):
        wall = time.perf_counter()
        proc = subprocess.Popen([*cmd, str(one)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - wall)
        cpus.append(usage.ru_utime + usage.ru_stime)
    answers = subprocess.run([*cmd, str(thousand)], env=env, cwd=ROOT, capture_output=True).stdout.splitlines()
    return statistics.median(walls), statistics.median(cpus), sum(map(len, answers)) // len(answers)


def pipeline(source: Path, out: Path, length: int, shape: str, write: bool = True) -> str:
    """The query: read, check the shape, type, build a line of ``length`` bytes, write (or, not
    ``write``, only measure the lines built)."""
    from aftersales.warranty.columnar import MAX_LINE
    from aftersales.warranty.columnar_sql import _SHAPE, PLAIN_LINE, READ

    check = {"engine": f"regexp_full_match(raw, {_text(PLAIN_LINE)})", "json_valid": "json_valid(raw)"}[shape]
    # the answer's fixed words, cut where a line's own values go (the id, a start, an end and an as-of
    # date in English and in Chinese): ``length`` bytes in all, as the engine's answers measure
    fixed = max(0, length - 12 - 6 * 10 - 2)
    piece = "w" * (fixed // 8)
    build = ("concat('{\"id\":\"', j.id, '\",', " + ", ".join(
        [f"'{piece}', coalesce(j.purchased_on, j.manufactured_on), '{piece}', j.as_of"] * 3)
        + f", '{piece}', '{piece}', '\"}}')")
    read = READ.format(path=_text(str(source)), max_line=MAX_LINE + 16)
    lines = f"SELECT {build} AS line FROM (SELECT CASE WHEN {check} THEN from_json(raw, {_text(_SHAPE)}) END AS j FROM {read})"
    if not write:
        return f"SELECT sum(len(line)) FROM ({lines})"
    return f"COPY ({lines}) TO {_text(str(out))} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER chr(1))"


def timed_query(sql: str, out: Path) -> tuple[float, float]:
    import duckdb

    con = duckdb.connect(config={"threads": 2, "preserve_insertion_order": True})
    con.execute("SET enable_progress_bar = false")
    out.unlink(missing_ok=True)
    wall, cpu = time.perf_counter(), time.process_time()
    con.execute(sql)
    result = time.perf_counter() - wall, time.process_time() - cpu
    con.close()
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        tmp = Path(tmp)
        env = scratch_database(tmp)
        os.environ.update(env)
        source = tmp / "input.jsonl"
        write_lines(str(source), args.lines)
        start_wall, start_cpu, length = startup(env, tmp, args.rounds)
        times = {"bare": [], "engine": [], "json_valid": [], "unwritten": []}
        for _ in range(args.rounds):
            times["bare"].append(bare_io(source, tmp / "bare.jsonl"))
            for shape in ("engine", "json_valid"):
                times[shape].append(timed_query(pipeline(source, tmp / "out.jsonl", length, shape), tmp / "out.jsonl"))
            times["unwritten"].append(timed_query(pipeline(source, tmp / "out.jsonl", length, "engine", write=False),
                                                  tmp / "out.jsonl"))
        med = {k: tuple(statistics.median(t[i] for t in v) for i in (0, 1)) for k, v in times.items()}
        print(f"lines: {args.lines:,}; answers' mean length {length} bytes; load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"bare JSONL I/O             : {med['bare'][0]:.2f} s, {med['bare'][1]:.2f} CPU s")
        print(f"start-up of warranty-check : {start_wall:.2f} s, {start_cpu:.2f} CPU s")
        for shape, label in (("engine", "the engine's shape check"), ("json_valid", "json_valid only")):
            wall, cpu = med[shape]
            ceiling = med["bare"][0] / (start_wall + wall)
            print(f"read, check ({label}), type, build, write: {wall:.2f} s, {cpu:.2f} CPU s; ceiling of the "
                  f"ratio with the start-up {ceiling:.2f}, without it {med['bare'][0] / wall:.2f}")
        wall, cpu = med["unwritten"]
        print(f"the same with the engine's check, the lines built but not written: {wall:.2f} s, {cpu:.2f} CPU s")


if __name__ == "__main__":
    main()
