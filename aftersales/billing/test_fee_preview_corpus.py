"""``aftersales fee-preview`` fed a corpus of hostile lines, from a file and from standard input:
each bad line becomes an error row with its own code in its place, the good lines are priced,
and nothing ever ends in a traceback. Input that cannot be read at all exits 2."""

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from aftersales.cli import main
from aftersales.policy.testing import POLICY_DIR

ROOT = Path(__file__).resolve().parents[2]


def job(**fields) -> bytes:
    line = {"id": "ok", "product_line": "aio", "region": "CN", "in_warranty": False,
            "work": [{"service": "deep-cleaning"}]} | fields
    return json.dumps(line, ensure_ascii=False).encode()


def part(price) -> list[dict]:
    return [{"service": "part-replacement", "part": "ssd", "part_price": price}]


CLEANING = {"currency": "CNY", "total": "199.00", "lines": [{"service": "deep-cleaning", "labour": "199.00",
                                                             "parts": "0.00"}]}
# (line as bytes, the error code it gets, or None when it is priced as CLEANING)
CORPUS = [
    (b"\xef\xbb\xbf" + job(id="after-the-mark"), None),
    (b"", "empty-line"),
    (b" \t ", "empty-line"),
    (b'{"id": "cut", "product_line": "aio"', "invalid-json"),
    (b"{'id': 'single quotes'}", "invalid-json"),
    (job(id="raw-nul").replace(b"raw-nul", b"raw\x00nul"), "invalid-json"),
    (job(id="escaped\x00nul"), None),
    (job(id="bad-utf8").replace(b"aio", b"ai\xff\xfeo"), "invalid-utf8"),
    (job(id="half-a-character").replace(b"aio", "ai中".encode()[:-1]), "invalid-utf8"),
    (b"[" * 5000 + b"]" * 5000, "invalid-json"),
    (b"null", "not-an-object"),
    (b"true", "not-an-object"),
    (b"42", "not-an-object"),
    (b'"a string"', "not-an-object"),
    (b'[{"id": "in a list"}]', "not-an-object"),
    (job(id=["a", "list"]), "invalid-id"),
    (job(id={"an": "object"}), "invalid-id"),
    (job(id=True), "invalid-id"),
    (job(id=1.5), "invalid-id"),
    (job(id="x" * 300_000), "invalid-id"),
    (job(id=2**70), "invalid-id"),
    (job(product_line=["aio"]), "unknown-product-line"),
    (job(product_line="a" * 500_000), "unknown-product-line"),
    (job(product_line=None), "unknown-product-line"),
    (job(region={"CN": True}), "unknown-region"),
    (job(region=7), "unknown-region"),
    (job(in_warranty="no"), "invalid-request"),
    (job(in_warranty=None), "invalid-request"),
    (job(work={"service": "deep-cleaning"}), "invalid-request"),
    (job(work=[["deep-cleaning"]]), "invalid-request"),
    (job(work=[{"service": 3}]), "unknown-service"),
    (job(work=[{"service": "deep-cleaning\x00"}]), "unknown-service"),
    (job(work=[{"service": "part-replacement", "part": ["ssd"]}]), "unknown-part"),
    (job(work=part("1e26")), "invalid-amount"),
    (job(id="number").replace(b'"deep-cleaning"}', b'"part-replacement", "part": "ssd", "part_price": 1e26}'),
     "invalid-amount"),
    (job(work=part("1e25")), "invalid-amount"),
    (job(work=part(1e25)), "invalid-amount"),
    (job(work=part("NaN")), "invalid-amount"),
    (job(work=part("-Infinity")), "invalid-amount"),
    (job(work=part(["299"])), "invalid-amount"),
    (job(work=part({"amount": "299"})), "invalid-amount"),
    (job(work=part(False)), "invalid-amount"),
    (job(work=part("２９９")), "invalid-amount"),
    (job(work=part("299" + "0" * 100)), "invalid-amount"),
    (job(work=part("10000000000")), "amount-too-large"),
    (job(work=part(10**30)), "invalid-amount"),
    (job(work=part("-0.01")), "negative-amount"),
    (job(work=part("0.001")), "amount-too-precise"),
    (b'{"id": "' + b"y" * (2 * 1024 * 1024) + b'"}', "line-too-long"),
    (job(id="windows line end") + b"\r", None),
    (job(id=12), None),
    (job(id="last line, no line end"), None),
]


