"""Plumbing shared by the JSONL batch commands (``warranty-check``, ``fee-preview``,
``csr-eligibility``).

The contract they share: one output line per input line, in order; a line that cannot be
handled becomes ``{"id", "error": {"code", "en", "zh"}}`` and the batch goes on; exit status 0
when every line was handled, 1 when some carry errors, 2 when the input cannot be read at all.

Reading (``input_lines``, ``line_object``) takes hostile input as it comes: a UTF-8 byte-order
mark before the first line is skipped; an empty line, a line that is not UTF-8, not JSON, or
longer than ``LINE_LIMIT`` bytes each get their own error code (the long line is skipped, never
held in memory whole). Input that is not UTF-8 text at all (UTF-16, a compressed or binary file:
no line of its first ``SAMPLE_BYTES`` reads as UTF-8 text) cannot be read: exit 2.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

import orjson

from aftersales.core.errors import AppError

LINE_LIMIT = 1024 * 1024  # bytes; a line of work or of facts is a few hundred
SAMPLE_BYTES = 64 * 1024  # the head of the input that must read as UTF-8 text
BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16 and UTF-32 (whose marks begin the same)


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


def _next_line(infile: BinaryIO) -> tuple[bytes | None, int] | None:
    """The next line without its ending, and its size in bytes; ``None`` for the line when it is
    longer than ``LINE_LIMIT`` (read on to its end in pieces); ``None`` at the end of input."""
    line = infile.readline(LINE_LIMIT + 1)
    if not line:
        return None
    size = len(line)
    if len(line) > LINE_LIMIT and not line.endswith(b"\n"):  # stopped at the limit: skip the rest
        while not line.endswith(b"\n") and (line := infile.readline(LINE_LIMIT)):
            size += len(line)
        return None, size
    return line.rstrip(b"\r\n"), size


def _is_text(line: bytes | None) -> bool:
    if line is None or b"\0" in line:
        return False
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def input_lines(infile: BinaryIO) -> Iterator[tuple[bytes | None, int]]:
    """Each input line (``None`` when too long) with its size; raises ``Unreadable`` before the
    first line when the input is not UTF-8 text (see the module overview)."""
    head, size = [], 0
    while size < SAMPLE_BYTES and (got := _next_line(infile)) is not None:
        head.append(got)
        size += got[1]
    if head and head[0][0] is not None:
        if head[0][0].startswith(_OTHER_BOMS):
            raise Unreadable("the input is UTF-16 or UTF-32 text; save it as UTF-8",
                             "输入是 UTF-16 或 UTF-32 文本；请另存为 UTF-8")
        head[0] = (head[0][0].removeprefix(BOM), head[0][1])
    written = [line for line, _ in head if line is not None and line.strip()]
    if written and not any(_is_text(line) for line in written):
        raise Unreadable("the input is not UTF-8 text (no line of its beginning reads as UTF-8)",
                         "输入不是 UTF-8 文本（开头没有一行能按 UTF-8 读取）")
    yield from head
    while (got := _next_line(infile)) is not None:
        yield got


def line_object(line: bytes | None):
    """The JSON value of one input line, or an ``AppError`` naming what is wrong with the line."""
    if line is None:
        raise AppError("line-too-long", f"The line is longer than {LINE_LIMIT // 1_048_576} MB; it was skipped.",
                       f"该行超过 {LINE_LIMIT // 1_048_576} MB，已跳过。")
    if not line.strip():
        raise AppError("empty-line", "The line is empty.", "该行为空。")
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        if not _is_text(line.replace(b"\0", b" ")):
            raise AppError("invalid-utf8", "The line is not UTF-8 text.", "该行不是 UTF-8 文本。") from None
        raise AppError("invalid-json", "The line is not valid JSON.", "该行不是有效的 JSON。") from None


def shown(value, limit: int = 40) -> str:
    """A value quoted in a message, cut short: a hostile line may hold megabytes in one field."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def answer_lines(infile: BinaryIO, outfile: BinaryIO, answer: Callable[[object], dict], *,
                 line_id: Callable[[dict], object], progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Write ``answer`` of every input line, or the line's error with its id echoed when the id can
    be (``line_id`` raises ``AppError`` when it cannot); returns (lines, lines with errors). Raises
    ``Unreadable`` before writing anything when the input is not UTF-8 text."""
    lines = errors = 0
    for raw, size in input_lines(infile):
        lines += 1
        obj = None
        try:
            obj = line_object(raw)
            result = answer(obj)
        except AppError as exc:
            errors += 1
            result = error_line(_echoed(obj, line_id), exc.code, exc.en, exc.zh)
        outfile.write(orjson.dumps(result) + b"\n")
        if progress is not None:
            progress(size)
    return lines, errors


def _echoed(obj, line_id):
    try:
        return line_id(obj) if isinstance(obj, dict) else None
    except AppError:
        return None
