"""The warranty batch: JSONL in, JSONL out, one output line per input line, in order.

The input is streamed in chunks of lines, never held whole. A chunk's lines are parsed, the
serial numbers they ask about looked up in one query, then each line is decided. A line that
cannot be decided becomes an error line (``{"id", "error": {"code", "en", "zh"}}``) and the
batch goes on.

Parallel work, two ways:
- ``batch_segments.run_file``: for a regular file, worker processes take newline-aligned
  segments of it (the first from the front, straight into the output, the others from the back
  into part files), read, decide and write them; the parent then copies the parts out in order.
  Reading and writing are spread over the workers instead of funnelled through the parent.
- ``run_batch`` (here): for a stream (standard input), the parent reads chunks and hands them to
  worker processes, at most a few in flight, and writes the answers in input order.
In both, the workers are forked: they start with the parent's parsed packs, and look serial
numbers up over database connections of their own (``before_fork`` closes the parent's).
"""

from __future__ import annotations

import gc
import multiprocessing as mp
from collections import deque
from dataclasses import dataclass
from typing import BinaryIO, Callable

import orjson

from aftersales.core.errors import AppError
from aftersales.warranty.batch_fast import ErrorLine, FastPath
from aftersales.warranty.input_text import BOM
from aftersales.warranty.request import facts_from_mapping
from aftersales.warranty.rules.engine import PackSet, decide
from aftersales.warranty.rules.facts import InvalidInput
from aftersales.warranty.rules.intake import DeviceInfo, normalise_serial
from aftersales.warranty.wire import decision_line, error_line

CHUNK_LINES = 4000
BLOCK_BYTES = 1 << 20  # the input is read a block at a time and split into lines
Lookup = Callable[[list[str]], dict[str, DeviceInfo]]

__all__ = ["BatchResult", "CHUNK_LINES", "decide_chunk", "run_batch"]

_INVALID_JSON_LINE = orjson.dumps({"id": None, "error": {
    "code": "invalid-json", "en": "The line is not a JSON object.", "zh": "该行不是 JSON 对象。"}})


_NOT_DECIDED = AppError("line-not-decided", "This line could not be decided; the other lines were. Please report "
                        "it with the line's id.", "此行未能判定，其他各行已判定。请连同此行的编号一并反馈。")


_INVALID_ID = AppError("invalid-id", "The line's id is nested too deeply to be written back; give a text or a "
                       "number.", "此行的编号嵌套层级过深，无法原样返回；请使用文本或数字作为编号。")


@dataclass
class BatchResult:
    lines: int = 0
    errors: int = 0
    columnar: int = 0  # of the lines, those the columnar engine answered itself (``warranty.columnar``)


def _unknown_serial(serial: str) -> AppError:
    return AppError("unknown-serial", f"We have no record of serial number {serial}.", f"未找到序列号 {serial} 的记录。")


def decide_chunk(raw_lines: list[bytes], fast: FastPath, lookup: Lookup) -> tuple[bytes, int]:
    """The output lines (each ending in a newline) for a chunk of input lines, and how many of
    them are error lines. Each line is answered by the fast path when it can, else by the plain
    one (``request.facts_from_mapping``, ``engine.decide``, ``wire.decision_line``)."""
    # The cyclic garbage collector is paused for the chunk: deciding makes no reference cycles,
    # and its passes over the memoised reasons cost more than the deciding itself.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _decide_chunk(raw_lines, fast, lookup)
    finally:
        if gc_was_on:
            gc.enable()


def _parsed(raw_lines: list[bytes]) -> list:
    """Each line parsed, or None where a line is not JSON."""
    try:
        return list(map(orjson.loads, raw_lines))  # every line well formed: the common case
    except orjson.JSONDecodeError:
        pass
    parsed = []
    for raw in raw_lines:
        try:
            parsed.append(orjson.loads(raw.removeprefix(BOM)))  # a byte-order mark some editors write first
        except orjson.JSONDecodeError:
            parsed.append(None)
    return parsed


def serials_in(objs: list) -> tuple[list, dict[str, str]]:
    """The serial number each line gives (None where it gives none), and the serial numbers
    the chunk asks about, as written -> as the registry knows them (badly formed ones left
    out: their lines say what is wrong with them)."""
    written = [obj.get("serial") if type(obj) is dict else None for obj in objs]
    found = {}
    for serial in written:
        if serial and type(serial) is str and serial not in found:
            try:
                found[serial] = normalise_serial(serial)
            except InvalidInput:
                pass
    return written, found


def _decide_chunk(raw_lines: list[bytes], fast: FastPath, lookup: Lookup) -> tuple[bytes, int]:
    # Parsed first, then looked up in one query, then decided one by one.
    objs = _parsed(raw_lines)
    written_serials, serials = serials_in(objs)
    devices = lookup(list(set(serials.values()))) if serials else {}
    out, errors, read, decided = [], 0, fast.read, fast.line
    for obj, written in zip(objs, written_serials):
        if type(obj) is not dict:
            out.append(_INVALID_JSON_LINE)
            errors += 1
            continue
        line_id = obj.get("id")
        try:
            device = _device(written, serials, devices) if written else None
            values = read(obj, device)
            line = None if values is None else decided(line_id, values)
            if line is None:  # out of the ordinary: the plain path answers, or says what is wrong
                line = decision_line(line_id, decide(facts_from_mapping(obj, device), fast.packs))
        except AppError as exc:
            line = _refusal(line_id, exc)
        except Exception:  # noqa: BLE001 — a line the rules did not foresee costs that line, not the batch
            line = _refusal(line_id, _NOT_DECIDED)
        errors += type(line) is ErrorLine
        out.append(line)
    out.append(b"")
    return b"\n".join(out), errors


