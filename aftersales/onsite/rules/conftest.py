"""Fixtures: the desktop terms' visit figures, parsed."""

import pytest

from aftersales.onsite.testing import CLAUSES, VIP, VISITS
from aftersales.policy.visits import parse_vip, parse_visits


@pytest.fixture
def terms():
    return parse_visits(VISITS, CLAUSES, {"CN": "CNY", "HK": "CNY"})


@pytest.fixture
def vip_terms():
    return parse_vip(VIP, CLAUSES, {"rog-desktop", "home-desktop", "aio"})
