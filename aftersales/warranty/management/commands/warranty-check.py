"""``aftersales warranty-check --input FILE.jsonl``: decide warranty for every line of a file.

Output goes to stdout (or ``--output``), one JSON line per input line. Exit status: 0 when every
line was decided, 1 when some lines carry errors, 2 when the input cannot be read at all.
"""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from aftersales.warranty.batch import BatchFailed, run_batch, run_file


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

    def handle(self, *args, **opts):
        code = self._run(opts)
        sys.stdout.flush()
        sys.exit(code)

    def _fail(self, en: str, zh: str) -> int:
        sys.stderr.write(f"warranty-check: {en}\nwarranty-check：{zh}\n")
        return 2

    def _run(self, opts) -> int:
        from aftersales.warranty.rules.engine import PackSet
        from aftersales.warranty.rules.pack import PackError, parse_pack

        if opts["packs"]:
            files = sorted(Path(opts["packs"]).glob("*.toml"))
            try:
                texts = [f.read_text("utf-8") for f in files]
                packs = PackSet([parse_pack(t) for t in texts])
            except (OSError, UnicodeDecodeError) as exc:
                return self._fail(f"cannot read the packs: {exc}", f"无法读取政策包：{exc}")
            except PackError as exc:
                return self._fail(f"bad pack — {exc.field}: {exc.en}", f"政策包有误——{exc.field}：{exc.zh}")
            lookup = lambda serials: {}  # noqa: E731 - no registry without the database
            if not texts:
                return self._fail(f"no .toml pack files in {opts['packs']}", f"{opts['packs']} 中没有 .toml 政策包文件")
        else:
            from django.db import DatabaseError

            from aftersales.warranty.models import PolicyPack
            from aftersales.warranty.packs import packs_in_force
            from aftersales.warranty.registry import devices_by_serial

            try:
                packs = packs_in_force()
                texts = list(PolicyPack.objects.order_by("pk").values_list("source_text", flat=True))
            except DatabaseError as exc:
                return self._fail(f"the database is not ready ({exc}); run `aftersales migrate` and "
                                  f"`aftersales load-packs`", f"数据库未就绪（{exc}）；请先运行 `aftersales migrate` "
                                  f"和 `aftersales load-packs`")
            if not texts:
                return self._fail("no policy packs are loaded; run `aftersales load-packs`",
                                  "尚未加载任何政策包；请运行 `aftersales load-packs`")
            lookup = devices_by_serial

        path = opts["input"]
        try:
            infile = sys.stdin.buffer if path == "-" else open(path, "rb")
        except OSError as exc:
            return self._fail(f"cannot read {path}: {exc.strerror}", f"无法读取 {path}：{exc.strerror}")
        if path != "-" and os.path.isdir(path):
            return self._fail(f"{path} is a folder, not a file", f"{path} 是文件夹，不是文件")
        try:
            outfile = sys.stdout.buffer if opts["output"] == "-" else open(opts["output"], "wb")
        except OSError as exc:
            return self._fail(f"cannot write {opts['output']}: {exc.strerror}", f"无法写入 {opts['output']}：{exc.strerror}")
        workers = opts["workers"] or min(4, len(os.sched_getaffinity(0)))
        bar = None
        if not opts["no_progress"]:
            from tqdm import tqdm

            size = os.path.getsize(path) if path != "-" else None
            bar = tqdm(total=size, unit="B", unit_scale=True, file=sys.stderr, disable=None,
                       desc="warranty-check")
        progress = bar.update if bar is not None else None
        from django.db import connections

        try:
            if path != "-" and workers > 1 and os.path.isfile(path):
                result = run_file(path, outfile, pack_texts=texts, packs=packs, lookup=lookup,
                                  workers=workers, progress=progress, before_fork=connections.close_all)
            else:
                result = run_batch(infile, outfile, packs=packs, pack_texts=texts, lookup=lookup,
                                   workers=workers, progress=progress, before_fork=connections.close_all)
        except OSError as exc:
            return self._fail(f"reading the input failed: {exc}", f"读取输入失败：{exc}")
        except BatchFailed as exc:
            return self._fail(f"a worker process failed: {exc}", f"工作进程失败：{exc}")
        finally:
            if bar is not None:
                bar.close()
            if outfile is not sys.stdout.buffer:
                outfile.close()
            if infile is not sys.stdin.buffer:
                infile.close()
        if result.errors:
            sys.stderr.write(f"warranty-check: {result.lines} lines, {result.errors} with errors\n")
            return 1
        return 0
