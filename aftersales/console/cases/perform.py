"""The one way a case-page post is handled: validate the form, call one service, and redirect back
to the case (post/redirect/get) with a note of what was done; or, when the service refuses, show
the case again with the form as it was filled in and the refusal — in the viewer's language,
with its code — next to it.

A refusal answers with the service's status for 403 and 409 (a stale page is a conflict) and 422
otherwise. htmx requests get 422 whatever the refusal, the status htmx swaps in (``base.html``).
"""

from __future__ import annotations

from typing import Callable

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from aftersales.console.cases.page import render_case
from aftersales.console.cases.workspace import tab_of_section
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.portal.views import is_htmx
from aftersales.repairs.models import Case


def case_url(case: Case, anchor: str = "") -> str:
    """The case page with the tab holding ``anchor`` open, scrolled to it."""
    url = reverse("console:case", kwargs={"number": case.number})
    tab = tab_of_section(anchor) if anchor else None
    return f"{url}{f'?tab={tab}' if tab else ''}{f'#{anchor}' if anchor else ''}"


def refusal_status(request, exc: AppError) -> int:
    if is_htmx(request):
        return 422
    return exc.status if exc.status in (403, 409) else 422


def perform(request, case: Case, key: str, form, run: Callable, *, done: str, anchor: str, now=None):
    """``run(cleaned_data, now)`` calls the service; ``key`` names the form on the page; ``now``:
    the time the view already read, if it needed one to build the form."""
    status = 422
    if form.is_valid():
        try:
            run(form.cleaned_data, now or clock.now())
        except AppError as exc:
            form.refuse(exc)
            status = refusal_status(request, exc)
        else:
            messages.success(request, done)
            return redirect(case_url(case, anchor))
    return render_case(request, case, bound={key: form}, status=status)


def refuse(request, case: Case, key: str, form, exc: AppError):
    """Show ``exc`` next to ``form`` without calling a service (e.g. a move the role may not make)."""
    form.is_valid()
    form.refuse(exc)
    return render_case(request, case, bound={key: form}, status=refusal_status(request, exc))
