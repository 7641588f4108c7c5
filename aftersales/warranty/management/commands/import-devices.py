"""``aftersales import-devices FILE.csv``: import the serial registry from CSV.

Header: serial,model,product_line,manufactured_on,shipped_on,sold_in; FILE may be - for standard
input. Every row is checked before anything is written; a file with errors changes nothing and
lists every bad row by its line number. Exit status: 0 when imported, 1 when rows carry errors
(nothing imported), 2 when the file cannot be read at all (missing, a folder, not UTF-8 text).
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from aftersales.core.errors import AppError
from aftersales.warranty.registry import NotText, devices_import_csv


class Command(BaseCommand):
    help = "Import serial-registry rows from a CSV file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file, or - for standard input")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        data = _read(opts["file"])
        bar = None
        if not opts["no_progress"]:
            from tqdm import tqdm

            bar = tqdm(total=100, unit="%", file=sys.stderr, disable=None, desc="import-devices")

        def progress(done, total):
            if bar is not None and total:
                bar.n = int(done * 100 / total)
                bar.refresh()

        try:
            result = devices_import_csv(data=data, progress=progress)
        except NotText as exc:
            raise CommandError(f"[{exc.code}] {exc.en}\n{exc.zh}", returncode=2)
        except AppError as exc:
            raise CommandError(f"[{exc.code}] {exc.en}\n{exc.zh}")
        finally:
            if bar is not None:
                bar.close()
        if not result.ok:
            for e in result.errors[:200]:
                self.stderr.write(f"row {e.row}, {e.field}: [{e.code}] {e.en} / {e.zh}")
            more = len(result.errors) - 200
            if more > 0:
                self.stderr.write(f"… and {more} more errors / 另有 {more} 处错误")
            raise CommandError(f"{len(result.errors)} errors; nothing was imported / 共 {len(result.errors)} 处错误，未导入任何数据")
        self.stdout.write(self.style.SUCCESS(f"{result.created} created, {result.updated} updated"))


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror} / 无法读取 {path}：{exc.strerror}", returncode=2)