def _refusal(line_id, exc: AppError) -> ErrorLine:
    """The error line for ``line_id``; an id that cannot be written back (nested deeper than
    JSON output allows) is itself the error."""
    try:
        return ErrorLine(error_line(line_id, exc))
    except orjson.JSONEncodeError:
        return ErrorLine(error_line(None, _INVALID_ID))


def _device(written, serials: dict[str, str], devices: dict[str, DeviceInfo]) -> DeviceInfo:
    """The registered device behind the serial number a line gives; refuses one that is badly
    formed or not registered."""
    serial = serials.get(written) if type(written) is str else None
    if serial is None:
        serial = normalise_serial(written)  # says what is wrong with it
    device = devices.get(serial)
    if device is None:
        raise _unknown_serial(serial)
    return device


def line_chunks(f: BinaryIO, size: int, limit: int | None = None):
    """Yield (lines without their newlines, bytes they took) in chunks of at most ``size`` lines,
    reading ``f`` up to ``limit`` bytes (to the end without one). Reads a block at a time and
    splits it: one call per megabyte rather than one per line."""
    carry = b""
    while limit is None or limit > 0:
        block = f.read(BLOCK_BYTES if limit is None else min(BLOCK_BYTES, limit))
        if not block:
            break
        if limit is not None:
            limit -= len(block)
        lines = (carry + block).split(b"\n")
        carry = lines.pop()  # after the last newline: the start of a line, or nothing
        for i in range(0, len(lines), size):
            chunk = lines[i:i + size]
            yield chunk, sum(map(len, chunk)) + len(chunk)
    if carry:  # a last line without a newline
        yield [carry], len(carry)


class KnownDevices:
    """Serial look-ups, remembered (unknown serials too) for the rest of the batch: a batch asks
    about the same registered devices again and again, and asking the database costs more than
    deciding the line."""

    def __init__(self, lookup: Lookup, limit: int = 200_000):
        self._lookup, self._limit = lookup, limit
        self._known: dict[str, DeviceInfo | None] = {}

    def __call__(self, serials: list[str]) -> dict[str, DeviceInfo]:
        known = self._known
        if len(known) > self._limit:
            known.clear()
        missing = [s for s in serials if s not in known]
        if missing:
            found = self._lookup(missing)
            for serial in missing:
                known[serial] = found.get(serial)
        return {s: known[s] for s in serials if known[s] is not None}


# -- worker processes -------------------------------------------------------------------------
_worker_fast: FastPath | None = None
_worker_lookup: Lookup | None = None


def worker_state(pack_texts: list[str], packs: PackSet | None, lookup: Lookup | None) -> tuple[FastPath, Lookup]:
    """What a worker process decides with: the fast path over the packs (parsed from their texts
    unless inherited already parsed) and a remembering serial look-up."""
    if packs is None:
        from aftersales.policy.pack import parse_pack

        packs = PackSet([parse_pack(t) for t in pack_texts])
    # Everything inherited from the parent (Django, the packs) lives as long as the worker:
    # keep the cyclic collector from walking it again and again.
    gc.freeze()
    return FastPath(packs), KnownDevices(lookup or (lambda serials: {}))


def _worker_init(pack_texts: list[str], packs: PackSet | None = None, lookup: Lookup | None = None) -> None:
    global _worker_fast, _worker_lookup
    _worker_fast, _worker_lookup = worker_state(pack_texts, packs, lookup)


def _worker_decide(raw_lines: list[bytes]) -> tuple[bytes, int]:
    return decide_chunk(raw_lines, _worker_fast, _worker_lookup)


def run_batch(infile: BinaryIO, outfile: BinaryIO, *, packs: PackSet, pack_texts: list[str],
              lookup: Lookup, workers: int = 1, progress: Callable[[int], None] | None = None,  # bytes consumed
              chunk_lines: int = CHUNK_LINES, before_fork: Callable[[], None] | None = None) -> BatchResult:
    result = BatchResult()

    def emit(payload: bytes, errors: int, n: int, nbytes: int) -> None:
        outfile.write(payload)
        result.lines += n
        result.errors += errors
        if progress is not None:
            progress(nbytes)

    if workers <= 1:
        lookup, fast = KnownDevices(lookup), FastPath(packs)
        for chunk, nbytes in line_chunks(infile, chunk_lines):
            emit(*decide_chunk(chunk, fast, lookup), len(chunk), nbytes)
        return result

    if before_fork:
        before_fork()  # e.g. close database connections: each worker opens its own
    _pooled(infile, workers, chunk_lines, (pack_texts, packs, lookup), emit)
    return result


def _pooled(infile: BinaryIO, workers: int, chunk_lines: int, init: tuple, emit) -> None:
    """Hand the chunks of a stream to a pool of forked workers, a few in flight at a time, and
    ``emit`` their answers in input order."""
    with mp.get_context("fork").Pool(workers, initializer=_worker_init, initargs=init) as pool:
        pending: deque = deque()
        for chunk, nbytes in line_chunks(infile, chunk_lines):
            pending.append((pool.apply_async(_worker_decide, (chunk,)), len(chunk), nbytes))
            while len(pending) > workers * 2:
                job, n, nb = pending.popleft()
                emit(*job.get(), n, nb)
        while pending:
            job, n, nb = pending.popleft()
            emit(*job.get(), n, nb)
