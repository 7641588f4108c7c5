"""``aftersales warranty-check``: the batch contract, end to end."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from aftersales.warranty.packs import pack_load
from aftersales.warranty.registry import devices_import_csv
from aftersales.policy.testing import POLICY_DIR, SHIPPED

ROOT = Path(__file__).resolve().parents[2]

GOOD = {"id": "a1", "product_line": "home-desktop", "manufactured_on": "2023-01-10", "part": "cpu",
        "purchased_on": "2023-03-15", "registered_on": None, "sold_in": "CN", "service_in": "CN",
        "as_of": "2024-06-01"}


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows))
    return path


def run_cli(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aftersales.cli", "warranty-check", *args, "--no-progress"],
                          cwd=ROOT, input=stdin, capture_output=True, timeout=120)


def test_a_decided_line_has_exactly_the_contract_fields_and_exit_is_zero(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [GOOD])
    done = run_cli("--input", str(src), "--packs", str(POLICY_DIR))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert list(out) == ["id", "covered", "starts_on", "ends_on", "basis", "group", "months", "onsite", "reasons",
                         "clauses", "pack"]
    assert (out["id"], out["covered"], out["starts_on"], out["ends_on"], out["basis"], out["group"], out["months"]) == (
        "a1", True, "2023-03-15", "2026-03-14", "invoice", "major", 36)
    assert out["onsite"] == {"eligible": True, "ends_on": "2026-03-14"}
    assert out["clauses"] == ["home-periods", "start-date", "home-onsite"]
    assert out["pack"] == "cn-desktop@2026.11.30"
    assert [(r["code"], r["clause"]) for r in out["reasons"]] == [
        ("in-period", "home-periods"), ("basis-invoice", "start-date"), ("onsite-available", "home-onsite")]
    assert all(set(r) == {"code", "en", "zh", "clause"} for r in out["reasons"])


def test_lines_that_cannot_be_decided_become_error_lines_in_place_and_exit_is_one(tmp_path):
    rows = [GOOD, {**GOOD, "id": "b2", "as_of": "2023-02-30"}, "{not json", {**GOOD, "id": "c3", "part": "teleporter"},
            {**GOOD, "id": "d4", "part": "lcd-panel"}, {**GOOD, "id": "e5"}]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    done = run_cli("--input", str(src), "--packs", str(POLICY_DIR))
    assert done.returncode == 1
    out = [json.loads(x) for x in done.stdout.decode().splitlines()]
    assert [o.get("id") for o in out] == ["a1", "b2", None, "c3", "d4", "e5"]
    codes = [o["error"]["code"] if "error" in o else None for o in out]
    assert codes == [None, "invalid-date", "invalid-json", "unknown-part", "part-not-applicable", None]
    assert all(o["error"]["en"] and o["error"]["zh"] for o in out if "error" in o)


def test_input_that_cannot_be_read_exits_two_with_nothing_on_stdout(tmp_path):
    missing = run_cli("--input", str(tmp_path / "nope.jsonl"), "--packs", str(POLICY_DIR))
    folder = run_cli("--input", str(tmp_path), "--packs", str(POLICY_DIR))
    for done in (missing, folder):
        assert done.returncode == 2 and done.stdout == b""
        assert "warranty-check" in done.stderr.decode()


def test_an_empty_file_gives_no_lines_and_exit_zero(tmp_path):
    src = tmp_path / "empty.jsonl"
    src.write_bytes(b"")
    done = run_cli("--input", str(src), "--packs", str(POLICY_DIR))
    assert (done.returncode, done.stdout) == (0, b"")


def test_parallel_workers_and_standard_input_give_the_same_lines_in_the_same_order(tmp_path):
    rows = []
    for i in range(3000):
        line = ["home-desktop", "aio", "nuc", "mini-pc"][i % 4]
        rows.append({**GOOD, "id": i, "product_line": line, "part": ["cpu", "mainboard", "memory", "ssd"][i % 4],
                     "manufactured_on": f"20{15 + i % 9}-0{1 + i % 9}-1{i % 10}",
                     "as_of": "2024-0{}-01".format(1 + i % 9), "purchased_on": None})
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    one = run_cli("--input", str(src), "--packs", str(POLICY_DIR), "--workers", "1")
    two = run_cli("--input", str(src), "--packs", str(POLICY_DIR), "--workers", "2", "--output", str(tmp_path / "o2"))
    piped = run_cli("--input", "-", "--packs", str(POLICY_DIR), "--workers", "2", stdin=src.read_bytes())
    assert one.returncode == two.returncode == piped.returncode and one.returncode in (0, 1)
    assert one.stdout == (tmp_path / "o2").read_bytes() == piped.stdout
    assert [json.loads(x)["id"] for x in one.stdout.splitlines()] == list(range(3000))


@pytest.fixture
def registered_aio():
    """The desktop pack loaded and one all-in-one PC in the registry: AIO00042, made 2023-05-01."""
    pack_load(text=SHIPPED["cn-desktop"])
    devices_import_csv(data=b"serial,model,product_line,manufactured_on,shipped_on,sold_in\n"
                            b"AIO00042,V241,aio,2023-05-01,2023-05-20,CN\n")


@pytest.mark.django_db(transaction=True)
def test_serial_lines_use_the_registry_and_unknown_serials_are_error_lines(tmp_path, registered_aio):
    src = write_jsonl(tmp_path / "in.jsonl", [
        {"id": 1, "serial": "aio00042", "part": "battery", "purchased_on": None, "registered_on": None,
         "sold_in": "CN", "service_in": "CN", "as_of": "2023-09-01"},
        {"id": 2, "serial": "NOSUCH01", "part": "cpu", "purchased_on": None, "as_of": "2024-01-01"},
        {"id": 3, "serial": "AIO00042", "part": "cpu", "sold_in": "HK", "as_of": "2024-01-01"},
    ])
    out_path = tmp_path / "out.jsonl"
    with pytest.raises(SystemExit) as done:
        call_command("warranty-check", input=str(src), output=str(out_path), workers=1, no_progress=True)
    assert done.value.code == 1
    out = [json.loads(x) for x in out_path.read_text().splitlines()]
    assert (out[0]["covered"], out[0]["starts_on"], out[0]["ends_on"]) == (True, "2023-05-01", "2023-10-31")
    assert out[1]["error"]["code"] == "unknown-serial"
    assert out[2]["error"]["code"] == "conflicts-with-registry"


@pytest.mark.django_db(transaction=True)
def test_a_line_naming_its_serial_twice_is_decided_on_the_one_a_json_parser_keeps(tmp_path, registered_aio):
    # JSON parsers keep the last of a repeated key; the serials a chunk asks the registry about
    # are found without parsing, and must not stand in for what the parser reads
    src = write_jsonl(tmp_path / "in.jsonl", [
        '{"id": 1, "serial": "NOSUCH01", "serial": "AIO00042", "part": "cpu", "as_of": "2024-01-01"}',
        '{"id": 2, "serial": "AIO00042", "serial": "NOSUCH01", "part": "cpu", "as_of": "2024-01-01"}',
    ])
    out_path = tmp_path / "out.jsonl"
    with pytest.raises(SystemExit):
        call_command("warranty-check", input=str(src), output=str(out_path), workers=1, no_progress=True)
    first, second = [json.loads(x) for x in out_path.read_text().splitlines()]
    assert (first["id"], first["covered"], first["starts_on"]) == (1, True, "2023-05-01")
    assert (second["id"], second["error"]["code"]) == (2, "unknown-serial")
    assert "NOSUCH01" in second["error"]["en"]


@pytest.mark.django_db
def test_with_no_packs_loaded_the_command_says_so_and_exits_two(tmp_path, capsys):
    src = write_jsonl(tmp_path / "in.jsonl", [GOOD])
    with pytest.raises(SystemExit) as done:
        call_command("warranty-check", input=str(src), no_progress=True)
    assert done.value.code == 2
    assert "load-packs" in capsys.readouterr().err
