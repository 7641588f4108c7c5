"""Plumbing shared by the JSONL batch commands (``warranty-check``, ``fee-preview``).

The contract they share: one output line per input line, in order; a line that cannot be
handled becomes ``{"id", "error": {"code", "en", "zh"}}`` and the batch goes on; exit status 0
when every line was handled, 1 when some carry errors, 2 when the input cannot be read at all.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class Unreadable(Exception):
    """The batch cannot start: exit 2 with this message in both languages."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh


def fail(command: str, exc: Unreadable) -> int:
    sys.stderr.write(f"{command}: {exc.en}\n{command}：{exc.zh}\n")
    return 2


def pack_texts(packs_dir: str | None) -> list[str]:
    """The pack files to decide with: a folder's *.toml, or every pack loaded in the database."""
    if packs_dir:
        files = sorted(Path(packs_dir).glob("*.toml"))
        try:
            texts = [f.read_text("utf-8") for f in files]
        except (OSError, UnicodeDecodeError) as exc:
            raise Unreadable(f"cannot read the packs: {exc}", f"无法读取政策包：{exc}")
        if not texts:
            raise Unreadable(f"no .toml pack files in {packs_dir}", f"{packs_dir} 中没有 .toml 政策包文件")
        return texts
    from django.db import DatabaseError

    from aftersales.warranty.models import PolicyPack

    try:
        texts = list(PolicyPack.objects.order_by("pk").values_list("source_text", flat=True))
    except DatabaseError as exc:
        raise Unreadable(f"the database is not ready ({exc}); run `aftersales migrate` and `aftersales load-packs`",
                         f"数据库未就绪（{exc}）；请先运行 `aftersales migrate` 和 `aftersales load-packs`")
    if not texts:
        raise Unreadable("no policy packs are loaded; run `aftersales load-packs`",
                         "尚未加载任何政策包；请运行 `aftersales load-packs`")
    return texts


def open_input(path: str):
    if path == "-":
        return sys.stdin.buffer
    if os.path.isdir(path):
        raise Unreadable(f"{path} is a folder, not a file", f"{path} 是文件夹，不是文件")
    try:
        return open(path, "rb")
    except OSError as exc:
        raise Unreadable(f"cannot read {path}: {exc.strerror}", f"无法读取 {path}：{exc.strerror}")


def open_output(path: str):
    if path == "-":
        return sys.stdout.buffer
    try:
        return open(path, "wb")
    except OSError as exc:
        raise Unreadable(f"cannot write {path}: {exc.strerror}", f"无法写入 {path}：{exc.strerror}")


def progress_bar(path: str, desc: str, enabled: bool):
    """A byte-count progress bar on stderr (hidden when stderr is not a terminal)."""
    if not enabled:
        return None
    from tqdm import tqdm

    size = os.path.getsize(path) if path != "-" and os.path.isfile(path) else None
    return tqdm(total=size, unit="B", unit_scale=True, file=sys.stderr, disable=None, desc=desc)


def error_line(line_id, code: str, en: str, zh: str) -> dict:
    return {"id": line_id, "error": {"code": code, "en": en, "zh": zh}}
