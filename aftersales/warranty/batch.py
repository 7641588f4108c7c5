"""The warranty batch: JSONL in, JSONL out, one output line per input line, in order.

The input is streamed in chunks of lines, never held whole. A chunk's lines are parsed, the
serial numbers they ask about looked up in one query, then each line is decided. A line that
cannot be decided becomes an error line (``{"id", "error": {"code", "en", "zh"}}``) and the
batch goes on.

Parallel work, two ways:
- ``run_file``: for a regular file, worker processes take newline-aligned segments of it (the
  first from the front, straight into the output, the others from the back into part files),
  read, decide and write them; the parent then copies the parts out in order. Reading and
  writing are spread over the workers instead of funnelled through the parent.
- ``run_batch``: for a stream (standard input), the parent reads chunks and hands them to worker
  processes, at most a few in flight, and writes the answers in input order.
In both, the workers are forked: they start with the parent's parsed packs, and look serial
numbers up over database connections of their own (``before_fork`` closes the parent's).
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import tempfile
import threading
from collections import deque
from dataclasses import dataclass
from typing import BinaryIO, Callable

import orjson

from aftersales.core.errors import AppError
from aftersales.warranty.batch_fast import FastPath
from aftersales.warranty.batch_files import Claims, append_part, regular_file_fd, split_ranges
from aftersales.warranty.request import facts_from_mapping
from aftersales.warranty.rules.engine import PackSet, decide
from aftersales.warranty.rules.facts import InvalidInput
from aftersales.warranty.rules.intake import DeviceInfo, normalise_serial
from aftersales.warranty.wire import decision_line, error_line

CHUNK_LINES = 4000
BLOCK_BYTES = 1 << 20  # the input is read a block at a time and split into lines
Lookup = Callable[[list[str]], dict[str, DeviceInfo]]

__all__ = ["BatchFailed", "BatchResult", "CHUNK_LINES", "decide_chunk", "run_batch", "run_file",
           "split_ranges"]

_INVALID_JSON_LINE = orjson.dumps({"id": None, "error": {
    "code": "invalid-json", "en": "The line is not a JSON object.", "zh": "该行不是 JSON 对象。"}})


@dataclass
class BatchResult:
    lines: int = 0
    errors: int = 0


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
            parsed.append(orjson.loads(raw))
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
    out, errors = [], 0
    for obj, written in zip(objs, written_serials):
        if type(obj) is not dict:
            out.append(_INVALID_JSON_LINE)
            errors += 1
            continue
        line_id = obj.get("id")
        try:
            device = _device(written, serials, devices) if written else None
            out.append(_answer(obj, line_id, device, fast))
        except AppError as exc:
            out.append(error_line(line_id, exc))
            errors += 1
    out.append(b"")
    return b"\n".join(out), errors


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


def _answer(obj: dict, line_id, device: DeviceInfo | None, fast: FastPath) -> bytes:
    values = fast.read(obj, device)
    line = None if values is None else fast.line(line_id, values)
    if line is None:  # out of the ordinary: the plain path answers, or says what is wrong
        line = decision_line(line_id, decide(facts_from_mapping(obj, device), fast.packs))
    return line


def _line_chunks(f: BinaryIO, size: int, limit: int | None = None):
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


def _worker_init(pack_texts: list[str], packs: PackSet | None = None, lookup: Lookup | None = None) -> None:
    global _worker_fast, _worker_lookup
    if packs is None:
        from aftersales.policy.pack import parse_pack

        packs = PackSet([parse_pack(t) for t in pack_texts])
    _worker_fast, _worker_lookup = FastPath(packs), KnownDevices(lookup or (lambda serials: {}))
    # Everything inherited from the parent (Django, the packs) lives as long as the worker:
    # keep the cyclic collector from walking it again and again.
    gc.freeze()


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
        for chunk, nbytes in _line_chunks(infile, chunk_lines):
            emit(*decide_chunk(chunk, fast, lookup), len(chunk), nbytes)
        return result

    if before_fork:
        before_fork()  # e.g. close database connections: each worker opens its own
    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_worker_init, initargs=(pack_texts, packs, lookup)) as pool:
        pending: deque = deque()
        for chunk, nbytes in _line_chunks(infile, chunk_lines):
            pending.append((pool.apply_async(_worker_decide, (chunk,)), len(chunk), nbytes))
            while len(pending) > workers * 2:
                job, n, nb = pending.popleft()
                emit(*job.get(), n, nb)
        while pending:
            job, n, nb = pending.popleft()
            emit(*job.get(), n, nb)
    return result


# -- segments of a regular file ------------------------------------------------------------------
SEGMENTS_PER_WORKER = 32


def _segment_worker(path, segments, claims, from_front, out_target, done_bytes, chunk_lines, results, index,
                    pack_texts, packs, lookup):
    """Runs in a forked process: decide the segments it claims, one after the other, into
    ``out_target`` (the output file itself for the worker taking them from the front, else a part
    file of its own), and report where each segment's lines went."""
    try:
        _worker_init(pack_texts, packs, lookup)
        lines = errors = 0
        placed = []  # (segment, offset in out_target, length)
        offset = 0
        if not isinstance(out_target, str):
            out_target = os.dup(out_target)
        with open(path, "rb") as f, open(out_target, "wb") as out:
            while (segment := claims.take(from_front)) is not None:
                start, end = segments[segment]
                f.seek(start)
                length = 0
                for chunk, nbytes in _line_chunks(f, chunk_lines, end - start):
                    payload, n_err = decide_chunk(chunk, _worker_fast, _worker_lookup)
                    out.write(payload)
                    length += len(payload)
                    lines += len(chunk)
                    errors += n_err
                    with done_bytes.get_lock():
                        done_bytes.value += nbytes
                placed.append((segment, offset, length))
                offset += length
        results.put((index, lines, errors, placed, None))
    except BaseException as exc:  # reported to the parent, which fails the batch
        results.put((index, 0, 0, [], f"{type(exc).__name__}: {exc}"))


