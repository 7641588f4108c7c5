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


def at_once(action, count: int = 10) -> list:
    """``action(i)`` for i in 0..count-1, from ``count`` threads released together, each on its own
    database connection (closed after): the outcomes in the order they finished, each
    ``("done", result)`` or ``("refused", error code)``. For PostgreSQL tests of requests that
    arrive at the same moment."""
    import threading

    from django.db import connection

    from aftersales.core.errors import AppError

    barrier, outcomes = threading.Barrier(count), []

    def attempt(i):
        try:
            barrier.wait()
            outcomes.append(("done", action(i)))
        except AppError as exc:
            outcomes.append(("refused", exc.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes
