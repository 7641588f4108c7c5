"""Benchmark: the warranty batch command against bare JSONL I/O of the same file.

    uv run python bench/warranty_batch.py --lines 1000000

Steps: make a scratch database (migrate, load the shipped packs, register 20,000 serials),
write N synthetic lines (one in ten asks by serial number), then, ``--repeat`` times,
1. bare I/O: parse each line with orjson and write a line of similar size, no decision;
2. ``aftersales warranty-check --input FILE --output OUT`` as a separate process,
and finally run the command once more to measure its memory: the proportional set size (PSS) of
it and its worker processes together, sampled every 10 ms. Memory is measured in a run of its own
because reading a process's page tables costs CPU (a few milliseconds a sample): on a machine with
two cores, sampling would slow down the very run being timed. Before each timed run the page cache
is written out (``sync``), so that no run pays for writing back an earlier one's output.
Prints the rates and ratio of every round, their median, and the peak memory; and, for each
round, the CPU seconds of the bare I/O and of the batch (all its processes), whose ratio other
work on a shared machine hardly changes. Targets (docs/PERFORMANCE.md):
ratio >= 1.0 at 1M lines, peak memory < 500 MB. ``--engine`` is passed to the command
(``scalar``, its default, or ``columnar``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.gen_lines import line as synthetic_line  # noqa: E402
from bench.scratch import CLI, scratch_database  # noqa: E402

REGISTRY = 20_000


def tree_pss_kb(pid: int) -> int:
    """Proportional set size of a process and all its descendants, in KiB: memory the tree
    really uses, counting pages that forked workers share with their parent once, not per process
    (summing resident sizes would count the shared interpreter and libraries twice)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for row in f:
                    if row.startswith("Pss:"):
                        total += int(row.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as f:
                stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def children_cpu() -> float:
    """CPU seconds (user and system) of the child processes that have ended, their own children
    (the batch's workers) included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_batch(cmd: list[str], env: dict, *, sample_memory: bool = False) -> tuple[float, int, int, float]:
    """Run the batch command: (seconds, peak PSS in KiB or 0 when not sampled, exit status, CPU
    seconds of the command and its workers)."""
    peak = 0
    cpu = children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_pss_kb(proc.pid))
            time.sleep(0.01)

    t = threading.Thread(target=sample, daemon=True)
    if sample_memory:
        t.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    cpu = children_cpu() - cpu
    done.set()
    if sample_memory:
        t.join()
    if proc.returncode not in (0, 1):
        sys.stderr.write(err.decode())
        raise SystemExit(f"batch failed with exit {proc.returncode}")
    return elapsed, peak, proc.returncode, cpu


def bare_io(path: Path, out: Path) -> tuple[float, float]:
    """Seconds and CPU seconds to read the file and write a line of similar size for each line."""
    sample = orjson.loads(orjson.dumps({
        "id": "L0", "covered": True, "starts_on": "2023-06-10", "ends_on": "2026-06-09", "basis": "invoice",
        "onsite": {"eligible": True, "ends_on": "2026-06-09"},
        "reasons": [{"code": "in-period", "en": "e" * 100, "zh": "保" * 40},
                    {"code": "basis-invoice", "en": "e" * 70, "zh": "保" * 25},
                    {"code": "onsite-available", "en": "e" * 110, "zh": "保" * 35}],
        "pack": "cn-desktop@2026.11.30"}))
    loads, dumps = orjson.loads, orjson.dumps
    start, cpu = time.perf_counter(), time.process_time()
    with open(path, "rb") as f, open(out, "wb") as o:
        for raw in f:
            obj = loads(raw)
            sample["id"] = obj.get("id")
            o.write(dumps(sample) + b"\n")
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=0, help="passed to warranty-check (0: its default)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of bare I/O and batch to time (median kept)")
    ap.add_argument("--engine", choices=["columnar", "scalar"], default="scalar", help="passed to warranty-check")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-warranty-") as tmp:
        tmp = Path(tmp)
        env, aftersales = scratch_database(tmp), CLI
        rng = random.Random(11)
        csv_path = tmp / "registry.csv"
        serials = []
        with open(csv_path, "w") as f:
            f.write("serial,model,product_line,manufactured_on,shipped_on,sold_in\n")
            for i in range(REGISTRY):
                line = rng.choice(["rog-desktop", "home-desktop", "aio", "mini-pc", "nuc", "notebook"])
                made = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(0, 2500))
                serial = f"BN{i:08d}"
                serials.append((serial, line))
                f.write(f"{serial},M{i % 50},{line},{made},{made + dt.timedelta(days=20)},"
                        f"{'US' if line == 'notebook' else 'CN'}\n")
        subprocess.run([*aftersales, "import-devices", str(csv_path), "--no-progress"], env=env, check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL)

        data = tmp / "input.jsonl"
        parts_by_line = {"rog-desktop": "cpu", "home-desktop": "hdd", "aio": "battery", "mini-pc": "ssd",
                         "nuc": "memory", "notebook": "ssd"}
        t0 = time.perf_counter()
        with open(data, "wb") as f:
            for i in range(args.lines):
                obj = synthetic_line(i, rng)
                if i % 10 == 0:
                    serial, pl = rng.choice(serials)
                    obj = {"id": obj["id"], "serial": serial, "part": parts_by_line[pl],
                           "purchased_on": None, "registered_on": None,
                           "service_in": "US" if pl == "notebook" else "CN", "as_of": obj["as_of"]}
                f.write(orjson.dumps(obj) + b"\n")
        size_mb = data.stat().st_size / 1e6
        print(f"input: {args.lines:,} lines, {size_mb:.0f} MB (written in {time.perf_counter() - t0:.1f} s)")

        cmd = [*aftersales, "warranty-check", "--input", str(data), "--output", str(tmp / "out.jsonl"),
               "--no-progress"]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        cmd += ["--engine", args.engine]
        ratios, bare_rates, batch_rates, cpu_ratios = [], [], [], []
        for n in range(1, max(1, args.repeat) + 1):
            for stale in (tmp / "bare.jsonl", tmp / "out.jsonl"):  # every round writes new files
                stale.unlink(missing_ok=True)
            # Each timed run starts with nothing waiting to be written to disk: otherwise the
            # kernel's write-back of the earlier runs' output competes with whichever run is next.
            os.sync()
            bare, bare_cpu = bare_io(data, tmp / "bare.jsonl")
            os.sync()
            elapsed, _, code, cpu = run_batch(cmd, env)
            out_lines = sum(1 for _ in open(tmp / "out.jsonl", "rb"))
            assert out_lines == args.lines, f"{out_lines} output lines for {args.lines} input lines"
            bare_rates.append(args.lines / bare)
            batch_rates.append(args.lines / elapsed)
            ratios.append(batch_rates[-1] / bare_rates[-1])
            cpu_ratios.append(bare_cpu / cpu)
            print(f"round {n}: bare {bare_rates[-1]:10,.0f} lines/s ({bare:.2f} s, {bare_cpu:.2f} s CPU), "
                  f"warranty-check {batch_rates[-1]:10,.0f} lines/s ({elapsed:.2f} s, {cpu:.2f} s CPU, exit {code}), "
                  f"ratio {ratios[-1]:.3f}, CPU {cpu_ratios[-1]:.3f}")
        (tmp / "out.jsonl").unlink()
        _, peak_kb, _, _ = run_batch(cmd, env, sample_memory=True)

    ratio = statistics.median(ratios)
    peak_mb = peak_kb / 1024
    print(f"bare JSONL I/O : {statistics.median(bare_rates):12,.0f} lines/s (median of {len(ratios)})")
    print(f"warranty-check : {statistics.median(batch_rates):12,.0f} lines/s (median of {len(ratios)})")
    print(f"ratio          : {ratio:.3f}  median of the rounds' ratios (target >= 1.0: "
          f"{'met' if ratio >= 1.0 else 'NOT met'})")
    print(f"CPU ratio      : {statistics.median(cpu_ratios):.3f}  median of bare CPU seconds / batch CPU seconds "
          f"(all its processes): the work a line costs, which other work on the machine hardly changes")
    print(f"peak memory    : {peak_mb:.0f} MB, process tree PSS, in a run of its own  (target < 500 MB: "
          f"{'met' if peak_mb < 500 else 'NOT met'})")

if __name__ == "__main__":
    main()
