"""A signed-in customer proves they hold a phone number, so that the repairs booked earlier with
that number join their account (``links.cases_attach``).

The proof is a six-digit code texted to the number (``notifications.sms``: the text-message
gateway the deployment names in ``SMS_BACKEND``; the default writes it to the log, as the
default e-mail backend prints mail), which the customer types back within ``CODE_LIFETIME``.
Only the latest code works, only once, and ``MAX_TRIES`` wrong tries spend it; at most
``CODES_PER_LIFETIME`` codes are texted to one account in that time, so the form cannot be used
to flood a phone. Only a keyed hash of the code is stored. Knowing a case's number and its phone
proves nothing (anyone the customer told can), which is why a number is never taken as verified
from a case or a booking form.

A number proved by a second account moves to it: carriers give numbers to new people, and the
latest proof is the one that holds. The repairs already attached to the first account stay there.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets

from django.db import transaction
from django.utils.crypto import salted_hmac

from aftersales.core.errors import AppError, TooManyRequests
from aftersales.customers.links import cases_attach
from aftersales.customers.models import PhoneCode, VerifiedPhone
from aftersales.notifications.sms import sms_sender

CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_TRIES = 5
CODES_PER_LIFETIME = 3
SALT = "aftersales.customers.phone-code"


def _spent() -> AppError:
    return AppError("code-spent", "This code no longer works: it has expired, been used, or been tried too often. "
                    "Ask for a new one.", "此验证码已失效（已过期、已使用或尝试次数过多）。请重新获取。", field="code")


def _wrong() -> AppError:
    return AppError("code-wrong", "That is not the code we texted. Check it and try again.",
                    "验证码不正确。请核对后重试。", field="code")


def phone_digits(phone: str) -> str:
    """The digits of a number as typed; refuses what cannot be a phone number."""
    digits = re.sub(r"\D", "", phone or "")
    if not 6 <= len(digits) <= 20 or re.search(r"[^\d\s\-+().]", phone.strip()):
        raise AppError("invalid-phone", "Enter the phone number you gave when you booked, with at least six digits.",
                       "请输入您预约时留下的电话号码，至少六位数字。", field="phone")
    return digits


def _hash(user_pk: int, digits: str, code: str) -> str:
    return salted_hmac(SALT, f"{user_pk}:{digits}:{code}", algorithm="sha256").hexdigest()


@transaction.atomic
def phone_code_send(*, user, phone: str, language: str, now: dt.datetime) -> PhoneCode:
    """Text a new code to ``phone`` for ``user``, once this transaction commits."""
    digits = phone_digits(phone)
    recent = PhoneCode.objects.filter(user=user, created_at__gt=now - CODE_LIFETIME).count()
    if recent >= CODES_PER_LIFETIME:
        raise TooManyRequests("too-many-codes", "Several codes were texted to you in the last few minutes. Use the "
                              "latest one, or wait ten minutes and ask again.",
                              "最近几分钟内已向您发送了多个验证码。请使用最新的一个，或等待 10 分钟后重新获取。")
    code = f"{secrets.randbelow(10**6):06d}"
    row = PhoneCode.objects.create(user=user, phone=phone.strip(), digits=digits, code_hash=_hash(user.pk, digits, code),
                                   created_at=now, expires_at=now + CODE_LIFETIME)
    # robust: a gateway that fails is logged, and the customer can ask again; the page still answers.
    transaction.on_commit(lambda: sms_sender().send(row.phone, _text(code, language)), robust=True)
    return row


def _text(code: str, language: str) -> str:
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    if language.lower().startswith("zh"):
        return f"您用于确认此手机号码的验证码：{code}。仅可使用一次，{minutes} 分钟内有效。如非本人操作，请忽略此短信。"
    return (f"Your code to confirm this phone number for your repairs: {code}. It works once, within {minutes} "
            f"minutes. If you did not ask for it, ignore this message.")


def phone_code_confirm(*, user, code: str, now: dt.datetime) -> tuple[VerifiedPhone, int]:
    """The number of the latest code, now verified for ``user``, and how many earlier repairs
    joined the account. A wrong try is counted even though the confirmation is refused."""
    outcome = _try(user, re.sub(r"\s", "", code or ""), now)
    if isinstance(outcome, AppError):
        raise outcome
    return outcome


@transaction.atomic
def _try(user, code: str, now: dt.datetime):
    row = (PhoneCode.objects.select_for_update().filter(user=user, created_at__gt=now - CODE_LIFETIME)
           .order_by("-created_at", "-id").first())
    if row is None or row.used_at is not None or row.expires_at <= now or row.tries >= MAX_TRIES:
        return _spent()
    row.tries += 1
    if not hmac.compare_digest(row.code_hash, _hash(user.pk, row.digits, code)):
        row.save(update_fields=["tries"])
        return _wrong()
    row.used_at = now
    row.save(update_fields=["tries", "used_at"])
    verified, _created = VerifiedPhone.objects.update_or_create(
        digits=row.digits, defaults={"user": user, "phone": row.phone, "verified_at": now})
    if not user.phone:
        user.phone = row.phone
        user.save(update_fields=["phone"])
    return verified, cases_attach(user=user)