def corpus_bytes() -> bytes:
    return b"\n".join(line for line, _ in CORPUS)  # the last line has no line end


def check_output(stdout: bytes, stderr: bytes, returncode: int) -> None:
    assert returncode == 1, stderr
    assert b"Traceback" not in stderr
    rows = [json.loads(row) for row in stdout.splitlines()]
    assert len(rows) == len(CORPUS)
    assert [row.get("error", {}).get("code") for row in rows] == [code for _, code in CORPUS]
    for row in rows:
        if "error" in row:
            assert row["error"]["en"] and row["error"]["zh"] and len(row["error"]["en"]) < 300
    priced = [row for row in rows if "error" not in row]
    assert [row.pop("id") for row in priced] == ["after-the-mark", "escaped\x00nul", "windows line end", 12,
                                                 "last line, no line end"]
    assert priced == [CLEANING] * 5
    errors = sum(1 for _, code in CORPUS if code)
    assert f"{len(CORPUS)} lines, {errors} with errors".encode() in stderr


def fee_preview(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aftersales.cli", "fee-preview", "--packs", str(POLICY_DIR),
                           "--no-progress", *args], cwd=ROOT, input=stdin, capture_output=True, timeout=120)


def test_a_hostile_corpus_from_a_file_gets_an_error_row_per_bad_line_and_the_rest_priced(tmp_path):
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(corpus_bytes())
    done = fee_preview("--input", str(path))
    check_output(done.stdout, done.stderr, done.returncode)


def test_the_same_corpus_from_standard_input_gets_the_same_rows():
    done = fee_preview("--input", "-", stdin=corpus_bytes())
    check_output(done.stdout, done.stderr, done.returncode)


LINES = b'{"id": 1, "product_line": "aio", "region": "CN", "in_warranty": false, "work": []}\n' * 3


@pytest.mark.parametrize("name, content", [
    ("utf16.jsonl", LINES.decode().encode("utf-16")),
    ("utf16-no-mark.jsonl", LINES.decode().encode("utf-16-le")),
    ("utf32.jsonl", LINES.decode().encode("utf-32")),
    ("compressed.jsonl", gzip.compress(LINES, mtime=0)),
    ("gbk.jsonl", LINES.replace(b"1", '"中文编号"'.encode("gbk"))),
    ("random.bin", bytes(range(256)) * 64),
])
def test_a_file_that_is_not_utf8_text_at_all_exits_two_with_nothing_written(tmp_path, capsys, name, content):
    (tmp_path / name).write_bytes(content)
    out = tmp_path / "out.jsonl"
    code = main(["fee-preview", "--input", str(tmp_path / name), "--output", str(out), "--packs", str(POLICY_DIR),
                 "--no-progress"])
    assert code == 2
    assert out.read_bytes() == b""
    stderr = capsys.readouterr().err
    assert "not UTF-8 text" in stderr or "UTF-16 or UTF-32" in stderr
    assert "UTF-8" in stderr.splitlines()[1] and "输入" in stderr


@pytest.mark.parametrize("where", ["missing.jsonl", "."])
def test_a_missing_file_or_a_folder_exits_two(tmp_path, capsys, where):
    code = main(["fee-preview", "--input", str(tmp_path / where), "--packs", str(POLICY_DIR), "--no-progress"])
    assert code == 2
    assert capsys.readouterr().out == ""


def test_standard_input_that_is_not_utf8_text_exits_two():
    done = fee_preview("--input", "-", stdin=gzip.compress(LINES))
    assert (done.returncode, done.stdout) == (2, b"")
    assert b"not UTF-8 text" in done.stderr and b"Traceback" not in done.stderr


def test_an_input_of_only_empty_lines_gets_an_error_row_for_each():
    done = fee_preview("--input", "-", stdin=b"\n\n\n")
    assert done.returncode == 1
    assert [json.loads(row)["error"]["code"] for row in done.stdout.splitlines()] == ["empty-line"] * 3
