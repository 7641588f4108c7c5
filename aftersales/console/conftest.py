import datetime as dt

import pytest

from aftersales.core import clock
from aftersales.core.testing import NOW, device_made, shipped_packs_loaded


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW) as now:
        yield now


@pytest.fixture
def registry(db, frozen_now):
    """The shipped packs, a home desktop and an all-in-one from mainland China, and a notebook
    from the United States."""
    shipped_packs_loaded()
    return {
        "desktop": device_made("HD000001", "home-desktop", dt.date(2024, 3, 1), "CN", model="S500SE"),
        "aio": device_made("AI000001", "aio", dt.date(2024, 9, 1), "CN", model="A5402WVA"),
        "notebook": device_made("NB000001", "notebook", dt.date(2025, 1, 10), "US", model="Zenbook 14"),
    }
