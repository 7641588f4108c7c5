"""The warranty batch: JSONL in, JSONL out, one output line per input line, in order.

The input is streamed in chunks, never held whole: each chunk's serial numbers are looked up in
one query, then every line is decided. A line that cannot be decided becomes an error line
(``{"id", "error": {"code", "en", "zh"}}``) and the batch goes on.

Parallel work, two ways:
- ``run_file``: for a regular file, each worker process takes one newline-aligned byte range,
  reads, decides and writes its own part file; the parent then copies the parts out in order.
  Reading and writing are spread over the workers instead of funnelled through the parent.
- ``run_batch``: for a stream (standard input), the parent reads chunks and hands them to worker
  processes, at most a few in flight, and writes the answers in input order.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import re
import shutil
import stat
import tempfile
import threading
from collections import deque
from dataclasses import dataclass
from typing import BinaryIO, Callable

import orjson

from aftersales.core.errors import AppError
from aftersales.warranty.rules.engine import PackSet, decide
from aftersales.warranty.rules.facts import DecisionError
from aftersales.warranty.rules.intake import DeviceInfo, facts_from_mapping, normalise_serial
from aftersales.warranty.rules.output import decision_dict

CHUNK_LINES = 4000
Lookup = Callable[[list[str]], dict[str, DeviceInfo]]

_INVALID_JSON = {"code": "invalid-json", "en": "The line is not a JSON object.", "zh": "该行不是 JSON 对象。"}


@dataclass
class BatchResult:
    lines: int = 0
    errors: int = 0


def _unknown_serial(serial: str) -> dict:
    return {"code": "unknown-serial", "en": f"We have no record of serial number {serial}.",
            "zh": f"未找到序列号 {serial} 的记录。"}


_SERIAL = re.compile(rb'"serial"\s*:\s*"([^"\\]{1,64})"')


def serials_in(raw_lines: list[bytes]) -> list[str]:
    """The serial numbers a chunk asks about, found without parsing every line, so the main
    process can look them up in one query while workers do the parsing and deciding."""
    found = set()
    search = _SERIAL.search
    for raw in raw_lines:
        if b'"serial"' in raw:
            m = search(raw)
            if m:
                try:
                    found.add(normalise_serial(m.group(1).decode()))
                except (DecisionError, UnicodeDecodeError):
                    pass
    return list(found)


def decide_chunk(raw_lines: list[bytes], devices: dict[str, DeviceInfo], packs: PackSet) -> tuple[bytes, int]:
    # The cyclic garbage collector is paused for the chunk: deciding makes no reference cycles,
    # and its passes over the memoised reasons cost more than the deciding itself.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _decide_chunk(raw_lines, devices, packs)
    finally:
        if gc_was_on:
            gc.enable()


def _decide_chunk(raw_lines: list[bytes], devices: dict[str, DeviceInfo], packs: PackSet) -> tuple[bytes, int]:
    out, errors, dumps, loads = [], 0, orjson.dumps, orjson.loads
    for raw in raw_lines:
        try:
            obj = loads(raw)
        except orjson.JSONDecodeError:
            obj = None
        if type(obj) is not dict:
            out.append(dumps({"id": None, "error": _INVALID_JSON}))
            errors += 1
            continue
        line_id = obj.get("id")
        try:
            serial = obj.get("serial")
            device = None
            if serial:
                serial = normalise_serial(serial)
                device = devices.get(serial)
                if device is None:
                    out.append(dumps({"id": line_id, "error": _unknown_serial(serial)}))
                    errors += 1
                    continue
            decision = decide(facts_from_mapping(obj, device), packs)
        except AppError as exc:
            out.append(dumps({"id": line_id, "error": {"code": exc.code, "en": exc.en, "zh": exc.zh}}))
            errors += 1
            continue
        out.append(dumps({"id": line_id, **decision_dict(decision)}))
    out.append(b"")
    return b"\n".join(out), errors


def _chunks(infile: BinaryIO, size: int):
    """Yield (lines, bytes read) of at most ``size`` lines."""
    chunk, nbytes = [], 0
    for raw in infile:
        chunk.append(raw)
        nbytes += len(raw)
        if len(chunk) >= size:
            yield chunk, nbytes
            chunk, nbytes = [], 0
    if chunk:
        yield chunk, nbytes


# -- worker processes -------------------------------------------------------------------------
_worker_packs: PackSet | None = None


def _worker_init(pack_texts: list[str]) -> None:
    global _worker_packs
    from aftersales.warranty.rules.pack import parse_pack

    _worker_packs = PackSet([parse_pack(t) for t in pack_texts])


def _worker_decide(raw_lines: list[bytes], devices: dict) -> tuple[bytes, int]:
    return decide_chunk(raw_lines, devices, _worker_packs)


def run_batch(infile: BinaryIO, outfile: BinaryIO, *, packs: PackSet, pack_texts: list[str],
              lookup: Lookup, workers: int = 1, progress: Callable[[int], None] | None = None,  # bytes consumed
              chunk_lines: int = CHUNK_LINES) -> BatchResult:
    result = BatchResult()

    def emit(payload: bytes, errors: int, n: int, nbytes: int) -> None:
        outfile.write(payload)
        result.lines += n
        result.errors += errors
        if progress is not None:
            progress(nbytes)

    if workers <= 1:
        for chunk, nbytes in _chunks(infile, chunk_lines):
            serials = serials_in(chunk)
            payload, errors = decide_chunk(chunk, lookup(serials) if serials else {}, packs)
            emit(payload, errors, len(chunk), nbytes)
        return result

    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_worker_init, initargs=(pack_texts,)) as pool:
        pending: deque = deque()
        for chunk, nbytes in _chunks(infile, chunk_lines):
            serials = serials_in(chunk)
            devices = lookup(serials) if serials else {}
            pending.append((pool.apply_async(_worker_decide, (chunk, devices)), len(chunk), nbytes))
            while len(pending) > workers * 2:
                job, n, nb = pending.popleft()
                emit(*job.get(), n, nb)
        while pending:
            job, n, nb = pending.popleft()
            emit(*job.get(), n, nb)
    return result


# -- byte ranges of a regular file --------------------------------------------------------------
def split_ranges(path: str, parts: int) -> list[tuple[int, int]]:
    """Cut a file into ``parts`` byte ranges that start and end on line boundaries."""
    size = os.path.getsize(path)
    cuts = [0]
    with open(path, "rb") as f:
        for k in range(1, parts):
            f.seek(max(size * k // parts, cuts[-1]))
            if f.tell() > 0:
                f.seek(f.tell() - 1)
                f.readline()  # finish the line we landed in
            cuts.append(min(f.tell(), size))
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _range_lines(f: BinaryIO, start: int, end: int):
    f.seek(start)
    pos = start
    while pos < end:
        raw = f.readline()
        if not raw:
            return
        pos += len(raw)
        yield raw


def _range_worker(path, start, end, out_path, lookup, done_bytes, chunk_lines, results, index, pack_texts):
    """Runs in a forked process: decide one byte range into its own part file."""
    try:
        _worker_init(pack_texts)
        # Everything inherited from the parent (Django, the packs) lives as long as the worker:
        # keep the cyclic collector from walking it again and again.
        gc.freeze()
        lines = errors = 0
        out_target = out_path if isinstance(out_path, str) else os.dup(out_path)
        with open(path, "rb") as f, open(out_target, "wb") as out:
            for chunk, nbytes in _chunks(_range_lines(f, start, end), chunk_lines):
                serials = serials_in(chunk)
                payload, n_err = decide_chunk(chunk, lookup(serials) if serials else {}, _worker_packs)
                out.write(payload)
                lines += len(chunk)
                errors += n_err
                with done_bytes.get_lock():
                    done_bytes.value += nbytes
        results.put((index, lines, errors, None))
    except BaseException as exc:  # reported to the parent, which fails the batch
        results.put((index, 0, 0, f"{type(exc).__name__}: {exc}"))


class BatchFailed(RuntimeError):
    pass


def run_file(path: str, outfile: BinaryIO, *, pack_texts: list[str], lookup: Lookup, workers: int,
             progress: Callable[[int], None] | None = None, chunk_lines: int = CHUNK_LINES,
             before_fork: Callable[[], None] | None = None) -> BatchResult:
    ranges = split_ranges(path, workers)
    result = BatchResult()
    if before_fork:
        before_fork()  # e.g. close database connections: each worker opens its own
    ctx = mp.get_context("fork")
    done_bytes = ctx.Value("q", 0)
    results = ctx.Queue()
    outfile.flush()
    direct_fd = _regular_file_fd(outfile)
    with tempfile.TemporaryDirectory(prefix="warranty-batch-") as tmp:
        parts: list = [os.path.join(tmp, f"part-{i:04d}.jsonl") for i in range(len(ranges))]
        if direct_fd is not None and parts:
            parts[0] = direct_fd  # the first range goes straight into the output file
        procs = [ctx.Process(target=_range_worker, daemon=True,
                             args=(path, a, b, part, lookup, done_bytes, chunk_lines, results, i, pack_texts))
                 for i, ((a, b), part) in enumerate(zip(ranges, parts))]
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
        failures = [a[3] for a in answers if a[3]]
        if failures:
            raise BatchFailed("; ".join(failures))
        for part in parts:
            if isinstance(part, str):
                _append(part, outfile, direct_fd)
    for _, lines, errors, _ in answers:
        result.lines += lines
        result.errors += errors
    return result


def _regular_file_fd(outfile: BinaryIO) -> int | None:
    try:
        fd = outfile.fileno()
        return fd if stat.S_ISREG(os.fstat(fd).st_mode) else None
    except (AttributeError, OSError, ValueError):
        return None


def _append(part: str, outfile: BinaryIO, direct_fd: int | None) -> None:
    """Copy a part file to the output: inside the kernel when the output is a file."""
    with open(part, "rb") as f:
        if direct_fd is not None:
            size = os.fstat(f.fileno()).st_size
            try:
                while size > 0:
                    copied = os.copy_file_range(f.fileno(), direct_fd, size)
                    if copied == 0:
                        break
                    size -= copied
                if size == 0:
                    return
            except OSError:
                pass
            f.seek(os.fstat(f.fileno()).st_size - size)
            os.lseek(direct_fd, 0, os.SEEK_END)
            with open(direct_fd, "wb", closefd=False) as out:
                shutil.copyfileobj(f, out, 1 << 20)
            return
        shutil.copyfileobj(f, outfile, 1 << 20)


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
