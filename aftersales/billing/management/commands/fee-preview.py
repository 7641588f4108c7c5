"""``aftersales fee-preview --input FILE.jsonl``: price lines of work from the published fee schedule.

Same contract as ``warranty-check``: JSONL out, per-line errors, exit 0 / 1 / 2.
"""

import sys

from django.core.management.base import BaseCommand

from aftersales.billing.preview import run_preview
from aftersales.core.jsonl import Unreadable, fail, open_input, open_output, pack_texts, progress_bar


class Command(BaseCommand):
    help = "Price each JSONL line of work with the fee schedule in force; JSONL to stdout."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="JSONL file, or - for standard input")
        parser.add_argument("--output", default="-", help="where to write JSONL (default: stdout)")
        parser.add_argument("--packs", help="use the pack files in this folder instead of the database")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        sys.exit(self._run(opts))

    def _run(self, opts) -> int:
        from aftersales.policy.pack import PackError, parse_pack
        from aftersales.warranty.decisions import today_for
        from aftersales.warranty.rules.engine import PackSet

        try:
            texts = pack_texts(opts["packs"])
            try:
                packs = PackSet([parse_pack(t) for t in texts])
            except PackError as exc:
                raise Unreadable(f"bad pack — {exc.field}: {exc.en}", f"政策包有误——{exc.field}：{exc.zh}")
            infile = open_input(opts["input"])
            outfile = open_output(opts["output"])
        except Unreadable as exc:
            return fail("fee-preview", exc)
        bar = progress_bar(opts["input"], "fee-preview", not opts["no_progress"])
        try:
            lines, errors = run_preview(infile, outfile, packs=packs, today=today_for,
                                        progress=bar.update if bar is not None else None)
        except Unreadable as exc:
            return fail("fee-preview", exc)
        except OSError as exc:
            return fail("fee-preview", Unreadable(f"reading the input failed: {exc}", f"读取输入失败：{exc}"))
        finally:
            if bar is not None:
                bar.close()
            outfile.flush()
            if outfile is not sys.stdout.buffer:
                outfile.close()
        if errors:
            sys.stderr.write(f"fee-preview: {lines} lines, {errors} with errors\n")
            return 1
        return 0
