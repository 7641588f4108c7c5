"""``aftersales import-places [FILE.csv]``: load the county-level and larger cities with their
coordinates (the list shipped with the product when no file is given). All rows or none."""

import sys

from django.core.management.base import BaseCommand, CommandError

from aftersales.centres.places import SHIPPED, places_import_csv
from aftersales.core.errors import AppError

UNREADABLE = 2


class Command(BaseCommand):
    help = "Import cities with their coordinates from CSV (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(SHIPPED))
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        try:
            with open(opts["file"], "rb") as f:
                data = f.read()
        except OSError as exc:
            raise CommandError(f"cannot read {opts['file']}: {exc.strerror} / 无法读取文件", returncode=UNREADABLE)
        from tqdm import tqdm

        with tqdm(total=0, unit="row", file=sys.stderr, disable=opts["no_progress"] or None,
                  desc="import-places") as bar:
            def progress(done, total):
                bar.total, bar.n = total, done
                bar.refresh()

            try:
                result = places_import_csv(data=data, progress=progress)
            except AppError as exc:
                raise CommandError(f"[{exc.code}] {exc.en}\n{exc.zh}", returncode=UNREADABLE)
        for e in result.errors[:200]:
            self.stderr.write(f"row {e.row}, {e.column or '-'}: [{e.code}] {e.en} / {e.zh}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} errors; nothing was imported / "
                               f"共 {len(result.errors)} 处错误，未导入任何数据")
        same = result.read - result.created - result.updated
        self.stdout.write(self.style.SUCCESS(f"{result.created} created, {result.updated} updated, {same} unchanged / "
                                             f"新增 {result.created}，更新 {result.updated}，未变 {same}"))
