"""The per-client look-up limit shared by the portal and the API, counted in the database so
that every process and every restart sees the same count."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import RequestFactory

from aftersales.core import clock
from aftersales.core.models import RateCounter
from aftersales.core.ratelimit import Hit, RateLimited, client_address, counted_read, rate_limit_hit

T0 = dt.datetime(2025, 6, 1, 8, 0, 10, tzinfo=dt.timezone.utc)
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


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


def test_a_request_from_a_clock_a_little_behind_adds_to_the_current_window():
    with clock.frozen(T0 + dt.timedelta(minutes=1)):
        rate_limit_hit(scope="t", client="1.2.3.4", limit=2)
    with clock.frozen(T0 + dt.timedelta(seconds=45)):  # the minute before, from a slower clock
        rate_limit_hit(scope="t", client="1.2.3.4", limit=2)
    with clock.frozen(T0 + dt.timedelta(minutes=1)), pytest.raises(RateLimited):
        rate_limit_hit(scope="t", client="1.2.3.4", limit=2)


def test_clients_and_scopes_are_counted_apart():
    with clock.frozen(T0):
        rate_limit_hit(scope="t", client="1.2.3.4", limit=1)
        assert rate_limit_hit(scope="t", client="5.6.7.8", limit=1) == 0
        assert rate_limit_hit(scope="other", client="1.2.3.4", limit=1) == 0


def test_counters_whose_window_ended_are_deleted_when_a_new_window_starts():
    with clock.frozen(T0):
        rate_limit_hit(scope="t", client="1.2.3.4", limit=5)
        rate_limit_hit(scope="t", client="5.6.7.8", limit=5)
    with clock.frozen(T0 + dt.timedelta(minutes=3)):
        rate_limit_hit(scope="t", client="9.9.9.9", limit=5)
    assert list(RateCounter.objects.values_list("key", "count")) == [("t:9.9.9.9", 1)]



ROWS = "SELECT k, n FROM (SELECT 'a' AS k, 1 AS n UNION ALL SELECT 'b', 2) t WHERE n >= %s"


def test_a_counted_read_counts_once_and_answers_the_rows_of_its_query():
    with clock.frozen(T0):
        rows = counted_read(Hit("t", "1.2.3.4", 3), ROWS, [1])
        assert sorted(rows) == [("a", 1), ("b", 2)]
        assert counted_read(Hit("t", "1.2.3.4", 3), ROWS, [5]) == []  # no rows, still counted
        assert rate_limit_hit(scope="t", client="1.2.3.4", limit=3) == 0


def test_a_counted_read_over_the_limit_is_refused_with_the_wait_and_answers_nothing():
    with clock.frozen(T0):
        rate_limit_hit(scope="t", client="1.2.3.4", limit=1)
        with pytest.raises(RateLimited) as refused:
            counted_read(Hit("t", "1.2.3.4", 1), ROWS, [1])
    assert refused.value.retry_after == 50
    assert RateCounter.objects.get(key="t:1.2.3.4").count == 2

@pytest.mark.django_db(transaction=True)
def test_two_database_connections_count_into_the_same_counter():
    """Each thread has a database connection of its own, as each web process has."""
    with clock.frozen(T0):
        rate_limit_hit(scope="t", client="1.2.3.4", limit=3)
        rate_limit_hit(scope="t", client="1.2.3.4", limit=3)
        seen = []

        def other_connection():
            try:
                seen.append(rate_limit_hit(scope="t", client="1.2.3.4", limit=3))
                with pytest.raises(RateLimited):
                    rate_limit_hit(scope="t", client="1.2.3.4", limit=3)
                seen.append("refused")
            finally:
                connection.close()

        worker = threading.Thread(target=other_connection)
        worker.start()
        worker.join()
        assert seen == [0, "refused"]
        with pytest.raises(RateLimited):  # and the first connection sees the other's requests
            rate_limit_hit(scope="t", client="1.2.3.4", limit=3)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_new_process_continues_the_count_of_the_one_before():
    """Two processes one after the other, as a restart is: the second sees the first's count."""
    db = connection.settings_dict
    url = (f"postgres://{quote(db['USER'] or '', safe='')}:{quote(db['PASSWORD'] or '', safe='')}"
           f"@{quote(db['HOST'] or '', safe='')}{':' + str(db['PORT']) if db['PORT'] else ''}/{db['NAME']}")
    # A window of ten years, so that no boundary passes between the processes.
    script = ("import django; django.setup()\n"
              "from aftersales.core.ratelimit import rate_limit_hit\n"
              "print(rate_limit_hit(scope='restart', client='1.2.3.4', limit=5, period_seconds=315360000))\n")
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "aftersales.settings"}
    left = [subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True,
                           text=True).stdout.strip() for _ in range(2)]
    assert left == ["4", "3"]
    assert RateCounter.objects.get(key="restart:1.2.3.4").count == 2


class TestClientAddress:
    def request(self, remote="10.0.0.5", forwarded=None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return RequestFactory().get("/", **extra)

    def test_without_a_proxy_the_forwarded_header_is_ignored(self, settings):
        settings.PROXY_COUNT = 0
        assert client_address(self.request(forwarded="203.0.113.9")) == "10.0.0.5"

    def test_behind_one_proxy_the_address_it_saw_is_the_client(self, settings):
        settings.PROXY_COUNT = 1
        # The client wrote "1.1.1.1" itself; the proxy appended the address it saw.
        assert client_address(self.request(forwarded="1.1.1.1, 203.0.113.9")) == "203.0.113.9"

    def test_behind_two_proxies_the_outer_one_names_the_client(self, settings):
        settings.PROXY_COUNT = 2
        assert client_address(self.request(forwarded="1.1.1.1, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"

    def test_a_request_that_bypassed_the_proxies_is_its_own_address(self, settings):
        settings.PROXY_COUNT = 1
        assert client_address(self.request(remote="198.51.100.4")) == "198.51.100.4"
