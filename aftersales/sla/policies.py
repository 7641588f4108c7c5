"""Loading service-level policies and finding the version in force.

``sla_policy_load`` checks a policy file whole before writing anything, then stores it as a new
version; ``policy_in_force`` gives the version of a policy effective on a day, and
``policy_by_label`` the version a clock was started (or last changed) under, each parsed once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache

from django.db import transaction

from aftersales.core.errors import AppError, Conflict, NotFound
from aftersales.sla.models import SlaPolicy
from aftersales.sla.rules.terms import Policy, PolicyError, parse_policy


def policy_parse(text: str) -> Policy:
    try:
        return parse_policy(text)
    except PolicyError as exc:
        raise AppError("invalid-sla-policy", f"Service-level policy rejected — {exc.field}: {exc.en}",
                       f"服务时限政策未通过校验——{exc.field}：{exc.zh}", field=exc.field) from exc


@transaction.atomic
def sla_policy_load(*, text: str, now: dt.datetime) -> SlaPolicy:
    """Store a new version; refuses a version, or an effective date, the policy already has."""
    policy = policy_parse(text)
    existing = SlaPolicy.objects.select_for_update().filter(policy_id=policy.id)
    if existing.filter(version=policy.version).exists():
        raise Conflict("sla-policy-version-exists", f"{policy.label} is already loaded; give the new file a new version.",
                       f"{policy.label} 已加载；请为新文件指定新的版本号。", field="policy.version")
    if existing.filter(effective_from=policy.effective_from).exists():
        raise Conflict("sla-policy-date-taken",
                       f"Another version of {policy.id} already takes effect on {policy.effective_from}.",
                       f"{policy.id} 已有另一个版本于 {policy.effective_from} 生效。", field="policy.effective_from")
    return SlaPolicy.objects.create(
        policy_id=policy.id, version=policy.version, effective_from=policy.effective_from,
        effective_to=policy.effective_to, title_en=policy.title_en, title_zh=policy.title_zh, source_text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(), loaded_at=now)


@lru_cache(maxsize=64)
def _parsed(sha256: str, text: str) -> Policy:
    return parse_policy(text)


def _policy(row: SlaPolicy) -> Policy:
    return _parsed(row.sha256, row.source_text)


def policy_in_force(policy_id: str, day: dt.date) -> Policy:
    """The version of ``policy_id`` in force on ``day``: the latest to take effect by then."""
    rows = SlaPolicy.objects.filter(policy_id=policy_id, effective_from__lte=day).order_by("-effective_from")
    for row in rows:
        if row.effective_to is None or day <= row.effective_to:
            return _policy(row)
        break
    raise NotFound("no-sla-policy", f"No service-level policy {policy_id!r} is in force on {day.isoformat()}.",
                   f"{day.isoformat()} 没有生效的服务时限政策 {policy_id!r}。")


def policy_by_label(label: str) -> Policy:
    policy_id, _, version = label.partition("@")
    return _policy(SlaPolicy.objects.get(policy_id=policy_id, version=version))
