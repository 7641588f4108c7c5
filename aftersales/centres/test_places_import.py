"""Importing places: all rows or none, every bad row named, the same file twice changes nothing,
and the command tells an unreadable file (exit 2) from a file with bad rows (exit 1)."""

import io
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aftersales.centres.models import City
from aftersales.centres.places import SHIPPED, places_import_csv
from aftersales.core.errors import AppError

HEADER = b"code,region,name_en,name_zh,level,latitude,longitude\n"
GOOD = "cn-kunshan,CN,Kunshan,昆山,county,31.385600,120.980800\n".encode()


@pytest.mark.django_db
def test_the_shipped_places_load_and_loading_them_again_changes_nothing():
    first = places_import_csv(data=SHIPPED.read_bytes())
    assert first.created == City.objects.count() >= 40 and not first.errors
    again = places_import_csv(data=SHIPPED.read_bytes())
    assert (again.created, again.updated, again.read) == (0, 0, first.created)
    assert City.objects.get(code="cn-chengdu").name_zh == "成都"


@pytest.mark.django_db
def test_a_moved_city_is_updated_in_place():
    places_import_csv(data=HEADER + GOOD)
    moved = places_import_csv(data=HEADER + GOOD.replace(b"31.385600", b"31.400000"))
    assert moved.updated == 1 and City.objects.get(code="cn-kunshan").latitude == Decimal("31.400000")


@pytest.mark.django_db
def test_a_byte_order_mark_and_padded_header_are_accepted():
    assert places_import_csv(data=b"\xef\xbb\xbf" + HEADER.replace(b",", b" , ") + GOOD).created == 1


HOSTILE = [
    (b"x,ZZ,X,X,county,1,1\n", "unknown-region"),
    (b"x,CN,X,X,village,1,1\n", "unknown-level"),
    (b"x,CN,X,X,county,91,1\n", "invalid-coordinates"),
    (b"x,CN,X,X,county,1,-180.5\n", "invalid-coordinates"),
    (b"x,CN,X,X,county,NaN,1\n", "invalid-coordinates"),
    (b"x,CN,X,X,county,1e2,1\n", "invalid-coordinates"),
    (b"x,CN,X,X,county,1.0000001,1\n", "invalid-coordinates"),
    (b"x,CN,X,X,county,north,1\n", "invalid-coordinates"),
    (b",CN,X,X,county,1,1\n", "missing-field"),
    (b"x,CN,X,,county,1,1\n", "missing-field"),
    (b"x,CN," + b"X" * 500 + b",X,county,1,1\n", "field-too-long"),
    (b'x,CN,"' + b"X" * 200_000 + b'",X,county,1,1\n', "bad-csv"),
    (b"cn-kunshan,CN,Again,X,county,1,1\n", "duplicate-code"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("line, code", HOSTILE)
def test_a_bad_row_is_named_and_nothing_is_imported(line, code):
    result = places_import_csv(data=HEADER + GOOD + line)
    assert code in {e.code for e in result.errors}
    assert all(e.row == 3 and e.zh for e in result.errors if e.code == code)
    assert not City.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data, code", [
    (HEADER + b"x,CN,X\x00,X,county,1,1\n", "nul-bytes"),
    (HEADER + b"x,CN,\xff\xfe,X,county,1,1\n", "not-utf8"),
    (b"name,lat,lon\nx,1,1\n", "bad-header"),
    (b"", "bad-header"),
])
def test_a_file_that_is_not_a_places_csv_is_refused_whole(data, code):
    with pytest.raises(AppError) as refused:
        places_import_csv(data=data)
    assert refused.value.code == code and refused.value.zh


@pytest.mark.django_db
def test_the_command_exits_1_for_bad_rows_and_2_for_an_unreadable_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(HEADER + b"x,ZZ,X,X,county,1,1\n")
    with pytest.raises(CommandError) as rows:
        call_command("import-places", str(bad), "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    assert rows.value.returncode == 1
    for unreadable in (tmp_path / "missing.csv", tmp_path):
        with pytest.raises(CommandError) as unread:
            call_command("import-places", str(unreadable), "--no-progress", stdout=io.StringIO(),
                         stderr=io.StringIO())
        assert unread.value.returncode == 2
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xd8\xff\xe0" * 100)
    with pytest.raises(CommandError) as unread:
        call_command("import-places", str(binary), "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    assert unread.value.returncode == 2


def test_the_cli_exits_2_for_a_missing_file(tmp_path):
    done = subprocess.run([sys.executable, "-m", "aftersales.cli", "import-places", str(tmp_path / "nope.csv")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "无法读取文件" in done.stderr
