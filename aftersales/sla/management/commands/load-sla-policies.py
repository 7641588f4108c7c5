"""``aftersales load-sla-policies [FILE_OR_FOLDER ...]``: load service-level policy files as new
versions (default: the ones shipped in ``policies/sla/``). A version already loaded with the same
text is skipped; a file that fails its checks is reported and nothing from it is stored. Exit
status 0 when every file loaded, 1 when some were refused, 2 when some could not be read."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.sla.models import SlaPolicy
from aftersales.sla.policies import policy_parse, sla_policy_load


class Command(BaseCommand):
    help = "Load service-level policy files (TOML) as new versions."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="policy files or folders (default: the shipped ones)")

    def handle(self, *args, **opts):
        paths = [Path(p) for p in opts["paths"]] or [Path(settings.POLICY_PACK_DIR) / "sla"]
        unreadable = refused = 0
        for path in paths:
            files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
            if not files:
                unreadable += 1
                self.stderr.write(f"{path}: no policy files (*.toml) in this folder\n{path}：此文件夹中没有政策文件（*.toml）")
            for f in files:
                try:
                    text = f.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    unreadable += 1
                    self.stderr.write(f"{f}: cannot be read as UTF-8 text ({exc})\n{f}：无法作为 UTF-8 文本读取")
                    continue
                try:
                    self._load(text)
                except AppError as exc:
                    refused += 1
                    self.stderr.write(f"{f}: [{exc.code}] {exc.en}\n{f}：{exc.zh}")
        if unreadable or refused:
            raise CommandError(f"{unreadable + refused} not loaded / {unreadable + refused} 个未加载",
                               returncode=2 if unreadable else 1)

    def _load(self, text: str) -> None:
        policy = policy_parse(text)
        same = SlaPolicy.objects.filter(policy_id=policy.id, version=policy.version).first()
        if same is not None and same.source_text == text:
            self.stdout.write(f"{policy.label}: already loaded")
            return
        row = sla_policy_load(text=text, now=clock.now())
        self.stdout.write(self.style.SUCCESS(f"{row.label}: loaded (effective {row.effective_from})"))
