"""Signing customers in by an e-mailed one-time link, and what signing in brings with it.

- ``sign_in_link_send`` writes a link for an address and mails it once the transaction commits.
  It answers the same whether or not the address has an account or cases, so it tells nobody who
  is a customer; a mailbox holds at most ``LIVE_LINKS_PER_ADDRESS`` live links, so the form
  cannot flood one person's inbox from many networks (the portal limits each network apart).
- ``sign_in_link_use`` opens the account of the address (making one the first time), once: a
  link already used, lapsed or unknown is refused in plain words. Using it proves the person
  reads that mailbox, so the address becomes verified for the account.
- ``cases_attach`` gives the account the cases booked without an account under one of its
  verified addresses or phone numbers. A number is verified only by the code texted to it
  (``phones``); a case number with a phone number is no such proof.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from aftersales.accounts.roles import Role
from aftersales.core.errors import AppError
from aftersales.customers.models import SignInLink, VerifiedEmail
from aftersales.repairs.models import Case
from aftersales.repairs.search import PhoneDigits

LINK_LIFETIME = dt.timedelta(minutes=15)
LIVE_LINKS_PER_ADDRESS = 3


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def valid_address(email: str) -> str:
    """The address as stored (trimmed, lower-cased); refuses one that is not an address."""
    address = (email or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise AppError("invalid-email", "Enter the e-mail address you use with us, e.g. name@example.com.",
                       "请输入您在我们这里使用的电子邮箱，例如 name@example.com。", field="email") from None
    return address


@transaction.atomic
def sign_in_link_send(*, email: str, language: str, now: dt.datetime) -> None:
    address = valid_address(email)
    live = SignInLink.objects.filter(email=address, used_at=None, expires_at__gt=now).count()
    if live >= LIVE_LINKS_PER_ADDRESS:
        return  # the mailbox already holds links that work; the visitor is told the same
    token = secrets.token_urlsafe(32)
    SignInLink.objects.create(email=address, token_hash=token_hash(token), created_at=now,
                              expires_at=now + LINK_LIFETIME)
    # robust: a mail server that fails is logged, and the visitor can ask again; the page still answers.
    transaction.on_commit(lambda: _mail_link(address, token, language), robust=True)


def _mail_link(address: str, token: str, language: str) -> None:
    url = settings.SITE_URL.rstrip("/") + reverse("portal:sign-in-link", kwargs={"token": token})
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    if language.lower().startswith("zh"):
        subject = "您的登录链接"
        body = (f"您好：\n\n请打开以下链接登录，查看您的维修单和设备：\n{url}\n\n"
                f"此链接只能使用一次，{minutes} 分钟内有效。如果您没有申请登录，请忽略这封邮件，您的账户不会有任何变化。\n")
    else:
        subject = "Your sign-in link"
        body = (f"Hello,\n\nOpen this link to sign in and see your repairs and devices:\n{url}\n\n"
                f"It works once, within {minutes} minutes. If you did not ask to sign in, ignore this e-mail; "
                f"nothing changes on your account.\n")
    send_mail(subject, body, None, [address])


class LinkRefused(AppError):
    status = 410


@transaction.atomic
def sign_in_link_use(*, token: str, now: dt.datetime):
    """The account the link opens; refuses a link used before, lapsed or unknown."""
    link = SignInLink.objects.select_for_update().filter(token_hash=token_hash(token or "")).first()
    if link is None:
        raise LinkRefused("link-unknown", "This sign-in link does not work. Ask for a new one below.",
                          "此登录链接无效。请在下方重新获取。", status=404)
    if link.used_at is not None:
        raise LinkRefused("link-used", "This sign-in link has already been used. Each link works once; "
                          "ask for a new one below.", "此登录链接已经用过。每个链接只能使用一次，请在下方重新获取。")
    if link.expires_at <= now:
        raise LinkRefused("link-expired", "This sign-in link has expired. Ask for a new one below.",
                          "此登录链接已过期。请在下方重新获取。")
    link.used_at = now
    link.save(update_fields=["used_at"])
    user = _account_of(link.email, now)
    cases_attach(user=user)
    return user


def _account_of(address: str, now: dt.datetime):
    """The customer account of a verified address; the customer account already holding the
    address, now verified; or a new customer account. A staff account with the same address is
    never opened by a customer's link."""
    from django.contrib.auth.models import Group

    verified = VerifiedEmail.objects.select_related("user").filter(email=address).first()
    if verified is not None:
        return verified.user
    User = get_user_model()
    user = User.objects.filter(email__iexact=address, groups__name=Role.CUSTOMER).order_by("pk").first()
    if user is None:
        username = address if not User.objects.filter(username=address).exists() \
            else f"{address}~{secrets.token_hex(3)}"
        user = User.objects.create_user(username=username, email=address)  # no password until they set one
        user.groups.add(Group.objects.get_or_create(name=Role.CUSTOMER)[0])
    VerifiedEmail.objects.create(user=user, email=address, verified_at=now)
    return user


def email_verify(*, user, email: str, now: dt.datetime) -> None:
    """Record an address as verified for ``user`` (for accounts made outside the link, such as
    the demo's); an address verified for someone else stays theirs."""
    VerifiedEmail.objects.get_or_create(email=valid_address(email), defaults={"user": user, "verified_at": now})


@transaction.atomic
def cases_attach(*, user) -> int:
    """Give ``user`` the cases booked without an account under one of their verified addresses
    or verified phone numbers (``phones``; the digits compared, as staff search compares them);
    returns how many. Cases that already belong to an account stay where they are."""
    addresses = list(user.verified_emails.values_list("email", flat=True))
    numbers = list(user.verified_phones.values_list("digits", flat=True))
    if not addresses and not numbers:
        return 0
    match = Q(phone_digits__in=numbers) if numbers else Q()
    for address in addresses:
        match |= Q(email__iexact=address)
    unclaimed = Case.objects.filter(customer=None)
    if numbers:
        unclaimed = unclaimed.annotate(phone_digits=PhoneDigits("phone"))
    ids = list(unclaimed.filter(match).values_list("pk", flat=True))
    return Case.objects.filter(pk__in=ids, customer=None).update(customer=user)
