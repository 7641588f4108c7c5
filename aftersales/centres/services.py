"""Writes on service centres: an administrator opens a centre. A centre is never removed here —
its cases keep pointing at it."""

from __future__ import annotations

import re
from zoneinfo import available_timezones

from django.db import transaction

from aftersales.accounts.roles import require
from aftersales.centres.models import ServiceCentre
from aftersales.core.errors import AppError
from aftersales.policy.vocabulary import REGIONS

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")


def _bad(field: str, code: str, en: str, zh: str) -> AppError:
    return AppError(code, en, zh, field=field)


@transaction.atomic
def centre_open(*, actor, code: str, name_en: str, name_zh: str, region: str, city: str, timezone: str,
                address: str = "", phone: str = "") -> ServiceCentre:
    require(actor, "people.manage")
    code = (code or "").strip().lower()
    if not CODE.match(code):
        raise _bad("code", "invalid-centre-code", "Give a short code of lower-case letters, digits and hyphens, "
                   "such as sh-02.", "请填写由小写字母、数字和连字符组成的简短代码，例如 sh-02。")
    if ServiceCentre.objects.filter(code=code).exists():
        raise _bad("code", "centre-code-taken", "Another service centre already has that code.",
                   "已有服务中心使用该代码。")
    names = {"name_en": (name_en or "").strip(), "name_zh": (name_zh or "").strip(), "city": (city or "").strip()}
    for field, value in names.items():
        if not value or len(value) > (80 if field == "city" else 120):
            raise _bad(field, "missing-centre-detail", "Give the centre's name in both languages and its city.",
                       "请填写服务中心的中英文名称及所在城市。")
    if region not in REGIONS:
        raise _bad("region", "invalid-region", "Choose the centre's region from the list.", "请从列表中选择所在地区。")
    if timezone not in available_timezones():
        raise _bad("timezone", "invalid-timezone", "Choose the centre's time zone from the list.",
                   "请从列表中选择所在时区。")
    return ServiceCentre.objects.create(code=code, region=region, timezone=timezone, address=(address or "").strip(),
                                        phone=(phone or "").strip(), **names)
