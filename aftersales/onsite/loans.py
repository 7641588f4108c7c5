"""Loaner devices: lent to a customer while their device is repaired, then given back.

Loaners are inventory of a service centre: a loaner is lent to one case at a time, and a case
has at most one loaner out (the database holds both rules). Lending and taking back are written
on the case's timeline. The high-end desktop line is entitled to a loaner until its repair is
done (the VIP list); staff may lend one on any other case too.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from aftersales.accounts.roles import require
from aftersales.core.errors import Conflict, NotFound
from aftersales.onsite.models import Loan, Loaner, LoanerStatus
from aftersales.repairs.events import record
from aftersales.repairs.models import EventKind
from aftersales.repairs.services import locked_case
from aftersales.repairs.status import CLOSED


@transaction.atomic
def loaner_lend(*, number: str, tag: str, actor, now: dt.datetime) -> Loan:
    require(actor, "loaner.lend")
    case = locked_case(number, actor=actor)
    if case.status in CLOSED:
        raise Conflict("case-closed", "This case is closed; no loaner can be lent on it.",
                       "该维修单已结束，不能再借出备用机。")
    loaner = Loaner.objects.select_for_update().filter(tag=tag.strip(), centre=case.centre).first()
    if loaner is None:
        raise NotFound("unknown-loaner", "This centre has no loaner with that tag.", "本服务中心没有该编号的备用机。",
                       field="tag")
    if loaner.status != LoanerStatus.AVAILABLE:
        raise Conflict("loaner-not-available", "That loaner is not available.", "该备用机目前不可借出。", field="tag")
    try:
        with transaction.atomic():
            loan = Loan.objects.create(loaner=loaner, case=case, issued_at=now, issued_by=actor)
    except IntegrityError as exc:
        raise Conflict("case-has-a-loaner", "A loaner is already out on this case.",
                       "该维修单已借出一台备用机。") from exc
    loaner.status = LoanerStatus.ISSUED
    loaner.save(update_fields=["status"])
    record(case, EventKind.NOTE, at=now, actor=actor, data={"loaner": loaner.tag, "change": "lent"},
           en=f"Loaner {loaner.model} ({loaner.tag}) lent until the repair is done.",
           zh=f"已借出备用机 {loaner.model}（{loaner.tag}），维修完成后归还。")
    return loan


@transaction.atomic
def loaner_take_back(*, number: str, actor, now: dt.datetime) -> Loan:
    require(actor, "loaner.lend")
    case = locked_case(number, actor=actor)
    loan = Loan.objects.select_for_update().select_related("loaner").filter(case=case, returned_at__isnull=True).first()
    if loan is None:
        raise Conflict("no-loaner-out", "No loaner is out on this case.", "该维修单没有借出的备用机。")
    loan.returned_at, loan.returned_by = now, actor
    loan.save(update_fields=["returned_at", "returned_by"])
    Loaner.objects.filter(pk=loan.loaner_id).update(status=LoanerStatus.AVAILABLE)
    record(case, EventKind.NOTE, at=now, actor=actor, data={"loaner": loan.loaner.tag, "change": "returned"},
           en=f"Loaner {loan.loaner.model} ({loan.loaner.tag}) given back.",
           zh=f"备用机 {loan.loaner.model}（{loan.loaner.tag}）已归还。")
    return loan
