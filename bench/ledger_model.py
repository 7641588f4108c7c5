"""Benchmark run of the ledger's model check: many random sequences of ledger operations, each
checked step by step against the model (aftersales/ledger/test_ledger_model.py).

    uv run python bench/ledger_model.py [--sequences 10000] [--postgres]

The suite runs 25 sequences, the same way every time; this runs as many as asked, each new.
With ``--postgres`` it runs on a throwaway PostgreSQL (scripts/postgres.sh). Prints the time
taken and pytest's verdict; exits with pytest's code.
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sequences", type=int, default=10_000)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()
    env = {**os.environ, "LEDGER_MODEL_SEQUENCES": str(args.sequences)}
    env.pop("DATABASE_URL", None)
    pg_dir = None
    if args.postgres:
        pg_dir = tempfile.mkdtemp(prefix="bench-ledger-pg.", dir="/tmp")
        env["DATABASE_URL"] = subprocess.run([str(ROOT / "scripts/postgres.sh"), "start", pg_dir], check=True,
                                             capture_output=True, text=True).stdout.strip()
    began = time.monotonic()
    try:
        code = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "aftersales/ledger/test_ledger_model.py"], cwd=ROOT, env=env).returncode
    finally:
        if pg_dir:
            subprocess.run([str(ROOT / "scripts/postgres.sh"), "stop", pg_dir], check=False)
    took = time.monotonic() - began
    print(f"{args.sequences} sequences on {'PostgreSQL' if args.postgres else 'SQLite'} in {took:.0f} s "
          f"({took / args.sequences * 1000:.0f} ms a sequence): {'passed' if code == 0 else 'FAILED'}")
    return code


if __name__ == "__main__":
    sys.exit(main())
