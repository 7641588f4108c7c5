"""``aftersales warranty-check --input FILE.jsonl``: decide warranty for every line of a file.

Output goes to stdout (or ``--output``), one JSON line per input line. Exit status: 0 when every
line was decided, 1 when some lines carry errors, 2 when the input cannot be read at all (missing,
a folder, not text: ``aftersales.warranty.input_text``).
"""

import os
import sys

from django.core.management.base import BaseCommand

from aftersales.core.jsonl import Unreadable, fail, open_input, open_output, pack_texts, progress_bar
from aftersales.warranty.batch import run_batch
from aftersales.warranty.batch_segments import BatchFailed, run_file
from aftersales.warranty.input_text import SAMPLE_BYTES, looks_like_text


class Command(BaseCommand):
    help = "Decide warranty for each line of a JSONL file; JSONL to stdout."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="JSONL file, or - for standard input")
        parser.add_argument("--output", default="-", help="where to write JSONL (default: stdout)")
        parser.add_argument("--packs", help="decide with the pack files in this folder instead of "
                            "the packs loaded in the database")
        parser.add_argument("--workers", type=int, default=0,
                            help="worker processes (default: one per core, at most 4)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
        parser.add_argument("--engine", choices=["columnar", "scalar"], default="scalar",
                            help="columnar: decide a file into a file in DuckDB, the same output "
                            "(slower than the scalar batch for now: docs/PERFORMANCE.md)")

    def handle(self, *args, **opts):
        code = self._run(opts)
        sys.stdout.flush()
        sys.exit(code)

    def _run(self, opts) -> int:
        from django.db import connections

        path = opts["input"]
        try:
            texts, packs, lookup = _packs_and_lookup(opts["packs"])
            infile = open_input(path)
            _require_text(path, infile)
            outfile = open_output(opts["output"])
        except Unreadable as exc:
            return fail("warranty-check", exc)
        workers = opts["workers"] or min(4, len(os.sched_getaffinity(0)))
        bar = progress_bar(path, "warranty-check", not opts["no_progress"])
        common = dict(pack_texts=texts, packs=packs, lookup=lookup, workers=workers,
                      progress=bar.update if bar is not None else None, before_fork=connections.close_all)
        try:
            if _columnar(opts):
                result = _run_columnar(path, outfile, opts["output"], packs, lookup, workers, common["progress"])
            elif path != "-" and workers > 1 and os.path.isfile(path):
                result = run_file(path, outfile, **common)
            else:
                result = run_batch(infile, outfile, **common)
        except OSError as exc:
            return fail("warranty-check", Unreadable(f"reading the input failed: {exc}", f"读取输入失败：{exc}"))
        except BatchFailed as exc:
            return fail("warranty-check", Unreadable(f"a worker process failed: {exc}", f"工作进程失败：{exc}"))
        finally:
            _close(bar, infile, outfile)
        if result.errors:
            sys.stderr.write(f"warranty-check: {result.lines} lines, {result.errors} with errors\n")
            return 1
        return 0


def _columnar(opts) -> bool:
    """Whether the columnar engine decides the file: asked for, and the input and the output
    are both files."""
    path, output = opts["input"], opts["output"]
    return opts["engine"] == "columnar" and "-" not in (path, output) and os.path.isfile(path) and os.path.isfile(output)


def _run_columnar(path: str, outfile, output: str, packs, lookup, workers: int, progress):
    """The columnar batch; should DuckDB fail, the scalar batch over an emptied output instead."""
    import duckdb

    from aftersales.warranty.batch import run_batch
    from aftersales.warranty.columnar import run_columnar

    try:
        return run_columnar(path, output, packs=packs, lookup=lookup, threads=workers, progress=progress)
    except duckdb.Error:
        outfile.seek(0)
        outfile.truncate()
        with open(path, "rb") as infile:
            return run_batch(infile, outfile, packs=packs, pack_texts=[], lookup=lookup, progress=progress)


def _require_text(path: str, infile) -> None:
    """Refuses an input that is not text at all, having read its start without consuming it."""
    if infile is sys.stdin.buffer:
        sample = infile.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]
    else:
        sample = infile.read(SAMPLE_BYTES)
        infile.seek(0)
    if not looks_like_text(sample):
        name = "standard input" if path == "-" else path
        raise Unreadable(f"{name} is not UTF-8 text (JSON lines)", f"{'标准输入' if path == '-' else path} 不是 UTF-8 文本（JSON 行）")


def _packs_and_lookup(folder: str | None):
    """The pack texts, the packs parsed, and the serial look-up: the pack files in ``folder``
    with no registry, or the packs and the registry in the database."""
    from aftersales.policy.pack import PackError, parse_pack
    from aftersales.warranty.rules.engine import PackSet

    texts = pack_texts(folder)
    if not folder:
        from aftersales.warranty.packs import packs_in_force
        from aftersales.warranty.registry import devices_by_serial

        return texts, packs_in_force(), devices_by_serial
    try:
        packs = PackSet([parse_pack(t) for t in texts])
    except PackError as exc:
        raise Unreadable(f"bad pack — {exc.field}: {exc.en}", f"政策包有误——{exc.field}：{exc.zh}")
    return texts, packs, lambda serials: {}  # no registry without the database


def _close(bar, infile, outfile) -> None:
    if bar is not None:
        bar.close()
    if outfile is not sys.stdout.buffer:
        outfile.close()
    if infile is not sys.stdin.buffer:
        infile.close()
