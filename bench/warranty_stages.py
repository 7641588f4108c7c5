"""Benchmark: where a warranty batch line's time goes, stage by stage, in one process.

    uv run python bench/warranty_stages.py --lines 100000

Generates N synthetic lines (``bench/gen_lines.py``; no serial numbers, so no database), decides
them once to fill every memo, then times, over the same lines, cumulative stages of the fast
path: parsing the JSON; + reading the request (``FastPath.read``); + deciding and writing the
answer line (``FastPath.line``); and the whole chunk as the batch runs it (``batch.decide_chunk``,
error lines and the lines the plain path answers included). For comparison, the plain path on
the same lines: ``request.facts_from_mapping`` + ``engine.decide`` + ``wire.decision_line``.
CPU time per line, best of ``--repeat`` passes.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.gen_lines import line as synthetic_line  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from aftersales.core.errors import AppError
    from aftersales.policy.pack import parse_pack
    from aftersales.warranty.batch import decide_chunk
    from aftersales.warranty.batch_fast import FastPath
    from aftersales.warranty.request import facts_from_mapping
    from aftersales.warranty.rules.engine import PackSet, decide
    from aftersales.warranty.wire import decision_line

    packs = PackSet([parse_pack(p.read_text("utf-8")) for p in sorted((ROOT / "policies").glob("*.toml"))])
    fast = FastPath(packs)
    rng = random.Random(7)
    raw = [orjson.dumps(synthetic_line(i, rng)) for i in range(args.lines)]
    loads = orjson.loads

    def parse():
        for r in raw:
            loads(r)

    def read():
        for r in raw:
            fast.read(loads(r), None)

    def write():
        for r in raw:
            obj = loads(r)
            values = fast.read(obj, None)
            if values is not None:
                try:
                    fast.line(obj.get("id"), values)
                except AppError:
                    pass

    def chunks():
        for i in range(0, len(raw), 4000):
            decide_chunk(raw[i:i + 4000], fast, lambda serials: {})

    def plain():
        for r in raw:
            obj = loads(r)
            try:
                decision_line(obj.get("id"), decide(facts_from_mapping(obj, None), packs))
            except AppError:
                pass

    stages = [("parse JSON", parse), ("+ read the request", read), ("+ decide, write the line", write),
              ("the batch's chunks", chunks), ("the plain path", plain)]
    chunks()  # fill the memos: a long batch runs warm
    gc.freeze()
    best = {name: float("inf") for name, _ in stages}
    for _ in range(args.repeat):
        for name, run in stages:
            start = time.process_time()
            run()
            best[name] = min(best[name], time.process_time() - start)
    previous = 0.0
    for n, (name, _) in enumerate(stages):
        us = best[name] / len(raw) * 1e6
        step = f"  (+{us - previous:5.2f})" if n < 3 else ""  # the first three stages add up
        print(f"{name:26s} {us:6.2f} µs/line{step}")
        previous = us


if __name__ == "__main__":
    main()
