"""``aftersales load-packs [FILE_OR_FOLDER ...]``: load policy-pack files as new versions.

With no argument, loads the packs shipped in ``policies/``. A version already loaded with the
same text is skipped, so running it twice is harmless; a file that fails validation is reported
with its field and reason, and nothing from that file is stored; the other files are loaded.
Exit status: 0 when every file loaded, 1 when some were refused, 2 when some could not be read
at all (missing, not UTF-8 text) or a folder holds no pack files.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aftersales.core.errors import AppError
from aftersales.warranty.input_text import SAMPLE_BYTES, looks_like_text
from aftersales.warranty.models import PolicyPack
from aftersales.warranty.packs import pack_load, pack_parse


class Unreadable(Exception):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh


class Command(BaseCommand):
    help = "Load policy-pack files (TOML) as new pack versions."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="pack files or folders (default: the shipped packs)")

    def handle(self, *args, **opts):
        unreadable, refused = 0, 0
        for path in [Path(p) for p in opts["paths"]] or [settings.POLICY_PACK_DIR]:
            try:
                files = _pack_files(path)
            except Unreadable as exc:
                unreadable += 1
                self.stderr.write(f"{path}: {exc.en}\n{path}：{exc.zh}")
                continue
            for f in files:
                try:
                    self._load(f)
                except Unreadable as exc:
                    unreadable += 1
                    self.stderr.write(f"{f}: {exc.en}\n{f}：{exc.zh}")
                except AppError as exc:
                    refused += 1
                    self.stderr.write(f"{f}: [{exc.code}] {exc.en}\n{f}：{exc.zh}")
        if unreadable or refused:
            count = unreadable + refused
            raise CommandError(f"{count} {'file or folder' if count == 1 else 'files or folders'} not loaded / "
                               f"{unreadable + refused} 个文件或文件夹未加载", returncode=2 if unreadable else 1)

    def _load(self, f: Path) -> None:
        text = _pack_text(f)
        pack = pack_parse(text)
        same = PolicyPack.objects.filter(pack_id=pack.id, version=pack.version).first()
        if same is not None and same.source_text == text:
            self.stdout.write(f"{pack.label}: already loaded")
            return
        row = pack_load(text=text)
        self.stdout.write(self.style.SUCCESS(f"{row.label}: loaded (effective {row.effective_from})"))


def _pack_files(path: Path) -> list[Path]:
    """The pack files a path names: the file itself, or a folder's ``*.toml``, of which there
    must be at least one."""
    if path.is_dir():
        files = sorted(p for p in path.glob("*.toml") if p.is_file())
        if not files:
            raise Unreadable("no policy-pack files (*.toml) in this folder", "此文件夹中没有政策包文件（*.toml）")
        return files
    if not path.exists():
        raise Unreadable("no such file or folder", "文件或文件夹不存在")
    return [path]


def _pack_text(f: Path) -> str:
    """A pack file's text; a file that is not text at all cannot be read, one with a line that is
    not UTF-8 is refused like any other invalid pack."""
    try:
        raw = f.read_bytes()
    except OSError as exc:
        raise Unreadable(f"cannot read ({exc.strerror})", f"无法读取（{exc.strerror}）")
    if not looks_like_text(raw[:SAMPLE_BYTES]):
        raise Unreadable("not UTF-8 text (a policy pack is a TOML file)", "不是 UTF-8 文本（政策包应为 TOML 文件）")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise AppError("invalid-pack", f"Policy pack rejected — line {line} is not UTF-8 text.",
                       f"政策包未通过校验——第 {line} 行不是 UTF-8 文本。", field="file")