class BatchFailed(RuntimeError):
    pass


def run_file(path: str, outfile: BinaryIO, *, pack_texts: list[str], lookup: Lookup, workers: int,
             progress: Callable[[int], None] | None = None, chunk_lines: int = CHUNK_LINES,
             before_fork: Callable[[], None] | None = None, packs: PackSet | None = None) -> BatchResult:
    """Decide a regular file with ``workers`` processes. The file is cut into many segments on
    line boundaries; the first worker takes them from the front and writes straight into the
    output (when it is a file), the others take them from the back into part files, until they
    meet; the parent then copies the rest in order. So the work stays balanced whatever each
    segment costs, and only the others' share is copied. ``packs``, when given, are the parsed
    ``pack_texts``: the workers inherit them instead of parsing the texts again."""
    segments = split_ranges(path, max(1, workers) * SEGMENTS_PER_WORKER)
    result = BatchResult()
    if before_fork:
        before_fork()  # e.g. close database connections: each worker opens its own
    ctx = mp.get_context("fork")
    done_bytes = ctx.Value("q", 0)
    results = ctx.Queue()
    claims = Claims(ctx, len(segments))
    outfile.flush()
    direct_fd = regular_file_fd(outfile)
    with tempfile.TemporaryDirectory(prefix="warranty-batch-") as tmp:
        parts: list = [os.path.join(tmp, f"part-{i:04d}.jsonl") for i in range(workers)]
        if direct_fd is not None:
            parts[0] = direct_fd
        procs = [ctx.Process(target=_segment_worker, daemon=True,
                             args=(path, segments, claims, i == 0, part, done_bytes, chunk_lines, results, i,
                                   pack_texts, packs, lookup))
                 for i, part in enumerate(parts)]
        for proc in procs:
            proc.start()
        stop = threading.Event()
        reporter = threading.Thread(target=_report, args=(done_bytes, progress, stop), daemon=True)
        reporter.start()
        try:
            answers = [results.get() for _ in procs]
        finally:
            stop.set()
            reporter.join()
            for proc in procs:
                proc.join(timeout=5)
                if proc.is_alive():
                    proc.terminate()
        failures = [a[4] for a in answers if a[4]]
        if failures:
            raise BatchFailed("; ".join(failures))
        # What is not in the output file yet, segment by segment in input order.
        pieces = sorted((segment, parts[index], offset, length)
                        for index, _, _, placed, _ in answers if parts[index] != direct_fd
                        for segment, offset, length in placed)
        for _, part, offset, length in pieces:
            append_part(part, outfile, direct_fd, offset, length)
    for _, lines, errors, _, _ in answers:
        result.lines += lines
        result.errors += errors
    return result


def _report(done_bytes, progress, stop: threading.Event) -> None:
    shown = 0
    while True:
        finished = stop.wait(0.2)
        now = done_bytes.value
        if progress is not None and now > shown:
            progress(now - shown)
            shown = now
        if finished:
            return
