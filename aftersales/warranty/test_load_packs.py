"""``aftersales load-packs`` against hostile pack files: each bad file is refused with the reason,
the good ones in the same folder are loaded; a file that is not text at all, a missing path or a
folder without pack files exits with status 2."""

import io

import pytest
from django.core.management import CommandError, call_command

from aftersales.policy.testing import SHIPPED
from aftersales.warranty.models import PolicyPack

pytestmark = pytest.mark.django_db

DESKTOP = SHIPPED["cn-desktop"]


def changed(old: str, new: str) -> str:
    assert old in DESKTOP
    return DESKTOP.replace(old, new, 1)


# file name -> (bytes, words the refusal must hold)
HOSTILE = {
    "malformed.toml": (b"[pack\nid = ", "not valid TOML"),
    "empty.toml": (b"", "pack"),
    "nul.toml": (changed('title_en = "', 'title_en = "\x00').encode(), "not valid TOML"),
    "bad-utf8.toml": (changed('title_en = "', 'title_en = "\udcff').encode("utf-8", "surrogateescape"),
                      "is not UTF-8 text"),
    "list-regions.toml": (changed('regions = ["CN", "HK", "MO", "TW"]', 'regions = [["CN"]]').encode(), "pack.regions"),
    "table-title.toml": (changed('title_en = "Desktop and all-in-one warranty terms — Greater China"',
                                 "title_en = { text = 1 }").encode(), "title_en"),
    "huge-months.toml": (changed("post_repair = { months = 3,", "post_repair = { months = 99999999999999999999999,")
                         .encode(), "whole number"),
    "from-9999.toml": (changed("effective_from = 2011-01-01", "effective_from = 9999-12-31").encode(),
                       "9999-12-31 is outside the dates we accept"),
    "from-0001.toml": (changed("effective_from = 2011-01-01", "effective_from = 0001-01-01").encode(),
                       "0001-01-01 is outside the dates we accept"),
    "feb-30.toml": (changed("effective_from = 2011-01-01", "effective_from = 2023-02-30").encode(), "not valid TOML"),
    "long-field.toml": (changed('title_en = "', 'title_en = "' + "x" * 1_000_000 + '", note = "').encode(),
                        "not valid TOML"),
}


def run(*paths) -> tuple[str, int]:
    err = io.StringIO()
    try:
        call_command("load-packs", *map(str, paths), stdout=io.StringIO(), stderr=err)
    except CommandError as exc:
        return err.getvalue(), exc.returncode
    return err.getvalue(), 0


def test_each_hostile_pack_is_refused_with_its_reason_and_the_good_ones_load(tmp_path):
    (tmp_path / "a-desktop.toml").write_bytes(b"\xef\xbb\xbf" + DESKTOP.encode())  # a byte-order mark first
    (tmp_path / "a-notebook.toml").write_text(SHIPPED["na-notebook"], "utf-8")
    for name, (content, _) in HOSTILE.items():
        (tmp_path / f"z-{name}").write_bytes(content)
    text, code = run(tmp_path)
    assert code == 1
    assert sorted(PolicyPack.objects.values_list("pack_id", flat=True)) == ["cn-desktop", "na-notebook"]
    for name, (_, words) in HOSTILE.items():
        refusal = text.split(f"z-{name}: ")[1].split("\n")[0]
        assert words in refusal, (name, refusal[:200])
        assert len(refusal) < 2000


@pytest.mark.parametrize("content", [DESKTOP.encode("utf-16"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50],
                         ids=["utf-16", "png"])
def test_a_pack_file_that_is_not_text_at_all_exits_two_and_the_others_still_load(tmp_path, content):
    (tmp_path / "a-notebook.toml").write_text(SHIPPED["na-notebook"], "utf-8")
    (tmp_path / "b-image.toml").write_bytes(content)
    text, code = run(tmp_path)
    assert code == 2 and "not UTF-8 text" in text
    assert list(PolicyPack.objects.values_list("pack_id", flat=True)) == ["na-notebook"]


def test_a_folder_without_pack_files_says_so_and_exits_two(tmp_path):
    (tmp_path / "readme.txt").write_text("no packs here")
    text, code = run(tmp_path)
    assert code == 2 and "no policy-pack files" in text and "没有政策包文件" in text


def test_a_missing_pack_file_exits_two(tmp_path):
    text, code = run(tmp_path / "missing.toml")
    assert code == 2 and "no such file" in text
