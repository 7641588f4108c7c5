"""The clock partials others include: staff see the time left or overdue and the due moment in
the centre's time; the customer sees the date their answer is due; both in English and Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from aftersales.core import clock
from aftersales.sla.services import clock_pause, clock_start

UTC = dt.timezone.utc
DISPUTE = ("dispute", "D-7K3Q")
FILED = dt.datetime(2025, 6, 2, 14, 0, tzinfo=UTC)  # 10:00 in Toronto
STAFF = '{% load sla_clocks %}{% sla_clock kind="dispute" id="D-7K3Q" target=target %}'
CUSTOMER = '{% load sla_clocks %}{% sla_due_date kind="dispute" id="D-7K3Q" target=target %}'


def render(source: str, *, at: dt.datetime, language: str, target: str = "first-answer") -> str:
    with clock.frozen(at), translation.override(language):
        return " ".join(Template(source).render(Context({"target": target})).split())


@pytest.fixture
def dispute(toronto):
    return clock_start(subject=DISPUTE, policy="executive-care", target="first-answer", centre=toronto, now=FILED)


def test_staff_see_the_time_left_and_the_due_moment_in_the_centres_time(dispute):
    english = render(STAFF, at=FILED + dt.timedelta(days=1, minutes=30), language="en")
    chinese = render(STAFF, at=FILED + dt.timedelta(days=1, minutes=30), language="zh-hans")
    assert "5 days 23 hours left" in english and "due 2025-06-09 10:00 (UTC−04:00)" in english
    assert "首次答复" in chinese and "还剩 5 天 23 小时" in chinese and "2025-06-09 10:00（UTC−04:00）到期" in chinese


def test_staff_see_a_late_clock_as_overdue(dispute):
    late = FILED + dt.timedelta(days=7, hours=3)
    assert "Overdue by 3 hours" in render(STAFF, at=late, language="en")
    assert "was due 2025-06-09 10:00" in render(STAFF, at=late, language="en")
    assert "已超时 3 小时" in render(STAFF, at=late, language="zh-hans")


def test_staff_see_a_paused_clock_with_the_time_it_keeps(dispute):
    clock_pause(subject=DISPUTE, reason="waiting-for-customer", now=FILED + dt.timedelta(days=2))
    shown = render(STAFF, at=FILED + dt.timedelta(days=4), language="en")
    assert "Paused" in shown and "5 days left when it resumes" in shown
    assert "恢复计时后还剩 5 天" in render(STAFF, at=FILED + dt.timedelta(days=4), language="zh-hans")


def test_opening_hours_are_told_in_hours_of_opening_time(toronto):
    clock_start(subject=DISPUTE, policy="executive-care", target="resolution", centre=toronto, now=FILED)
    assert "80 hours of opening time left" in render(STAFF, at=FILED, language="en", target="resolution")
    assert "营业时间还剩 80 小时" in render(STAFF, at=FILED, language="zh-hans", target="resolution")


def test_the_customer_sees_the_date_their_answer_is_due(dispute):
    assert render(CUSTOMER, at=FILED, language="en") == '<p class="sla-due">Our answer is due by June 9, 2025.</p>'
    assert "我们将在 2025年6月9日 前答复您。" in render(CUSTOMER, at=FILED, language="zh-hans")


def test_the_customer_is_told_the_clock_waits_for_their_reply(dispute):
    clock_pause(subject=DISPUTE, reason="waiting-for-customer", now=FILED + dt.timedelta(days=2))
    assert "runs on when you reply" in render(CUSTOMER, at=FILED + dt.timedelta(days=3), language="en")
    assert "收到您的回复后继续计时" in render(CUSTOMER, at=FILED + dt.timedelta(days=3), language="zh-hans")


def test_work_without_the_clock_shows_nothing(db):
    assert render(STAFF, at=FILED, language="en") == "" and render(CUSTOMER, at=FILED, language="en") == ""
