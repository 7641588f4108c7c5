"""A regular file decided by worker processes, a segment at a time (``run_file``).

The file is cut into many segments on line boundaries; the first worker takes them from the
front and writes straight into the output (when it is a file), the others take them from the
back into part files of their own, until they meet; the parent then copies the rest in order.
So the work stays balanced whatever each segment costs, and only the others' share is copied.
Each worker decides its chunks as ``batch.decide_chunk`` does.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import tempfile
import threading
from dataclasses import dataclass
from typing import BinaryIO, Callable

from aftersales.warranty.batch import CHUNK_LINES, BatchResult, Lookup, decide_chunk, line_chunks, worker_state
from aftersales.warranty.batch_files import Claims, append_part, regular_file_fd, split_ranges
from aftersales.warranty.rules.engine import PackSet

SEGMENTS_PER_WORKER = 32


class BatchFailed(RuntimeError):
    pass


@dataclass
class _Work:
    """What every worker is given: the file, its segments and who takes which, where to report."""

    path: str
    segments: list[tuple[int, int]]
    claims: Claims
    done_bytes: object  # a shared counter of the input bytes decided, for the progress bar
    results: object  # a queue: (worker, lines, errors, [(segment, offset, length)], failure or None)
    chunk_lines: int
    init: tuple  # batch.worker_state's arguments: the pack texts, the parsed packs, the look-up


def _segment_worker(work: _Work, index: int, out_target) -> None:
    """Runs in a forked process: decide the segments it claims, one after the other, into
    ``out_target`` (the output file's descriptor for the worker taking them from the front, else
    a part file of its own), and report where each segment's lines went."""
    try:
        fast, lookup = worker_state(*work.init)
        work.results.put((index, *_decide_segments(work, index == 0, out_target, fast, lookup), None))
    except BaseException as exc:  # reported to the parent, which fails the batch
        work.results.put((index, 0, 0, [], f"{type(exc).__name__}: {exc}"))


def _decide_segments(work: _Work, from_front: bool, out_target, fast, lookup) -> tuple[int, int, list]:
    lines = errors = offset = 0
    placed = []  # (segment, offset in out_target, length)
    if not isinstance(out_target, str):
        out_target = os.dup(out_target)
    with open(work.path, "rb") as f, open(out_target, "wb") as out:
        while (segment := work.claims.take(from_front)) is not None:
            start, end = work.segments[segment]
            f.seek(start)
            length = 0
            for chunk, nbytes in line_chunks(f, work.chunk_lines, end - start):
                payload, n_err = decide_chunk(chunk, fast, lookup)
                out.write(payload)
                length, lines, errors = length + len(payload), lines + len(chunk), errors + n_err
                with work.done_bytes.get_lock():
                    work.done_bytes.value += nbytes
            placed.append((segment, offset, length))
            offset += length
    return lines, errors, placed


def run_file(path: str, outfile: BinaryIO, *, pack_texts: list[str], lookup: Lookup, workers: int,
             progress: Callable[[int], None] | None = None, chunk_lines: int = CHUNK_LINES,
             before_fork: Callable[[], None] | None = None, packs: PackSet | None = None) -> BatchResult:
    """Decide a regular file with ``workers`` processes. ``packs``, when given, are the parsed
    ``pack_texts``: the workers inherit them instead of parsing the texts again."""
    segments = split_ranges(path, max(1, workers) * SEGMENTS_PER_WORKER)
    if before_fork:
        before_fork()  # e.g. close database connections: each worker opens its own
    ctx = mp.get_context("fork")
    work = _Work(path, segments, Claims(ctx, len(segments)), ctx.Value("q", 0), ctx.Queue(), chunk_lines,
                 (pack_texts, packs, lookup))
    outfile.flush()
    direct_fd = regular_file_fd(outfile)
    with tempfile.TemporaryDirectory(prefix="warranty-batch-") as tmp:
        parts: list = [os.path.join(tmp, f"part-{i:04d}.jsonl") for i in range(workers)]
        if direct_fd is not None:
            parts[0] = direct_fd
        answers = _run_workers(ctx, work, parts, progress)
        _append_in_order(answers, parts, outfile, direct_fd)
    return BatchResult(lines=sum(a[1] for a in answers), errors=sum(a[2] for a in answers))


def _run_workers(ctx, work: _Work, parts: list, progress) -> list:
    """Start one worker per part, report progress while they run, and collect their answers;
    raises ``BatchFailed`` when one of them failed."""
    procs = [ctx.Process(target=_segment_worker, daemon=True, args=(work, i, part)) for i, part in enumerate(parts)]
    for proc in procs:
        proc.start()
    stop = threading.Event()
    reporter = threading.Thread(target=_report, args=(work.done_bytes, progress, stop), daemon=True)
    reporter.start()
    try:
        answers = [work.results.get() for _ in procs]
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
    return answers


def _append_in_order(answers: list, parts: list, outfile: BinaryIO, direct_fd: int | None) -> None:
    """Copy what is not in the output file yet, segment by segment in input order."""
    pieces = sorted((segment, parts[index], offset, length)
                    for index, _, _, placed, _ in answers if parts[index] != direct_fd
                    for segment, offset, length in placed)
    for _, part, offset, length in pieces:
        append_part(part, outfile, direct_fd, offset, length)


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
