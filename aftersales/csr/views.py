"""The self-repair pages of the portal: apply for a part, open an order with its number and the
e-mail or phone given, follow both legs of the shipment, print the return label again, cancel,
download the invoice for a part kept.

An order opens to whoever gives its number with the contact on file; the session then remembers
it, as it does a repair case. Look-ups are rate-limited per address and answer the same whether
the number or the contact was wrong.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.core.ratelimit import client_address, rate_limit_hit, with_retry_after
from aftersales.csr.applications import NotEligible, order_apply
from aftersales.csr.forms import ApplyForm, FindForm
from aftersales.csr.invoices import purchase_invoice
from aftersales.csr.label import return_label_pdf
from aftersales.csr.models import Order
from aftersales.csr.numbers import display
from aftersales.csr.selectors import legs, order_found
from aftersales.csr.services import order_cancel
from aftersales.csr.status import CANCELLABLE, WITH_CUSTOMER, Status
from aftersales.csr.terms import parts_offered
from aftersales.invoicing.pdf import document_pdf
from aftersales.policy.vocabulary import PARTS
from aftersales.warranty.presentation import label

SESSION_KEY = "portal_csr_orders"
LABEL_READY = WITH_CUSTOMER | {Status.RETURN_SENT}


def _remember(request, number: str) -> None:
    numbers = [n for n in request.session.get(SESSION_KEY, []) if n != number]
    request.session[SESSION_KEY] = (numbers + [number])[-10:]


def _opened(request, number: str) -> Order:
    """The order, if this visitor opened it; 404 otherwise (never says whether it exists)."""
    if number not in request.session.get(SESSION_KEY, []):
        raise Http404
    order = Order.objects.filter(number=number).first()
    if order is None:
        raise Http404
    return order


@require_http_methods(["GET", "POST"])
def apply(request):
    language = get_language()
    now = clock.now()
    form = ApplyForm(request.POST or None, language=language, parts=parts_offered(now.date()))
    status, reasons = 200, ()
    if request.method == "POST" and form.is_valid():
        try:
            order = order_apply(**form.cleaned_data, language=language, now=now)
        except NotEligible as exc:
            status, reasons = 422, exc.reasons
        except AppError as exc:
            form.add_app_error(exc, language)
            status = exc.status
        else:
            _remember(request, order.number)
            return redirect("csr:order", number=order.number)
    if form.is_bound:  # a payment token serves one attempt, and what was typed there is never shown again
        form.data = form.data.copy()
        form.data["payment_token"] = form.fields["payment_token"].initial
    return render(request, "csr/apply.html", {"form": form, "reasons": reasons, "zh": language.startswith("zh"),
                                              "regular_repair": any(r.regular_repair for r in reasons)},
                  status=status)


@require_http_methods(["GET", "POST"])
def find(request):
    language = get_language()
    form = FindForm(request.POST or None)
    status, error = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            rate_limit_hit(scope="csr-lookup", client=client_address(request), limit=settings.CASE_LOOKUPS_PER_MINUTE)
            order = order_found(number=form.cleaned_data["number"], contact=form.cleaned_data["contact"])
        except AppError as exc:
            form.add_app_error(exc, language)
            status, error = exc.status, exc
        else:
            _remember(request, order.number)
            return redirect("csr:order", number=order.number)
    return with_retry_after(render(request, "csr/find.html", {"form": form}, status=status), error)


def order_page(request, number: str):
    order = _opened(request, number)
    language = get_language()
    return render(request, "csr/order.html", {
        "order": order, "number": display(order.number), "status": Status(order.status).label,
        "part": label(PARTS, order.part, language), "legs": legs(order), "zh": language.startswith("zh"),
        "label_ready": order.status in LABEL_READY, "cancellable": order.status in CANCELLABLE,
        "shipped": order.status != Status.DEPOSIT_HELD and order.outbound_tracking,
        "invoice": purchase_invoice(order),
    })


def order_label(request, number: str):
    order = _opened(request, number)
    if order.status not in LABEL_READY:
        raise Http404
    response = HttpResponse(return_label_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="return-label-{order.number}.pdf"'
    return response


def order_invoice(request, number: str):
    invoice = purchase_invoice(_opened(request, number))
    if invoice is None:
        raise Http404
    response = HttpResponse(document_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response


@require_POST
def order_cancel_view(request, number: str):
    order = _opened(request, number)
    try:
        order_cancel(number=order.number, now=clock.now())
    except AppError:
        pass  # the page shows the order as it stands, without the button
    return redirect("csr:order", number=order.number)
