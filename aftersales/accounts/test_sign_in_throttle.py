"""Sign-ins are throttled by django-axes, per account and, apart, per client address, on the
console's sign-in page and the admin's: past the limit, a plain page says so in the reader's
language (429, ``Retry-After``), even to the right password, until the cool-off has passed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from aftersales.core.testing import role_user

pytestmark = pytest.mark.django_db
LIMIT = settings.AXES_FAILURE_LIMIT
PASSWORD = "not-used-pw"  # role_user's
PAGES = ["/console/login/", "/admin/login/"]


def sign_in(path: str, username: str, password: str, *, address: str = "203.0.113.7", language: str = "en"):
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language).post(
        path, {"username": username, "password": password})


def signed_in(response) -> bool:
    return response.status_code == 302


@pytest.mark.parametrize("path", PAGES)
def test_too_many_wrong_passwords_lock_the_account_even_from_another_address(path):
    # given an account, and wrong passwords for it from different addresses: the last one the
    # limit allows is answered with the pause
    role_user("admin", username="zhao.lei77")
    answers = [sign_in(path, "zhao.lei77", f"guess-{n}", address=f"198.51.100.{n}").status_code for n in range(LIMIT)]
    assert answers == [200] * (LIMIT - 1) + [429]
    # when the right password comes, from a new address
    response = sign_in(path, "zhao.lei77", PASSWORD, address="192.0.2.50")
    # then the account is paused, with a page that says why and for how long
    assert response.status_code == 429 and not signed_in(response)
    page = response.content.decode()
    assert "too many failed sign-ins" in page and "paused for 15 minutes" in page
    assert response["Retry-After"] == str(15 * 60)
    assert "zhao.lei77" not in page  # the page names no account


def test_too_many_failures_from_one_address_lock_that_address_for_every_account():
    role_user("staff", username="li")
    role_user("staff", username="wang")
    for n in range(LIMIT):
        sign_in("/console/login/", f"nobody-{n}", "guess")
    assert sign_in("/console/login/", "li", PASSWORD).status_code == 429
    # while the same account signs in from another address
    assert signed_in(sign_in("/console/login/", "wang", PASSWORD, address="192.0.2.99"))


def test_the_lock_out_page_speaks_chinese_to_a_chinese_reader():
    role_user("staff", username="li")
    for n in range(LIMIT):
        sign_in("/console/login/", "li", f"guess-{n}")
    page = sign_in("/console/login/", "li", PASSWORD, language="zh-hans").content.decode()
    assert "登录失败次数过多" in page and "15 分钟" in page


def test_a_right_password_before_the_limit_clears_the_count():
    role_user("staff", username="li")
    for n in range(LIMIT - 1):
        sign_in("/console/login/", "li", f"guess-{n}")
    assert signed_in(sign_in("/console/login/", "li", PASSWORD))
    for n in range(LIMIT - 1):
        sign_in("/console/login/", "li", f"again-{n}")
    assert signed_in(sign_in("/console/login/", "li", PASSWORD))


def test_the_pause_ends_after_the_cool_off():
    from axes.models import AccessAttempt

    role_user("staff", username="li")
    for n in range(LIMIT):
        sign_in("/console/login/", "li", f"guess-{n}")
    assert sign_in("/console/login/", "li", PASSWORD).status_code == 429
    # when the cool-off has passed since the last failure
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.timezone.utc) - settings.AXES_COOLOFF_TIME
                                 - dt.timedelta(seconds=1))
    # then the right password works again
    assert signed_in(sign_in("/console/login/", "li", PASSWORD))
