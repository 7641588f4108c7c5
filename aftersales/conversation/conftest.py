"""Fixtures for conversation tests: the Shanghai centre with the shipped packs and a booked case
(``notifications.conftest``), its staff in each language, and a private media folder."""

from __future__ import annotations

import pytest

from aftersales.core.testing import role_user
from aftersales.notifications.conftest import book, shop  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def desk(shop):  # noqa: F811
    """Staff of the Shanghai centre: one reads Chinese, one English, one has no e-mail address;
    a technician of another centre."""
    from aftersales.centres.models import ServiceCentre

    elsewhere = ServiceCentre.objects.create(code="us-01", name_en="San Jose", name_zh="圣何塞", region="US",
                                             city="San Jose", timezone="America/Los_Angeles")
    zh = role_user("staff", username="wang.fang", centres=[shop])
    zh.email, zh.preferred_language = "wang.fang@centre.example", "zh-hans"
    zh.save()
    en = role_user("technician", username="sam", centres=[shop])
    en.email = "sam@centre.example"
    en.save()
    role_user("staff", username="no-mail", centres=[shop])
    other = role_user("staff", username="jo", centres=[elsewhere])
    other.email = "jo@centre.example"
    other.save()
    return {"zh": zh, "en": en, "other": other}


@pytest.fixture
def case(shop):  # noqa: F811
    """A carry-in case booked in Chinese by Li Lei (li.lei@example.com)."""
    return book(language="zh-hans")
