"""``aftersales warranty-check`` against hostile input: every bad line becomes an error line in its
place, every other line is decided, whether one worker or several read it, from a file or from
standard input; input that is not text at all stops the command with exit status 2."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aftersales.policy.testing import POLICY_DIR

ROOT = Path(__file__).resolve().parents[2]

GOOD = {"product_line": "home-desktop", "manufactured_on": "2023-01-10", "part": "cpu", "purchased_on": "2023-03-15",
        "sold_in": "CN", "as_of": "2024-06-01"}


def good(line_id: str, **changes) -> bytes:
    return json.dumps({"id": line_id, **GOOD, **changes}, ensure_ascii=False).encode()


# (line, the error code it gets, or None when it is decided)
CORPUS = [
    (b"\xef\xbb\xbf" + good("bom-first"), None),
    (good("plain"), None),
    (b'{"id": "broken", "part": ', "invalid-json"),
    (b"", "invalid-json"),
    (b"   ", "invalid-json"),
    (b"[1, 2, 3]", "invalid-json"),
    (b'"just a string"', "invalid-json"),
    (b"[" * 5000 + b"]" * 5000, "invalid-json"),
    (good("list-line", product_line=["home-desktop"]), "unknown-product-line"),
    (good("object-part", part={"name": "cpu"}), "unknown-part"),
    (good("list-date", as_of=["2024-06-01"]), "invalid-date"),
    (good("object-dots", lcd_dots=[1, 2]), "invalid-lcd-dots"),
    (good("object-serial", serial={"n": 1}), "invalid-serial"),
    (good("huge-number", as_of=10 ** 30), "invalid-date"),
    (good("huge-dots", part="lcd-panel", product_line="aio", lcd_dots={"bright": 10 ** 30, "dark": 0}),
     "invalid-lcd-dots"),
    (good("huge-inspection", part="lcd-panel", product_line="aio", lcd_dots={"bright": 4, "dark": 0},
          lcd_inspection={"distance_cm": 1e308, "temperature_c": 25, "lux": 400}), None),
    (b'{"id": "infinite", "as_of": 1e400}', "invalid-json"),
    (good("escaped-nul", part="c\u0000pu"), "unknown-part"),
    (good("raw-nul").replace(b'"cpu"', b'"c\x00pu"'), "invalid-json"),
    (good("bad-utf8").replace(b'"cpu"', b'"c\xff\xfepu"'), "invalid-json"),
    (good("made-9999", manufactured_on="9999-01-01", purchased_on=None), "date-out-of-range"),
    (good("bought-9999", purchased_on="9999-12-31"), "date-out-of-range"),
    (good("asked-0001", as_of="0001-01-01"), "date-out-of-range"),
    (good("repaired-9999", part="fan", repairs_on=["2024-01-01", "9999-01-01"]), "date-out-of-range"),
    (good("impossible", as_of="2023-02-30"), "invalid-date"),
    (good("long-part", part="x" * 1_000_000), "unknown-part"),
    (good("long-id" * 100_000), None),
    (json.dumps({"id": json.loads("[" * 50 + "1" + "]" * 50), **GOOD}).encode(), None),
    (json.dumps({"id": json.loads("[" * 600 + "]" * 600), **GOOD}).encode(), "invalid-id"),
    (good("vip-negative", vip_visits_used=-1), "invalid-vip-visits-used"),
    (good("vip-fraction", vip_visits_used=0.5), "invalid-vip-visits-used"),
    (good("vip-text", vip_visits_used="1"), "invalid-vip-visits-used"),
    (good("vip-list", vip_visits_used=[0]), "invalid-vip-visits-used"),
    (good("vip-true", vip_visits_used=True), "invalid-vip-visits-used"),
    (good("vip-huge", vip_visits_used=10 ** 30), "invalid-vip-visits-used"),
    (good("vip-100", vip_visits_used=100), "invalid-vip-visits-used"),
    (good("vip-used", vip_visits_used=1), None),
    (good("last"), None),
]


def corpus_file(tmp_path: Path, final_newline: bool = False) -> Path:
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(line for line, _ in CORPUS) + (b"\n" if final_newline else b""))
    return path


def run(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aftersales.cli", "warranty-check", *args, "--no-progress",
                           "--packs", str(POLICY_DIR)], cwd=ROOT, input=stdin, capture_output=True, timeout=300)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("source", ["file", "stdin"])
def test_every_hostile_line_gets_an_error_line_in_its_place_and_the_rest_are_decided(tmp_path, workers, source):
    path = corpus_file(tmp_path)
    if source == "file":
        done = run("--input", str(path), "--workers", str(workers))
    else:
        done = run("--input", "-", "--workers", str(workers), stdin=path.read_bytes())
    assert done.returncode == 1, done.stderr.decode()[-2000:]
    assert b"Traceback" not in done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(CORPUS)
    for (line, expected), answer in zip(CORPUS, out):
        assert (answer["error"]["code"] if "error" in answer else None) == expected, line[:120]
        if "error" in answer:
            assert answer["error"]["en"] and answer["error"]["zh"] and len(answer["error"]["en"]) < 400
        else:
            assert answer["pack"] == "cn-desktop@2026.11.30"


def test_a_byte_order_mark_at_the_start_is_skipped_and_the_line_decided(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + good("only") + b"\n")
    done = run("--input", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["covered"] is True


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("source", ["file", "stdin"])
@pytest.mark.parametrize("content", [
    ("\n".join(json.dumps({"id": n, **GOOD}, ensure_ascii=False) for n in range(50)) + "\n").encode("utf-16"),
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 40,
    ("\n".join(json.dumps({"id": f"编号{n}", **GOOD}, ensure_ascii=False) for n in range(50))).encode("gbk"),
], ids=["utf-16", "png", "gbk"])
def test_input_that_is_not_utf8_text_at_all_exits_two_before_deciding_anything(tmp_path, workers, source, content):
    path = tmp_path / "not-text.jsonl"
    path.write_bytes(content)
    if source == "file":
        done = run("--input", str(path), "--workers", str(workers))
    else:
        done = run("--input", "-", "--workers", str(workers), stdin=content)
    assert (done.returncode, done.stdout) == (2, b"")
    assert b"not UTF-8 text" in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.parametrize("where", ["missing", "folder"])
def test_a_missing_input_or_a_folder_exits_two(tmp_path, where):
    path = tmp_path / "nothing.jsonl" if where == "missing" else tmp_path
    done = run("--input", str(path))
    assert done.returncode == 2 and b"Traceback" not in done.stderr
