"""Loading policy packs and finding the ones in force.

``pack_load`` validates a pack file completely before writing anything, then stores it as a new
version; ``packs_in_force`` returns the ``PackSet`` the engine decides with, rebuilt only when
the stored packs change.
"""

from __future__ import annotations

import hashlib
import threading

from django.db import transaction

from aftersales.core import clock
from aftersales.core.errors import AppError, Conflict
from aftersales.warranty.models import PolicyPack
from aftersales.warranty.rules.engine import PackSet
from aftersales.policy.pack import Pack, PackError, parse_pack

_cache_lock = threading.Lock()
_cache: dict[str, object] = {"key": None, "packs": None}


class InvalidPack(AppError):
    status = 400


def pack_parse(text: str) -> Pack:
    try:
        return parse_pack(text)
    except PackError as exc:
        raise InvalidPack("invalid-pack", f"Policy pack rejected — {exc.field}: {exc.en}",
                          f"政策包未通过校验——{exc.field}：{exc.zh}", field=exc.field) from exc


def pack_text_from_bytes(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidPack("invalid-pack", "A policy pack must be a UTF-8 text file (TOML).",
                          "政策包必须是 UTF-8 编码的文本文件（TOML）。", field="file") from exc


@transaction.atomic
def pack_load(*, text: str, user=None) -> PolicyPack:
    """Validate and store a new pack version. Refuses a version or an effective date that the
    same pack already has, and a pack that would govern a product line and region another pack
    already governs (one answer per device, never two)."""
    pack = pack_parse(text)
    existing = PolicyPack.objects.select_for_update().filter(pack_id=pack.id)
    if existing.filter(version=pack.version).exists():
        raise Conflict("pack-version-exists", f"{pack.label} is already loaded; give the new file a new version.",
                       f"{pack.label} 已加载；请为新文件指定新的版本号。", field="pack.version")
    if existing.filter(effective_from=pack.effective_from).exists():
        raise Conflict("pack-date-taken",
                       f"Another version of {pack.id} already takes effect on {pack.effective_from}.",
                       f"{pack.id} 已有另一个版本于 {pack.effective_from} 生效。", field="pack.effective_from")
    for other in PolicyPack.objects.exclude(pack_id=pack.id):
        shared_lines = set(other.product_lines) & set(pack.lines)
        shared_regions = set(other.regions) & pack.regions
        if shared_lines and shared_regions:
            raise Conflict("pack-overlap",
                           f"{other.label} already governs {', '.join(sorted(shared_lines))} in "
                           f"{', '.join(sorted(shared_regions))}; load a new version of that pack instead.",
                           f"{other.label} 已适用于 {', '.join(sorted(shared_regions))} 的 "
                           f"{', '.join(sorted(shared_lines))}；请改为加载该政策包的新版本。", field="pack.id")
    row = PolicyPack.objects.create(
        pack_id=pack.id, version=pack.version, effective_from=pack.effective_from,
        effective_to=pack.effective_to, title_en=pack.title_en, title_zh=pack.title_zh,
        product_lines=sorted(pack.lines), regions=sorted(pack.regions), source_text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(), loaded_at=clock.now(),
        loaded_by=user if user is not None and user.is_authenticated else None,
    )
    transaction.on_commit(packs_forget)
    return row


def packs_forget() -> None:
    with _cache_lock:
        _cache["key"] = None


def pack_name(label: str, *, zh: bool) -> str:
    """A decision's pack (``id@version``) as a person reads it: the policy's title and date."""
    pack = packs_in_force().by_label(label)
    return pack.name(zh) if pack is not None else label


def packs_in_force() -> PackSet:
    """Every stored pack, parsed once per change of the stored set."""
    key = tuple(PolicyPack.objects.order_by("pk").values_list("pk", "sha256"))
    with _cache_lock:
        if _cache["key"] == key and _cache["packs"] is not None:
            return _cache["packs"]
    texts = PolicyPack.objects.order_by("pk").values_list("source_text", flat=True)
    packs = PackSet([parse_pack(t) for t in texts])
    with _cache_lock:
        _cache.update(key=key, packs=packs)
    return packs

