"""``aftersales import-history --cases F --lines F --payments F``: import repairs of past years.

CSV or Parquet with the columns of docs/history.md. Bad rows are listed (file, row, code, words in
English and Chinese) and the good ones imported; running it again on the same files changes
nothing, and after an interruption it goes on where it stopped. Exit status: 0 when every row
went in or was already there, 1 when some rows were refused, 2 when a file cannot be read.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from aftersales.audit.history import history_import
from aftersales.audit.tables import Unreadable

SHOWN = 200


class Command(BaseCommand):
    help = "Import history cases, their lines and payments (CSV or Parquet), row by row."

    def add_arguments(self, parser):
        parser.add_argument("--cases", required=True)
        parser.add_argument("--lines", required=True)
        parser.add_argument("--payments", required=True)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        from tqdm import tqdm

        bar = tqdm(total=0, unit="row", file=sys.stderr, disable=opts["no_progress"] or None, desc="import-history")

        def progress(done, total):
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            result = history_import(cases=opts["cases"], lines=opts["lines"], payments=opts["payments"],
                                    progress=progress)
        except Unreadable as exc:
            raise CommandError(f"[{exc.code}] {exc.en}\n{exc.zh}", returncode=2)
        finally:
            bar.close()
        for e in result.errors[:SHOWN]:
            where = f"{e.file} row {e.row}" + (f", {e.field}" if e.field else "")
            self.stderr.write(f"{where}: [{e.code}] {e.en} / {e.zh}")
        if result.error_count > SHOWN:
            more = result.error_count - SHOWN
            self.stderr.write(f"… and {more} more refused rows / 另有 {more} 行未导入")
        for kind in ("cases", "lines", "payments"):
            self.stdout.write(f"{kind}: {result.created[kind]} imported, {result.existing[kind]} already there")
        if result.error_count:
            raise CommandError(f"{result.error_count} rows refused; the others were imported / "
                               f"{result.error_count} 行未导入，其余已导入")
