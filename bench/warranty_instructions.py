"""Benchmark: instructions per warranty batch line, which the machine's drift does not change.

Decides the first 60,000 lines of the batch bench's input (``bench/warranty_batch.py``: the
same generator and seed, one line in ten asking by serial number, the registry in memory) in one
process, ``--passes`` times over. Run it under callgrind for 0, 1 and 2 passes::

    for n in 0 1 2; do
        valgrind --tool=callgrind --callgrind-out-file=cg.$n .venv/bin/python bench/warranty_instructions.py --passes $n
        grep summary: cg.$n
    done

Instructions a line on the first pass (memos filling) = (1 pass − 0 passes) / 60,000; warm (every
memo filled, as most of a long batch runs) = (2 passes − 1 pass) / 60,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.gen_lines import line as synthetic_line  # noqa: E402

LINES, REGISTRY = 60_000, 20_000
PART_BY_LINE = {"rog-desktop": "cpu", "home-desktop": "hdd", "aio": "battery", "mini-pc": "ssd", "nuc": "memory",
                "notebook": "ssd"}


def bench_input(device_info) -> tuple[dict, list[bytes]]:
    """The registry and the first ``LINES`` lines of the batch bench, as it makes them."""
    rng = random.Random(11)
    registry, serials = {}, []
    for i in range(REGISTRY):
        line = rng.choice(["rog-desktop", "home-desktop", "aio", "mini-pc", "nuc", "notebook"])
        made = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(0, 2500))
        serial = f"BN{i:08d}"
        serials.append((serial, line))
        registry[serial] = device_info(serial, f"M{i % 50}", line, made, made + dt.timedelta(days=20),
                                       "US" if line == "notebook" else "CN")
    raw = []
    for i in range(LINES):
        obj = synthetic_line(i, rng)
        if i % 10 == 0:
            serial, line = rng.choice(serials)
            obj = {"id": obj["id"], "serial": serial, "part": PART_BY_LINE[line], "purchased_on": None,
                   "registered_on": None, "service_in": "US" if line == "notebook" else "CN", "as_of": obj["as_of"]}
        raw.append(orjson.dumps(obj))
    return registry, raw


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--passes", type=int, default=1)
    args = ap.parse_args()

    from aftersales.policy.pack import parse_pack
    from aftersales.warranty.batch import decide_chunk
    from aftersales.warranty.batch_fast import FastPath
    from aftersales.warranty.rules.engine import PackSet
    from aftersales.warranty.rules.intake import DeviceInfo

    fast = FastPath(PackSet([parse_pack(p.read_text("utf-8")) for p in sorted((ROOT / "policies").glob("*.toml"))]))
    registry, raw = bench_input(DeviceInfo)

    def lookup(serials):
        return {s: registry[s] for s in serials if s in registry}

    gc.freeze()
    for _ in range(args.passes):
        for i in range(0, len(raw), 4000):
            decide_chunk(raw[i:i + 4000], fast, lookup)


if __name__ == "__main__":
    main()
