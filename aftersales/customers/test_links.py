"""One-time sign-in links and the cases that join an account once its e-mail address is verified."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from aftersales.accounts.roles import Role, roles_of
from aftersales.core.errors import AppError
from aftersales.core.testing import NOW, device_made, role_user, shipped_packs_loaded
from aftersales.customers.links import (
    LINK_LIFETIME,
    LIVE_LINKS_PER_ADDRESS,
    cases_attach,
    sign_in_link_send,
    sign_in_link_use,
    token_hash,
)
from aftersales.customers.models import SignInLink, VerifiedEmail
from aftersales.portal.test_case_pages import centre  # noqa: F401 (fixture)
from aftersales.repairs.models import Case
from aftersales.repairs.services import Intake, case_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(db):
    """Two home desktops sold in mainland China."""
    shipped_packs_loaded()
    device_made("HD000001", "home-desktop", dt.date(2024, 3, 1), "CN")
    device_made("HD000002", "home-desktop", dt.date(2020, 1, 10), "CN")


def link_sent(capture, email: str, *, language: str = "en", now=NOW) -> str:
    """The token of the link mailed to ``email``, read from the e-mail itself."""
    with capture(execute=True):
        sign_in_link_send(email=email, language=language, now=now)
    return re.search(r"/account/link/([A-Za-z0-9_-]+)/", mail.outbox[-1].body).group(1)


def booked(serial: str, *, email: str = "", phone: str = "", actor=None) -> Case:
    return case_book(intake=Intake(centre="sh-01", kind="carry-in", customer_name="Wang Fang", serial=serial,
                                   email=email, phone=phone, symptoms=["No picture"], ack_data_loss=True,
                                   ack_passwords=True, ack_peripherals=True), actor=actor, now=NOW)


def test_a_link_is_mailed_in_the_readers_language_and_only_its_hash_is_stored(
        django_capture_on_commit_callbacks):
    token = link_sent(django_capture_on_commit_callbacks, " Wang@Example.com ", language="zh-hans")
    message = mail.outbox[-1]
    assert message.to == ["wang@example.com"] and message.subject == "您的登录链接"
    assert "只能使用一次" in message.body and "15 分钟内有效" in message.body
    stored = SignInLink.objects.get()
    assert stored.token_hash == token_hash(token) and token not in stored.token_hash
    assert stored.expires_at - stored.created_at == dt.timedelta(minutes=15)


def test_a_link_signs_in_once_and_is_refused_the_second_time(django_capture_on_commit_callbacks):
    token = link_sent(django_capture_on_commit_callbacks, "wang@example.com")
    user = sign_in_link_use(token=token, now=NOW + dt.timedelta(minutes=1))
    assert user.email == "wang@example.com" and Role.CUSTOMER in roles_of(user)
    assert not user.has_usable_password()
    with pytest.raises(AppError) as refused:
        sign_in_link_use(token=token, now=NOW + dt.timedelta(minutes=2))
    assert refused.value.code == "link-used" and "已经用过" in refused.value.zh


def test_a_link_past_its_lifetime_is_refused(django_capture_on_commit_callbacks):
    token = link_sent(django_capture_on_commit_callbacks, "wang@example.com")
    with pytest.raises(AppError) as refused:
        sign_in_link_use(token=token, now=NOW + LINK_LIFETIME)
    assert refused.value.code == "link-expired"
    assert not VerifiedEmail.objects.exists()


def test_a_made_up_link_opens_nothing():
    with pytest.raises(AppError) as refused:
        sign_in_link_use(token="x" * 43, now=NOW)
    assert refused.value.code == "link-unknown" and refused.value.status == 404


def test_a_mailbox_gets_no_more_than_a_few_live_links(django_capture_on_commit_callbacks):
    for _ in range(LIVE_LINKS_PER_ADDRESS + 2):
        with django_capture_on_commit_callbacks(execute=True):
            sign_in_link_send(email="wang@example.com", language="en", now=NOW)
    assert len(mail.outbox) == LIVE_LINKS_PER_ADDRESS
    # and once they have lapsed, a new one is sent
    link_sent(django_capture_on_commit_callbacks, "wang@example.com", now=NOW + LINK_LIFETIME)
    assert len(mail.outbox) == LIVE_LINKS_PER_ADDRESS + 1


def test_an_address_that_is_not_one_is_refused_in_both_languages():
    with pytest.raises(AppError) as refused:
        sign_in_link_send(email="wang at example", language="en", now=NOW)
    assert refused.value.field == "email" and "电子邮箱" in refused.value.zh and not SignInLink.objects.exists()


def test_cases_booked_with_the_verified_address_join_the_account_and_no_others(
        registry, centre, django_capture_on_commit_callbacks):  # noqa: F811
    # given cases booked without an account: two with Wang's address (typed differently), one
    # with only Wang's phone, one with someone else's address, and one another account booked
    mine = [booked("HD000001", email="wang@example.com"), booked("HD000002", email="WANG@Example.com ")]
    by_phone = booked("HD000001", phone="138 0013 8000")
    theirs = booked("HD000002", email="li@example.com")
    other_account = role_user("customer", username="li")
    kept = booked("HD000001", email="wang@example.com", actor=other_account)
    # when Wang signs in with a link mailed to that address
    user = sign_in_link_use(token=link_sent(django_capture_on_commit_callbacks, "wang@example.com"), now=NOW)
    # then the cases booked with the address are Wang's; the phone-only case (a phone number is
    # never verified), someone else's and another account's are not
    assert set(Case.objects.filter(customer=user)) == set(mine)
    by_phone.refresh_from_db()
    theirs.refresh_from_db()
    kept.refresh_from_db()
    assert by_phone.customer is None and theirs.customer is None and kept.customer == other_account
    # and a case booked later without an account joins at the next sign-in
    later = booked("HD000002", email="wang@example.com")
    assert cases_attach(user=user) == 1
    later.refresh_from_db()
    assert later.customer == user


def test_a_link_to_a_staff_members_address_opens_a_customer_account_not_theirs(django_capture_on_commit_callbacks):
    staff = role_user("staff", username="wang")
    staff.email = "wang@example.com"
    staff.save()
    user = sign_in_link_use(token=link_sent(django_capture_on_commit_callbacks, "wang@example.com"), now=NOW)
    assert user.pk != staff.pk and roles_of(user) == {Role.CUSTOMER}


def test_the_second_link_to_an_address_opens_the_same_account(django_capture_on_commit_callbacks):
    first = sign_in_link_use(token=link_sent(django_capture_on_commit_callbacks, "wang@example.com"), now=NOW)
    again = sign_in_link_use(token=link_sent(django_capture_on_commit_callbacks, "Wang@example.com"), now=NOW)
    assert first.pk == again.pk and VerifiedEmail.objects.filter(user=first).count() == 1
