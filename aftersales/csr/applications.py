"""Applying for a part: the programme's rules checked against what we know of the computer, the
deposit charged and held, the order opened — all or nothing.

What the rules are given comes from our records, not from the customer: the country and product
line of the registry; the ship date of the registry (the manufacture date when no ship date is
recorded — a computer is never shipped before it is made); the warranty decision for the part
on the purchase date the customer gives; whether the diagnostic tool is on the computer (it has
reported for this serial) and which faults it confirmed; the list of excluded models.

Money: the deposit (the part's price in the price list on the day of application) is captured
through the payment provider into customer deposits held, and a ledger hold reserves it from
there for revenue from parts — posted if the part is kept past the deadline, voided when the
defective part comes back (docs/payments.md says why it is captured rather than held on the card).
A second post of the same form (its ``request_key``) returns the first order and charges nothing.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from aftersales.billing.selectors import part_price_on
from aftersales.core.errors import AppError, raise_all
from aftersales.core.money import Money
from aftersales.csr import notices
from aftersales.csr.diagnostics import confirmed_faults, tool_ran
from aftersales.csr.models import ExcludedModel, Order, OrderEvent
from aftersales.csr.numbers import new_order_number
from aftersales.csr.rules.eligibility import Facts, Verdict, csr_eligibility
from aftersales.csr.status import Status
from aftersales.csr.terms import programme_pack
from aftersales.csr.timers import queue_deadline_checks
from aftersales.ledger.models import Purpose
from aftersales.ledger.services import hold_place
from aftersales.payments.services import payment_collect
from aftersales.warranty.decisions import today_for, warranty_decide
from aftersales.warranty.models import Device
from aftersales.warranty.registry import device_get


class NotEligible(AppError):
    """The programme's refusals, every one of them (``reasons``), for the form to list."""

    status = 422

    def __init__(self, verdict: Verdict):
        first = verdict.reasons[0]
        super().__init__(first.code, first.en, first.zh)
        self.reasons = verdict.reasons


def _customer(name: str, email: str, phone: str, address: str) -> tuple[str, str, str, str]:
    name, email, phone, address = ((value or "").strip() for value in (name, email, phone, address))
    errors = []
    if not name or len(name) > 100:
        errors.append(AppError("missing-name", "Give your name (at most 100 characters).",
                               "请填写您的姓名（最多 100 个字符）。", field="customer_name"))
    if not email and not phone:
        errors.append(AppError("missing-contact", "Give an e-mail address or a phone number, so we can keep you "
                                                  "informed.", "请填写电子邮箱或电话号码，以便我们通知您。", field="email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(AppError("invalid-email", "This e-mail address does not look right.",
                                   "电子邮箱地址格式不正确。", field="email"))
    if phone and (len(phone) > 32 or sum(c.isdigit() for c in phone) < 7):
        errors.append(AppError("invalid-phone", "This phone number does not look right.", "电话号码格式不正确。",
                               field="phone"))
    if not address or len(address) > 500:
        errors.append(AppError("missing-address", "Give the address the part should be sent to.",
                               "请填写部件的收货地址。", field="address"))
    raise_all(errors)
    return name, email, phone, address


def _purchased_on(value) -> dt.date:
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise AppError("invalid-date", "Give the purchase date as on your invoice, e.g. 2025-07-01.",
                       "请按发票填写购买日期，例如 2025-07-01。", field="purchased_on") from None


def _in_warranty(serial: str, part: str, purchased_on: dt.date, now: dt.datetime) -> bool:
    try:
        answer = warranty_decide(data={"serial": serial, "part": part, "purchased_on": purchased_on.isoformat()},
                                 now=now)
    except AppError:  # the warranty rules cannot decide for this computer: it is not shown to be covered
        return False
    return answer.decision.covered


@transaction.atomic
def order_apply(*, request_key: str, serial: str, part: str, customer_name: str, email: str, phone: str,
                address: str, purchased_on, language: str, payment_token: str, now: dt.datetime) -> Order:
    """Open a self-repair order for one part, charging and holding its deposit."""
    if not isinstance(request_key, str) or not 8 <= len(request_key) <= 64:
        raise AppError("form-expired", "This form has expired; please open it again.",
                       "此表单已失效，请重新打开。")
    if (earlier := Order.objects.filter(request_key=request_key).first()) is not None:
        return earlier
    name, email, phone, address = _customer(customer_name, email, phone, address)
    device = device_get(serial=serial)
    # One application at a time per computer: a second post of the same form waits here for the
    # first to finish and then finds its order; two forms cannot both take one diagnostic result.
    Device.objects.select_for_update().filter(serial=device.serial).first()
    if (earlier := Order.objects.filter(request_key=request_key).first()) is not None:
        return earlier
    bought = _purchased_on(purchased_on)
    applied_on = today_for(device.sold_in, now)
    faults = {r.part: r for r in confirmed_faults(serial=device.serial, now=now)}
    pack = programme_pack(applied_on)
    verdict = csr_eligibility(Facts(
        country=device.sold_in, product_line=device.product_line,
        shipped_on=device.shipped_on or device.manufactured_on, sold_on=bought,
        in_warranty=_in_warranty(device.serial, part, bought, now), diagnostic_app=tool_ran(serial=device.serial),
        model_excluded=ExcludedModel.objects.filter(model__iexact=device.model).exists(),
        confirmed_faults=tuple(faults), requested_part=part, applied_on=applied_on), pack.self_repair, pack.clauses)
    if not verdict.eligible:
        raise NotEligible(verdict)
    price = part_price_on(part=part, product_line=device.product_line, region=device.sold_in, model=device.model,
                          day=applied_on)
    if price is None or price.amount <= 0:
        raise AppError("no-deposit-price", "We cannot take applications for this part right now. Please call our "
                                           "hotline, or book a regular repair.",
                       "目前暂不受理此部件的申请。请致电服务热线，或预约常规维修。", status=422)
    return _open(request_key, device, part, faults[part], (name, email, phone, address), language, applied_on,
                 (pack.label, verdict), price, payment_token, now)


def _open(request_key, device, part, diagnostic, customer, language, applied_on, granted: tuple[str, Verdict],
          price: Money, payment_token, now) -> Order:
    number = new_order_number()
    payment = payment_collect(key=f"csr:{request_key}:deposit", amount=price, token=payment_token, reference=number,
                              into=Purpose.DEPOSITS_HELD, effective_on=applied_on, now=now)
    hold = hold_place(key=f"csr:{request_key}:hold", debit=Purpose.DEPOSITS_HELD, credit=Purpose.REVENUE_PARTS,
                      amount=price.amount, currency=price.currency, timeout_at=None, effective_on=applied_on, now=now,
                      reference=number, memo="self-repair deposit, until the part comes back")
    name, email, phone, address = customer
    pack, verdict = granted
    order = Order.objects.create(
        number=number, request_key=request_key, status=Status.DEPOSIT_HELD, serial=device.serial, model=device.model,
        part=part, country=device.sold_in, customer_name=name, email=email, phone=phone, address=address,
        language="zh-hans" if (language or "").lower().startswith("zh") else "en", applied_on=applied_on,
        return_due_on=verdict.return_due_on, pack=pack, clauses=list(verdict.clauses), deposit=price.amount, currency=price.currency, payment=payment, hold=hold,
        diagnostic=diagnostic, return_tracking=f"RT{number[1:]}", created_at=now)
    OrderEvent.objects.create(order=order, from_status="", to_status=order.status, actor="customer", at=now)
    notices.tell(order, "applied", now=now)
    transaction.on_commit(functools.partial(queue_deadline_checks, order.number))
    return order
