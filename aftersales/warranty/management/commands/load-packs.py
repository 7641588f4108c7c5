"""``aftersales load-packs [FILE_OR_FOLDER ...]``: load policy-pack files as new versions.

With no argument, loads the packs shipped in ``policies/``. A version already loaded with the
same text is skipped, so running it twice is harmless; a file that fails validation is reported
with its field and reason, and nothing from that file is stored.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aftersales.core.errors import AppError
from aftersales.warranty.models import PolicyPack
from aftersales.warranty.packs import pack_load, pack_parse


class Command(BaseCommand):
    help = "Load policy-pack files (TOML) as new pack versions."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="pack files or folders (default: the shipped packs)")

    def handle(self, *args, **opts):
        paths = [Path(p) for p in opts["paths"]] or [settings.POLICY_PACK_DIR]
        files = []
        for p in paths:
            files.extend(sorted(p.glob("*.toml")) if p.is_dir() else [p])
        failed = 0
        for f in files:
            try:
                text = f.read_text("utf-8")
                pack = pack_parse(text)
                same = PolicyPack.objects.filter(pack_id=pack.id, version=pack.version).first()
                if same is not None and same.source_text == text:
                    self.stdout.write(f"{pack.label}: already loaded")
                    continue
                row = pack_load(text=text)
                self.stdout.write(self.style.SUCCESS(f"{row.label}: loaded (effective {row.effective_from})"))
            except (OSError, UnicodeDecodeError) as exc:
                failed += 1
                self.stderr.write(f"{f}: cannot read ({exc}) / 无法读取")
            except AppError as exc:
                failed += 1
                self.stderr.write(f"{f}: [{exc.code}] {exc.en}\n{f}：{exc.zh}")
        if failed:
            raise CommandError(f"{failed} file(s) not loaded / {failed} 个文件未加载")
