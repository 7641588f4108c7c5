"""``aftersales import-prices FILE``: load the parts price list of past years, with its dates.

CSV or Parquet with ``part``, ``product_line``, ``region``, ``currency``, ``price``,
``effective_from`` and optionally ``model`` (empty: every model of the line). Each row runs until
the next row of the same part, line, model and region starts. Bad rows are listed and the good
ones loaded; loading the same file again changes nothing. Exit status as ``import-history``.
"""

from django.core.management.base import BaseCommand, CommandError

from aftersales.audit.rules.rows import PRICE_COLUMNS
from aftersales.audit.tables import Table, Unreadable
from aftersales.billing.pricelist import part_prices_import

SHOWN = 200


class Command(BaseCommand):
    help = "Load the parts price list of past years (CSV or Parquet)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **opts):
        try:
            table = Table(opts["file"], PRICE_COLUMNS, optional=("model",))
        except Unreadable as exc:
            raise CommandError(f"[{exc.code}] {exc.en}\n{exc.zh}", returncode=2)
        refused = list(table.malformed)  # rows the file's reader could not read as rows
        try:
            rows = [r for chunk in table.chunks() for r in chunk]
        finally:
            table.close()
        added, same = part_prices_import(rows=rows, refuse=lambda n, exc: refused.append((n, exc)))
        for number, exc in refused[:SHOWN]:
            where = f"row {number}" + (f", {exc.field}" if exc.field else "")
            self.stderr.write(f"{where}: [{exc.code}] {exc.en} / {exc.zh}")
        self.stdout.write(f"prices: {added} loaded, {same} already there")
        if refused:
            raise CommandError(f"{len(refused)} rows refused; the others were loaded / {len(refused)} 行未导入，其余已导入")
