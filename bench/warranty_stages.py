"""Benchmark: where a warranty batch line's time goes, stage by stage, in one process.

    uv run python bench/warranty_stages.py --lines 100000

Generates N synthetic lines (``bench/gen_lines.py``; no serial numbers, so no database), decides
them once to fill every memo, then times, over the same lines, cumulative stages: parsing the
JSON; + reading the request (``intake.fast_values``); + deciding (``engine.decide_values``);
+ writing the answer line (``output.decision_line``); and the whole chunk as the batch runs it
(``batch.decide_chunk``). CPU time per line, best of ``--repeat`` passes.
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
    from aftersales.warranty.batch import decide_chunk
    from aftersales.warranty.rules.engine import PackSet, decide_values
    from aftersales.warranty.rules.intake import fast_values
    from aftersales.warranty.rules.output import decision_line
    from aftersales.policy.pack import parse_pack

    packs = PackSet([parse_pack(p.read_text("utf-8")) for p in sorted((ROOT / "policies").glob("*.toml"))])
    rng = random.Random(7)
    raw = [orjson.dumps(synthetic_line(i, rng)) for i in range(args.lines)]
    loads = orjson.loads

    def parse():
        for r in raw:
            loads(r)

    def read():
        for r in raw:
            fast_values(loads(r), None)

    def decide():
        for r in raw:
            values = fast_values(loads(r), None)
            if values is not None:
                try:
                    decide_values(values, packs, True)
                except AppError:
                    pass

    def write():
        for r in raw:
            obj = loads(r)
            values = fast_values(obj, None)
            if values is not None:
                try:
                    decision_line(obj.get("id"), decide_values(values, packs, True))
                except AppError:
                    pass

    def chunks():
        for i in range(0, len(raw), 4000):
            decide_chunk(raw[i:i + 4000], packs, lambda serials: {})

    stages = [("parse JSON", parse), ("+ read the request", read), ("+ decide", decide),
              ("+ write the line", write), ("the batch's chunks", chunks)]
    chunks()  # fill the memos: a long batch runs warm
    gc.freeze()
    best = {name: float("inf") for name, _ in stages}
    for _ in range(args.repeat):
        for name, run in stages:
            start = time.process_time()
            run()
            best[name] = min(best[name], time.process_time() - start)
    previous = 0.0
    for name, _ in stages:
        us = best[name] / len(raw) * 1e6
        print(f"{name:20s} {us:6.2f} µs/line  (+{us - previous:5.2f})")
        previous = us


if __name__ == "__main__":
    main()
