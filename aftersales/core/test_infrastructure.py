"""Tests of the shared foundations: money, the clock, the databases and the browser harness."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from aftersales.core import clock
from aftersales.core.money import CurrencyMismatch, Money


class TestMoney:
    def test_refuses_float_amounts(self):
        with pytest.raises(TypeError):
            Money(0.1, "CNY")

    def test_refuses_float_factors(self):
        with pytest.raises(TypeError):
            Money(Decimal("10.00"), "CNY") * 1.5

    def test_refuses_mixing_currencies(self):
        cny = Money(Decimal("10.00"), "CNY")
        usd = Money(Decimal("10.00"), "USD")
        with pytest.raises(CurrencyMismatch):
            cny + usd
        with pytest.raises(CurrencyMismatch):
            cny - usd
        with pytest.raises(CurrencyMismatch):
            cny < usd

    def test_refuses_unknown_currency(self):
        with pytest.raises(ValueError):
            Money(Decimal("1"), "XXX")

    def test_rounds_half_up_to_the_minor_unit(self):
        assert Money("2.345", "CNY").amount == Decimal("2.35")
        assert Money("-2.345", "CNY").amount == Decimal("-2.35")
        assert Money(3, "USD").amount == Decimal("3.00")

    def test_same_currency_arithmetic(self):
        total = Money("10.10", "CNY") + Money("0.20", "CNY") - Money("0.30", "CNY")
        assert total == Money("10.00", "CNY")
        assert str(Money("1.5", "CAD") * 3) == "4.50 CAD"


class TestClock:
    def test_frozen_pins_now_and_restores_it(self):
        instant = dt.datetime(2024, 2, 29, 16, 30, tzinfo=dt.timezone.utc)
        with clock.frozen(instant) as pinned:
            assert pinned == instant
            assert clock.now() == instant
            # 16:30 UTC on 29 February is already 1 March in Shanghai, still 29 February in Toronto.
            assert clock.today_in("Asia/Shanghai") == dt.date(2024, 3, 1)
            assert clock.today_in("America/Toronto") == dt.date(2024, 2, 29)
        assert clock.now() != instant
        assert clock.now().tzinfo is not None

    def test_frozen_nests(self):
        outer = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
        inner = dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)
        with clock.frozen(outer):
            with clock.frozen(inner):
                assert clock.now() == inner
            assert clock.now() == outer

    def test_frozen_refuses_naive_datetimes(self):
        with pytest.raises(ValueError):
            with clock.frozen(dt.datetime(2025, 1, 1)):
                pass


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_postgres_is_reached_over_a_unix_socket():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.settings_dict["HOST"].startswith("/")
    # The live connection went through the socket directory, not TCP.
    assert connection.connection.info.host.startswith("/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_login_in_chromium(live_server, page, django_user_model, tmp_path):
    django_user_model.objects.create_superuser("ops-lead", "ops@example.com", "a-long-Passphrase-1")

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "ops-lead")
    page.fill("#id_password", "a-long-Passphrase-1")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")

    assert "ops-lead" in page.text_content("#user-tools")
    shot = tmp_path / "admin-index.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 1000
