"""The repair itself: parts fitted (covered ones free, paid ones only when the customer accepted
them), and the parts removed going back to the maker's stock."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from aftersales.accounts.roles import require
from aftersales.core.errors import AppError, Conflict, NotFound
from aftersales.policy.vocabulary import PARTS
from aftersales.repairs import events
from aftersales.repairs.models import PartDecision, PartUsage
from aftersales.repairs.services import case_within_reach, locked_case
from aftersales.repairs.status import Status


def _accepted_paid_parts(case) -> set[str]:
    from aftersales.billing.models import LineDecision, QuotationLine

    return set(QuotationLine.objects.filter(quotation__case=case, decision=LineDecision.ACCEPTED)
               .values_list("part", flat=True))


@transaction.atomic
def part_fit(*, number: str, part: str, actor, now: dt.datetime, new_serial: str = "",
             old_serial: str = "") -> PartUsage:
    """Fit a part. It must be covered by the warranty decision for that part, or be on a
    quotation line the customer accepted — nothing is fitted that nobody agreed to."""
    require(actor, "case.repair")
    case = locked_case(number, actor=actor, statuses={Status.REPAIRING})
    if part not in PARTS:
        raise AppError("unknown-part", f"Unknown part {part!r}.", f"未知部件 {part!r}。", field="part")
    covered = PartDecision.objects.filter(case=case, part=part, covered=True).exists()
    if not covered and part not in _accepted_paid_parts(case):
        raise Conflict("part-not-agreed",
                       "This part is neither covered by the warranty nor on a quotation line the customer accepted.",
                       "该部件既不在保修范围内，也不在客户已接受的报价项目中。", field="part")
    usage = PartUsage.objects.create(case=case, part=part, new_serial=new_serial.strip(),
                                     old_serial=old_serial.strip(), covered=covered, fitted_by=actor, fitted_at=now)
    events.part_fitted(case, now, actor, usage)
    return usage


@transaction.atomic
def part_return_to_stock(*, usage_id: int, actor, now: dt.datetime) -> PartUsage:
    require(actor, "case.repair")
    usage = PartUsage.objects.select_for_update().select_related("case").filter(pk=usage_id).first()
    if usage is None or not case_within_reach(usage.case, actor):
        raise NotFound("unknown-part-usage", "No such fitted part.", "没有该更换记录。")
    if usage.returned_to_stock_at is not None:
        raise Conflict("already-returned", "The removed part is already back in stock.", "拆下的部件已入库。")
    usage.returned_to_stock_at, usage.returned_by = now, actor
    usage.save(update_fields=["returned_to_stock_at", "returned_by"])
    return usage
