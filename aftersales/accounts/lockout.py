"""Sign-in lock-out (django-axes): the address attempts are counted by, and the page a locked-out sign-in gets (django-axes calls ``locked_out`` through
``AXES_LOCKOUT_CALLABLE``): what happened and how long it lasts, in the reader's language, with
429 and ``Retry-After``. It names neither the account nor the address that was locked."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.shortcuts import render

from aftersales.core.ratelimit import client_address


def client_ip(request) -> str | None:
    """The address sign-ins are counted by (``AXES_CLIENT_IP_CALLABLE``): the one the rate limits
    use, or None when there is no real address (a sign-in made in code, as tests do), which
    django-axes stores as unknown — PostgreSQL's address column takes nothing else."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def locked_out(request, original_response=None, credentials=None):
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(request, "accounts/locked_out.html", {"cooloff_minutes": max(1, seconds // 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response
