"""``aftersales fee-preview``: the batch contract."""

import json
import subprocess
import sys
from pathlib import Path

from aftersales.policy.testing import POLICY_DIR

ROOT = Path(__file__).resolve().parents[2]


def run(rows, *args):
    data = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows).encode()
    return subprocess.run([sys.executable, "-m", "aftersales.cli", "fee-preview", "--input", "-", "--packs",
                           str(POLICY_DIR), "--no-progress", *args], cwd=ROOT, input=data, capture_output=True,
                          timeout=60)


def test_a_priced_line_has_currency_lines_and_a_two_place_total_and_exit_is_zero():
    done = run([{"id": 7, "product_line": "home-desktop", "region": "CN", "in_warranty": False,
                 "work": [{"service": "part-replacement", "part": "hdd", "part_price": "299"},
                          {"service": "os-recovery"}]}])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "id": 7, "currency": "CNY", "total": "449.00",
        "lines": [{"service": "part-replacement", "part": "hdd", "labour": "50.00", "parts": "299.00"},
                  {"service": "os-recovery", "labour": "100.00", "parts": "0.00"}]}


def test_bad_lines_become_error_lines_in_place_and_exit_is_one():
    done = run([{"id": 1, "product_line": "aio", "region": "CN", "in_warranty": False, "work": [{"service": "x"}]},
                "nonsense",
                {"id": 3, "product_line": "aio", "region": "CN", "in_warranty": "yes", "work": []},
                {"id": 4, "product_line": "aio", "region": "CN", "in_warranty": False, "work": []}])
    assert done.returncode == 1
    out = [json.loads(x) for x in done.stdout.splitlines()]
    assert [o.get("error", {}).get("code") for o in out] == ["unknown-service", "invalid-json", "invalid-request", None]
    assert out[3]["total"] == "100.00"


def test_unreadable_input_exits_two(tmp_path):
    done = subprocess.run([sys.executable, "-m", "aftersales.cli", "fee-preview", "--input", str(tmp_path / "none"),
                           "--packs", str(POLICY_DIR)], cwd=ROOT, capture_output=True, timeout=60)
    assert done.returncode == 2 and done.stdout == b""
