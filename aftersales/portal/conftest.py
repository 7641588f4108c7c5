import datetime as dt

import pytest
from django.core.cache import cache

from aftersales.core import clock
from aftersales.core.testing import NOW, device_made, shipped_packs_loaded


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with an empty look-up count (the cache outlives a test)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files the pages store go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW) as now:
        yield now


@pytest.fixture
def registry(db, frozen_now):
    """The shipped packs and two home desktops sold in mainland China: one made last year (in
    warranty on 1 June 2025), one made in January 2020 (its 36 months ended in January 2023)."""
    shipped_packs_loaded()
    return {
        "in": device_made("HD000001", "home-desktop", dt.date(2024, 3, 1), "CN", model="S500SE"),
        "out": device_made("HD000002", "home-desktop", dt.date(2020, 1, 10), "CN", model="D700MC"),
    }
