"""Helpers for tests across apps: the shipped packs, registry rows and one user per role."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from aftersales.accounts.roles import ANONYMOUS, Role, ensure_role_groups

# A fixed "now" for tests that decide warranty: 1 June 2025, noon in Shanghai.
NOW = dt.datetime(2025, 6, 1, 4, 0, tzinfo=dt.timezone.utc)
ROLE_NAMES = [ANONYMOUS, *Role.values]


def shipped_packs_loaded() -> None:
    call_command("load-packs", stdout=io.StringIO(), stderr=io.StringIO())


def device_made(serial: str, line: str, made_on: dt.date, sold_in: str, *,
                model: str = "Test model", shipped_on: dt.date | None = None):
    from aftersales.warranty.models import Device

    return Device.objects.create(serial=serial, model=model, product_line=line,
                                 manufactured_on=made_on, shipped_on=shipped_on, sold_in=sold_in)


def role_user(role: str, *, username: str | None = None, is_staff: bool | None = None, centres=()):
    """A user in the role's group, belonging to ``centres`` (service centres or their ids); the
    administrator is a superuser with admin-site access, as the demo data makes them. Returns
    None for the anonymous pseudo-role."""
    if role == ANONYMOUS:
        return None
    from django.contrib.auth.models import Group

    from aftersales.accounts.models import User

    ensure_role_groups()
    admin = role == Role.ADMIN
    user = User.objects.create_user(
        username=username or f"{role}-user", password="not-used-pw",
        is_staff=admin if is_staff is None else is_staff, is_superuser=admin)
    user.groups.add(Group.objects.get(name=role))
    if centres:
        user.centres.add(*centres)
    return user
