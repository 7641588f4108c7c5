"""The customer's phone number on their account: they give it, a one-time code is texted to it,
and once they type the code back the repairs booked earlier with that number join their account
(``customers.phones``). Asking for a code is limited per network like the other forms that send
a message (``throttle``); a refusal shows the page again with what was typed and the reason
beside the field."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.core.ratelimit import with_retry_after
from aftersales.customers.phones import phone_code_confirm, phone_code_send
from aftersales.portal.account import customer_required
from aftersales.portal.forms import AppErrorFormMixin
from aftersales.portal.throttle import MESSAGES, throttle


class PhoneForm(AppErrorFormMixin, forms.Form):
    phone = forms.CharField(label=_lazy("Phone number"), max_length=32, strip=True,
                            help_text=_lazy("The number you gave when you booked. We text a code to it."),
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_fields()


class CodeForm(AppErrorFormMixin, forms.Form):
    code = forms.CharField(label=_lazy("Code from the text message"), max_length=12, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_fields()


@customer_required
@require_http_methods(["GET", "POST"])
def my_phone(request):
    """GET: the numbers confirmed and the form for one; POST ``send``: text a code; POST
    ``confirm``: check it."""
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "confirm":
        return _confirm(request)
    phone_form = PhoneForm(request.POST if step == "send" else None, initial={"phone": request.user.phone},
                           prefix="phone")
    if step != "send" or not phone_form.is_valid():
        return _page(request, phone_form=phone_form, status=400 if step else 200)
    try:
        throttle(request, MESSAGES)
        phone_code_send(user=request.user, phone=phone_form.cleaned_data["phone"], language=get_language(),
                        now=clock.now())
    except AppError as exc:
        phone_form.add_app_error(exc, get_language())
        return with_retry_after(_page(request, phone_form=phone_form, status=exc.status), exc)
    return _page(request, phone_form=phone_form, code_form=CodeForm(prefix="code"),
                 sent_to=phone_form.cleaned_data["phone"])


def _confirm(request):
    code_form = CodeForm(request.POST, prefix="code")
    sent_to = request.POST.get("sent_to", "")[:32]
    if not code_form.is_valid():
        return _page(request, code_form=code_form, sent_to=sent_to, status=400)
    try:
        verified, attached = phone_code_confirm(user=request.user, code=code_form.cleaned_data["code"],
                                                now=clock.now())
    except AppError as exc:
        code_form.add_app_error(exc, get_language())
        return _page(request, code_form=code_form, sent_to=sent_to, status=exc.status)
    messages.success(request, ngettext(
        "Your phone number %(phone)s is confirmed. %(n)s earlier repair was added to your account.",
        "Your phone number %(phone)s is confirmed. %(n)s earlier repairs were added to your account.",
        attached) % {"phone": verified.phone, "n": attached})
    return redirect("portal:my-cases")


def _page(request, *, phone_form=None, code_form=None, sent_to="", status=200):
    return render(request, "portal/my_phone.html", {
        "phone_form": phone_form or PhoneForm(initial={"phone": request.user.phone}, prefix="phone"),
        "code_form": code_form, "sent_to": sent_to,
        "phones": request.user.verified_phones.order_by("verified_at"),
    }, status=status)
