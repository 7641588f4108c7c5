"""The customer's account: sign in with a password or an e-mailed one-time link, "my cases",
"my devices", a password of one's own, and signing out.

A password sign-in goes through Django's ``authenticate`` and so through django-axes, as the
console's does: failures are counted per account and per network, and a locked-out sign-in gets
the lock-out page (``accounts.lockout``). Asking for a link is limited per network like the other
forms that send mail (``throttle.SIGN_IN_LINKS``) and answers the same whether the address is
known or not. A link opens on a page with one button: mail scanners that fetch every link in a
message must not spend it. Only customer accounts sign in here; staff use the console's page.
Every sign-in gives the account the cases booked earlier under its verified addresses and phone
numbers (``customers.links.cases_attach``; a number is verified on ``account_phone``'s page).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aftersales.accounts.roles import user_can
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.core.ratelimit import with_retry_after
from aftersales.customers.links import cases_attach, sign_in_link_send, sign_in_link_use
from aftersales.customers.selectors import customer_cases, customer_devices, customer_username
from aftersales.policy.vocabulary import PRODUCT_LINES
from aftersales.portal.account_forms import LinkRequestForm, PasswordSignInForm
from aftersales.portal.throttle import SIGN_IN_LINKS, throttle
from aftersales.repairs.numbers import display
from aftersales.repairs.status import CLOSED, status_label
from aftersales.warranty.presentation import label


def customer_required(view):
    """The account pages: a visitor is sent to sign in, a signed-in non-customer is refused."""
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('portal:sign-in')}?next={request.path}")
        if not user_can(request.user, "account.view"):
            raise PermissionDenied("account.view")
        return view(request, *args, **kwargs)
    return guarded


def contact_initial(user) -> dict:
    """What the apply form starts with for a signed-in customer: their name, e-mail and phone."""
    if not user_can(user, "account.view"):
        return {}
    return {"customer_name": user.get_full_name(), "email": user.email, "phone": user.phone}


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("portal:my-cases")


def _page(request, *, password=None, link=None, refusal=None, status=200):
    return with_retry_after(render(request, "portal/sign_in.html", {
        "password_form": password or PasswordSignInForm(), "link_form": link or LinkRequestForm(prefix="link"),
        "next": _next(request), "refusal": refusal.message(get_language()) if refusal else None,
    }, status=status), refusal if refusal is not None and refusal.status == 429 else None)


@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.method == "GET":
        return _page(request)
    form = PasswordSignInForm(request.POST)
    if form.is_valid():
        user = authenticate(request, username=customer_username(form.cleaned_data["login"]),
                            password=form.cleaned_data["password"])
        if user is not None and user_can(user, "account.view"):
            login(request, user)
            cases_attach(user=user)
            return redirect(_next(request))
        form.add_error(None, ValidationError(_("That e-mail or user name and password do not match a customer "
                                               "account. Check them, or sign in with a link by e-mail."),
                                             code="sign-in-failed"))
    return _page(request, password=form, status=400)


@require_POST
def sign_in_link_request(request):
    form = LinkRequestForm(request.POST, prefix="link")
    if form.is_valid():
        try:
            throttle(request, SIGN_IN_LINKS)
            sign_in_link_send(email=form.cleaned_data["email"], language=get_language(), now=clock.now())
        except AppError as exc:
            if exc.status == 429:  # asked too often: said once, above both forms
                return _page(request, link=form, refusal=exc, status=429)
            form.add_app_error(exc, get_language())
            return _page(request, link=form, status=exc.status)
        return render(request, "portal/link_sent.html", {"email": form.cleaned_data["email"]})
    return _page(request, link=form, status=400)


@require_http_methods(["GET", "POST"])
def sign_in_link(request, token: str):
    """GET: a page with one button; POST: the link is used and the customer signed in."""
    if request.method == "GET":
        return render(request, "portal/link.html", {"token": token})
    try:
        user = sign_in_link_use(token=token, now=clock.now())
    except AppError as exc:
        return _page(request, refusal=exc, status=exc.status)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("portal:my-cases")


@require_POST
def sign_out(request):
    logout(request)
    return redirect("portal:home")


@customer_required
def my_cases(request):
    language = get_language()
    cases = [{"case": c, "number": display(c.number), "status": status_label(c.status, language),
              "closed": c.status in CLOSED, "centre": c.centre.name(language)} for c in customer_cases(request.user)]
    return render(request, "portal/my_cases.html", {"cases": cases})


@customer_required
def my_devices(request):
    language = get_language()
    devices = [{**row, "line": label(PRODUCT_LINES, row["product_line"], language)}
               for row in customer_devices(request.user)]
    return render(request, "portal/my_devices.html", {"devices": devices})


@customer_required
@require_http_methods(["GET", "POST"])
def my_password(request):
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, request.user, backend="django.contrib.auth.backends.ModelBackend")  # stays signed in
        return redirect("portal:my-cases")
    return render(request, "portal/my_password.html", {"form": form}, status=400 if form.errors else 200)
