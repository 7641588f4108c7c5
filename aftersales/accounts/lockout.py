"""The page a locked-out sign-in gets (django-axes calls ``locked_out`` through
``AXES_LOCKOUT_CALLABLE``): what happened and how long it lasts, in the reader's language, with
429 and ``Retry-After``. It names neither the account nor the address that was locked."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(request, "accounts/locked_out.html", {"cooloff_minutes": max(1, seconds // 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response
