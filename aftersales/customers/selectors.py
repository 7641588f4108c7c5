"""What a signed-in customer reads: their cases, newest first, and the devices those cases are
about. Only cases that belong to the account (``Case.customer``) are read, never a case merely
sharing an address or a number with it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, QuerySet

from aftersales.accounts.roles import Role
from aftersales.customers.models import VerifiedEmail
from aftersales.repairs.models import Case


def customer_cases(user) -> QuerySet[Case]:
    return Case.objects.filter(customer=user).select_related("centre").order_by("-created_at", "-id")


def customer_devices(user) -> list[dict]:
    """One row per serial number: serial, model, product line, how many cases, the last one's time."""
    rows = (Case.objects.filter(customer=user).values("serial", "model", "product_line")
            .annotate(cases=Count("id"), last_at=Max("created_at")).order_by("-last_at", "serial"))
    return list(rows)


def customer_username(login: str) -> str:
    """The user name a customer signs in under: what they typed, or, for an e-mail address, the
    customer account holding it (verified first); what they typed when none does, so that the
    failed sign-in is counted under it."""
    login = (login or "").strip()
    if "@" not in login:
        return login
    verified = VerifiedEmail.objects.filter(email=login.lower()).values_list("user__username", flat=True).first()
    if verified:
        return verified
    holder = (get_user_model().objects.filter(email__iexact=login, groups__name=Role.CUSTOMER)
              .order_by("pk").values_list("username", flat=True).first())
    return holder or login
