"""``aftersales import-devices`` against hostile input: every bad line of the CSV is listed with its
line number and nothing is imported; every other line is checked; input that is not UTF-8 text
at all, a missing file or a folder exits with status 2."""

import io
import sys

import pytest
from django.core.management import CommandError, call_command

from aftersales.warranty.models import Device

pytestmark = pytest.mark.django_db

HEADER = b"serial,model,product_line,manufactured_on,shipped_on,sold_in"
GOOD = [b"GOOD0001,D700,home-desktop,2023-01-10,2023-01-20,CN", b"GOOD0002,V241,aio,2022-05-01,,CN"]
# (line, the error code it gets)
HOSTILE = [
    (b"BADUTF01,D\xff\xfe700,home-desktop,2023-01-10,,CN", "invalid-utf8"),
    (b"NULROW01,D\x00700,home-desktop,2023-01-10,,CN", "invalid-csv"),
    (b"MADE9999,D700,home-desktop,9999-01-01,,CN", "date-out-of-range"),
    (b"MADE0001,D700,home-desktop,0001-01-01,,CN", "date-out-of-range"),
    (b"SHIP9999,D700,home-desktop,2023-01-10,9999-12-31,CN", "date-out-of-range"),
    (b"FEB30001,D700,home-desktop,2023-02-30,,CN", "invalid-date"),
    (b"LONGMODL," + b"M" * 500 + b",home-desktop,2023-01-10,,CN", "invalid-model"),
    (b"HUGEFLD1," + b"M" * 200_000 + b",home-desktop,2023-01-10,,CN", "invalid-csv"),
    (b"9" * 400 + b",D700,home-desktop,2023-01-10,,CN", "invalid-serial"),
    (b'"[""a""]",{""b"": 1},home-desktop,2023-01-10,,CN', "invalid-serial"),
    (b"LISTLINE,D700,\"['aio']\",2023-01-10,,CN", "unknown-product-line"),
    (b"TOOMANY1,D700,home-desktop,2023-01-10,,CN,extra", "invalid-csv"),
]


def corpus() -> tuple[bytes, dict[int, str]]:
    """The file (a byte-order mark first, empty lines among the rows) and the code expected at
    each bad line's number."""
    lines, expected = [b"\xef\xbb\xbf" + HEADER, GOOD[0], b""], {}
    for line, code in HOSTILE:
        lines.append(line)
        expected[len(lines)] = code
    lines += [b"", GOOD[1]]
    return b"\n".join(lines) + b"\n", expected


def run(path: str, stdin: bytes | None = None, monkeypatch=None):
    """The command's output and its exit status (0 when it returns)."""
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    err = io.StringIO()
    try:
        call_command("import-devices", path, "--no-progress", stdout=io.StringIO(), stderr=err)
    except CommandError as exc:
        return err.getvalue() + str(exc), exc.returncode
    return err.getvalue(), 0


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_every_hostile_line_is_listed_by_its_line_number_and_nothing_is_imported(tmp_path, monkeypatch, source):
    data, expected = corpus()
    path = tmp_path / "registry.csv"
    path.write_bytes(data)
    text, code = run(str(path)) if source == "file" else run("-", data, monkeypatch)
    assert code == 1 and Device.objects.count() == 0
    for line_number, error in expected.items():
        assert f"row {line_number}, " in text and f"[{error}]" in text.split(f"row {line_number}, ")[1].split("\n")[0]
    assert "row 2, " not in text and f"row {len(data.splitlines())}, " not in text  # the good lines


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_a_file_with_a_byte_order_mark_and_empty_lines_is_imported(tmp_path, monkeypatch, source):
    data = b"\xef\xbb\xbf" + b"\n".join([HEADER, GOOD[0], b"", GOOD[1], b""])
    path = tmp_path / "registry.csv"
    path.write_bytes(data)
    text, code = run(str(path)) if source == "file" else run("-", data, monkeypatch)
    assert code == 0, text
    assert sorted(Device.objects.values_list("serial", flat=True)) == ["GOOD0001", "GOOD0002"]


@pytest.mark.parametrize("content", [
    b"\n".join([HEADER, *GOOD]).decode().encode("utf-16"),
    "\n".join(["serial,model,product_line,manufactured_on,shipped_on,sold_in",
               *[f"GB{n:06d},台式机{n},home-desktop,2023-01-10,,CN" for n in range(20)]]).encode("gbk"),
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 8,
], ids=["utf-16", "gbk", "zip"])
def test_a_file_that_is_not_utf8_text_at_all_exits_two(tmp_path, monkeypatch, content):
    path = tmp_path / "registry.csv"
    path.write_bytes(content)
    assert run(str(path))[1] == 2
    assert run("-", content, monkeypatch)[1] == 2
    assert Device.objects.count() == 0


def test_a_missing_file_or_a_folder_exits_two(tmp_path):
    assert run(str(tmp_path / "nothing.csv"))[1] == 2
    assert run(str(tmp_path))[1] == 2
