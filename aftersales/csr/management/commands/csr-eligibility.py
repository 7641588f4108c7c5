"""``aftersales csr-eligibility --input FILE.jsonl``: decide self-repair eligibility line by line.

Same contract as ``warranty-check`` and ``fee-preview``: JSONL out, per-line errors, exit 0 / 1 / 2.
"""

import sys

from django.core.management.base import BaseCommand

from aftersales.core.jsonl import Unreadable, fail, open_input, open_output, progress_bar


class Command(BaseCommand):
    help = "Decide each JSONL line against the self-repair programme, with the deposit; JSONL to stdout."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="JSONL file, or - for standard input")
        parser.add_argument("--output", default="-", help="where to write JSONL (default: stdout)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        sys.exit(self._run(opts))

    def _run(self, opts) -> int:
        from django.db import DatabaseError

        from aftersales.csr.batch import price_list, run_eligibility

        try:
            infile = open_input(opts["input"])
            outfile = open_output(opts["output"])
        except Unreadable as exc:
            return fail("csr-eligibility", exc)
        bar = progress_bar(opts["input"], "csr-eligibility", not opts["no_progress"])
        try:
            lines, errors = run_eligibility(infile, outfile, prices=price_list(),
                                            progress=bar.update if bar is not None else None)
        except Unreadable as exc:
            return fail("csr-eligibility", exc)
        except OSError as exc:
            return fail("csr-eligibility", Unreadable(f"reading the input failed: {exc}", f"读取输入失败：{exc}"))
        except DatabaseError as exc:
            return fail("csr-eligibility", Unreadable(
                f"the price list cannot be read ({exc}); run `aftersales migrate`",
                f"无法读取价目表（{exc}）；请先运行 `aftersales migrate`"))
        finally:
            if bar is not None:
                bar.close()
            outfile.flush()
            if outfile is not sys.stdout.buffer:
                outfile.close()
        if errors:
            sys.stderr.write(f"csr-eligibility: {lines} lines, {errors} with errors\n")
            return 1
        return 0
