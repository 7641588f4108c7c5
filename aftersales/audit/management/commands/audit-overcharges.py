"""``aftersales audit-overcharges [--output F]``: re-price every imported case, and every paid
case of this system, as it should have been priced on the day it was opened, and list each overcharge as a line of JSONL.

Findings go to ``--output`` (default: standard output); a summary by rule, and the cases the
rules could not price by reason, go to standard error. Exit status 0, or 2 when the packs or the
output cannot be used.
"""

import os
import sys
import tempfile

from django.core.management.base import BaseCommand, CommandError

from aftersales.core.jsonl import Unreadable, pack_texts


class Command(BaseCommand):
    help = "List every overcharge among the imported cases as JSONL."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="-", help="where to write JSONL (default: stdout)")
        parser.add_argument("--packs", help="use the pack files in this folder instead of the database")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        from tqdm import tqdm

        from aftersales.audit.job import STEPS, overcharges_audit
        from aftersales.policy.pack import PackError, parse_pack
        from aftersales.warranty.rules.engine import PackSet

        try:
            packs = PackSet([parse_pack(t) for t in pack_texts(opts["packs"])])
        except Unreadable as exc:
            raise CommandError(f"{exc.en}\n{exc.zh}", returncode=2)
        except PackError as exc:
            raise CommandError(f"bad pack — {exc.field}: {exc.en}\n政策包有误——{exc.field}：{exc.zh}", returncode=2)
        to_stdout = opts["output"] == "-"
        output = tempfile.mkstemp(suffix=".jsonl")[1] if to_stdout else opts["output"]
        bar = tqdm(total=STEPS, unit="step", file=sys.stderr, disable=opts["no_progress"] or None, desc="audit-overcharges")

        def progress(done, total):
            bar.n = done
            bar.refresh()

        try:
            result = overcharges_audit(packs=packs, output=output, progress=progress)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc} / 无法写入 {output}：{exc}", returncode=2)
        finally:
            bar.close()
        if to_stdout:
            with open(output, "rb") as f:
                sys.stdout.buffer.write(f.read())
            os.unlink(output)
        self.stderr.write(f"{result.cases} cases audited, {result.findings} findings / "
                          f"审计 {result.cases} 个维修单，发现 {result.findings} 项多收费")
        for rule, n in sorted(result.by_rule.items()):
            self.stderr.write(f"  {rule}: {n}")
        for code, n in sorted(result.unpriced.items()):
            self.stderr.write(f"  not priced ({code}): {n} cases / 无法计价（{code}）：{n} 个维修单")
