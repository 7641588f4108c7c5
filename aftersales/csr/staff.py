"""The staff page of the self-repair programme: the orders waiting for a step, and the step.

Staff ship the part (with its tracking number), record the carrier's scans when the carrier does
not report them itself (delivered; the return taken in), and confirm that a returned parcel holds
what it should — after which the refund runs in the background. Each step goes through the
order's services, which check the order's status table.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from aftersales.accounts.guards import action_required
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.csr.models import Order
from aftersales.csr.numbers import display
from aftersales.csr.services import order_delivered, order_return_confirmed, order_return_scanned, order_ship
from aftersales.csr.status import REFUND_DUE, WITH_CUSTOMER, Status
from aftersales.policy.vocabulary import PARTS
from aftersales.warranty.presentation import label

OPEN = [Status.DEPOSIT_HELD, *WITH_CUSTOMER, Status.RETURN_SENT, *REFUND_DUE]
LIMIT = 200


@action_required("csr.manage")
def orders(request):
    language = get_language()
    rows = Order.objects.filter(status__in=OPEN).order_by("return_due_on", "id")[:LIMIT]
    return render(request, "csr/staff.html", {"orders": [
        {"order": o, "number": display(o.number), "part": label(PARTS, o.part, language),
         "status": Status(o.status).label} for o in rows]})


@require_POST
@action_required("csr.manage")
def step(request, number: str):
    now, step_name = clock.now(), request.POST.get("step")
    actor = request.user.get_username()
    try:
        if step_name == "ship":
            order_ship(number=number, tracking=request.POST.get("tracking", ""), actor=actor, now=now)
        elif step_name == "delivered":
            order_delivered(number=number, now=now)
        elif step_name == "return-taken":
            order_return_scanned(number=number, now=now)
        elif step_name == "return-confirmed":
            order_return_confirmed(number=number, actor=actor, now=now)
    except AppError as exc:
        messages.error(request, exc.message(get_language()))
    return redirect("csr:staff")
