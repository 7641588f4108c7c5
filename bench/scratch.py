"""A scratch database for a benchmark, made with the product's own commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "aftersales.cli"]  # the product's command line, as this interpreter runs it


def scratch_database(folder: Path) -> dict[str, str]:
    """Migrate a database in ``folder`` and load the shipped policy packs into it; returns the
    environment the product's commands run in there (``CLI``, with ``cwd=ROOT``)."""
    env = {**os.environ, "AFTERSALES_VAR_DIR": str(folder), "DJANGO_SETTINGS_MODULE": "aftersales.settings",
           "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + os.urandom(16).hex()}
    subprocess.run([*CLI, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*CLI, "load-packs"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return env
