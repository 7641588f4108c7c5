"""Benchmark run of the two model checks of the money: many random sequences of ledger
operations (aftersales/ledger/test_ledger_model.py) and of self-repair orders with their deposits
(aftersales/csr/test_books_model.py), each checked step by step against its model.

    uv run python bench/ledger_model.py [--sequences 10000] [--batch 500] [--postgres]

The suite runs 25 and 15 sequences, the same way every time; this runs as many of each as asked,
each new, in batches of ``--batch`` of each (one pytest run each, with a line of progress after
it; it stops at the first batch that fails). With ``--postgres`` it runs on a throwaway PostgreSQL
(scripts/postgres.sh). Prints the time taken and the verdict; exits with pytest's code.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ["aftersales/ledger/test_ledger_model.py", "aftersales/csr/test_books_model.py"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sequences", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()
    env = {**os.environ}
    env.pop("DATABASE_URL", None)
    pg_dir = None
    if args.postgres:
        pg_dir = tempfile.mkdtemp(prefix="bench-ledger-pg.", dir="/tmp")
        env["DATABASE_URL"] = subprocess.run([str(ROOT / "scripts/postgres.sh"), "start", pg_dir], check=True,
                                             capture_output=True, text=True).stdout.strip()
    began, done, code = time.monotonic(), 0, 0
    try:
        while done < args.sequences and code == 0:
            batch = min(args.batch, args.sequences - done)
            code = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                   "--reuse-db", *MODELS], cwd=ROOT,
                                  env={**env, "LEDGER_MODEL_SEQUENCES": str(batch),
                                       "CSR_MODEL_EXAMPLES": str(batch)}).returncode
            done += batch if code == 0 else 0
            print(f"[{time.monotonic() - began:7.0f} s] {done} of {args.sequences} sequences of each model, "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        if pg_dir:
            subprocess.run([str(ROOT / "scripts/postgres.sh"), "stop", pg_dir], check=False)
    took = time.monotonic() - began
    print(f"{done} sequences of each model on {'PostgreSQL' if args.postgres else 'SQLite'} in {took:.0f} s "
          f"({took / max(done, 1) * 1000:.0f} ms for a sequence of each): {'passed' if code == 0 else 'FAILED'}")
    return code


if __name__ == "__main__":
    sys.exit(main())
