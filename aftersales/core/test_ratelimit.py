"""The per-client look-up limit shared by the portal and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from aftersales.core import clock
from aftersales.core.ratelimit import RateLimited, rate_limit_hit

T0 = dt.datetime(2025, 6, 1, 8, 0, 10, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_requests_up_to_the_limit_pass_and_say_how_many_are_left():
    with clock.frozen(T0):
        left = [rate_limit_hit(scope="t", client="1.2.3.4", limit=3) for _ in range(3)]
    assert left == [2, 1, 0]


def test_the_request_over_the_limit_is_refused_with_a_code_both_languages_and_a_wait():
    with clock.frozen(T0):
        for _ in range(2):
            rate_limit_hit(scope="t", client="1.2.3.4", limit=2)
        with pytest.raises(RateLimited) as refused:
            rate_limit_hit(scope="t", client="1.2.3.4", limit=2)
    assert refused.value.code == "too-many-requests" and refused.value.status == 429
    assert refused.value.retry_after == 50  # the window ends at 08:01:00
    assert "50 seconds" in refused.value.en and "50 秒" in refused.value.zh


def test_a_new_minute_starts_a_new_count():
    with clock.frozen(T0):
        rate_limit_hit(scope="t", client="1.2.3.4", limit=1)
    with clock.frozen(T0 + dt.timedelta(minutes=1)):
        assert rate_limit_hit(scope="t", client="1.2.3.4", limit=1) == 0


def test_clients_and_scopes_are_counted_apart():
    with clock.frozen(T0):
        rate_limit_hit(scope="t", client="1.2.3.4", limit=1)
        assert rate_limit_hit(scope="t", client="5.6.7.8", limit=1) == 0
        assert rate_limit_hit(scope="other", client="1.2.3.4", limit=1) == 0
