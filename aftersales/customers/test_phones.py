"""A phone number proved by the code texted to it, and the repairs booked with that number that
then join the account."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from aftersales.core.errors import AppError
from aftersales.core.testing import NOW, role_user
from aftersales.customers.models import PhoneCode, VerifiedPhone
from aftersales.customers.phones import CODE_LIFETIME, phone_code_confirm, phone_code_send
from aftersales.customers.test_links import booked, registry  # noqa: F401 (fixture)
from aftersales.notifications.sms import SmsSender
from aftersales.portal.test_case_pages import centre  # noqa: F401 (fixture)
from aftersales.repairs.models import Case

pytestmark = pytest.mark.django_db


class Phone(SmsSender):
    """A gateway that keeps what it was given to send, as a phone would receive it."""

    received: list[tuple[str, str]] = []

    def send(self, to: str, text: str) -> None:
        Phone.received.append((to, text))


@pytest.fixture
def phone(settings):
    settings.SMS_BACKEND = f"{__name__}.Phone"
    Phone.received.clear()
    return Phone.received


@pytest.fixture
def wang(db):
    return role_user("customer", username="wang")


def code_texted(capture, user, number: str, *, language: str = "en", now=NOW) -> str:
    """The code in the text message sent to ``number``, read from the message itself."""
    with capture(execute=True):
        phone_code_send(user=user, phone=number, language=language, now=now)
    return re.search(r"\b(\d{6})\b", Phone.received[-1][1]).group(1)


def test_repairs_booked_with_the_confirmed_number_join_the_account_and_no_others(
        registry, centre, wang, phone, django_capture_on_commit_callbacks):  # noqa: F811
    # given repairs booked without an account, with the number written two ways, with another
    # number, and one with the same number that already belongs to another account
    spaced, dashed = booked("HD000001", phone="139 1234 5678"), booked("HD000002", phone="139-1234-5678")
    other = booked("HD000001", phone="13800000000")
    li = role_user("customer", username="li")
    theirs = booked("HD000002", phone="13912345678", actor=li)
    # when Wang asks for a code for the number and types it back
    code = code_texted(django_capture_on_commit_callbacks, wang, "139 1234 5678")
    verified, attached = phone_code_confirm(user=wang, code=code, now=NOW + dt.timedelta(minutes=3))
    # then the number is Wang's, and the two repairs booked with it are his; nothing else moved
    assert (verified.digits, verified.user, attached) == ("13912345678", wang, 2)
    assert set(Case.objects.filter(customer=wang).values_list("pk", flat=True)) == {spaced.pk, dashed.pk}
    other.refresh_from_db(), theirs.refresh_from_db()
    assert other.customer is None and theirs.customer == li


def test_the_code_is_texted_in_the_readers_language_and_only_a_keyed_hash_is_kept(
        wang, phone, django_capture_on_commit_callbacks):
    code = code_texted(django_capture_on_commit_callbacks, wang, "13912345678", language="zh-hans")
    [(to, text)] = phone
    assert to == "13912345678" and "验证码" in text and "10 分钟内有效" in text
    stored = PhoneCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert stored.expires_at - stored.created_at == CODE_LIFETIME


def test_wrong_codes_are_refused_and_the_fifth_spends_the_code(wang, phone, django_capture_on_commit_callbacks):
    code = code_texted(django_capture_on_commit_callbacks, wang, "13912345678")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(AppError) as refused:
            phone_code_confirm(user=wang, code=wrong, now=NOW)
        assert refused.value.code == "code-wrong" and "That is not the code we texted" in refused.value.en
    # the right code, now, comes too late
    with pytest.raises(AppError) as spent:
        phone_code_confirm(user=wang, code=code, now=NOW)
    assert spent.value.code == "code-spent" and not VerifiedPhone.objects.exists()


def test_a_code_works_once_and_not_after_its_lifetime(wang, phone, django_capture_on_commit_callbacks):
    late = code_texted(django_capture_on_commit_callbacks, wang, "13912345678")
    with pytest.raises(AppError, match="code-spent"):
        phone_code_confirm(user=wang, code=late, now=NOW + CODE_LIFETIME)
    later = NOW + dt.timedelta(hours=1)
    code = code_texted(django_capture_on_commit_callbacks, wang, "13912345678", now=later)
    phone_code_confirm(user=wang, code=f" {code[:3]} {code[3:]} ", now=later)  # typed with spaces
    with pytest.raises(AppError, match="code-spent"):
        phone_code_confirm(user=wang, code=code, now=later)
    assert VerifiedPhone.objects.get().user == wang


def test_an_account_is_texted_at_most_three_codes_in_ten_minutes(wang, phone, django_capture_on_commit_callbacks):
    for minute in range(3):
        code_texted(django_capture_on_commit_callbacks, wang, "13912345678", now=NOW + dt.timedelta(minutes=minute))
    with pytest.raises(AppError) as refused:
        phone_code_send(user=wang, phone="13912345678", language="en", now=NOW + dt.timedelta(minutes=5))
    assert refused.value.status == 429 and len(phone) == 3
    code_texted(django_capture_on_commit_callbacks, wang, "13912345678", now=NOW + CODE_LIFETIME)
    assert len(phone) == 4


@pytest.mark.parametrize("number", ["12345", "call me", "139 1234 5678 ext. 2"])
def test_something_that_is_not_a_phone_number_is_refused_in_both_languages(wang, phone, number):
    with pytest.raises(AppError) as refused:
        phone_code_send(user=wang, phone=number, language="en", now=NOW)
    assert refused.value.field == "phone" and "至少六位数字" in refused.value.zh and phone == []


def test_a_number_proved_by_a_second_account_moves_to_it(wang, phone, django_capture_on_commit_callbacks):
    phone_code_confirm(user=wang, code=code_texted(django_capture_on_commit_callbacks, wang, "13912345678"), now=NOW)
    li = role_user("customer", username="li")
    phone_code_confirm(user=li, code=code_texted(django_capture_on_commit_callbacks, li, "139 1234 5678"), now=NOW)
    assert VerifiedPhone.objects.get(digits="13912345678").user == li
