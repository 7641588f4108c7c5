"""Which timeline events the customer is also told about by e-mail (or text message).

Every customer-visible *step* is: booking, each status change, a damage decision, a shipment,
an advance replacement, a quotation (its own message with the link to answer it), the answer to
a follow-up. Finer events — a finding, a test, a part fitted, a photo — stay on the timeline and
in the repair report, so nobody gets a dozen e-mails in a morning. The storage notices (ready,
reminder, fees, disposal review) come from ``repairs.storage`` with the pack's dates and fees,
so the plain status-change message is not sent for those statuses.
"""

from __future__ import annotations

import datetime as dt

from aftersales.repairs.models import CaseEvent, EventKind
from aftersales.repairs.status import Status

TOLD = {EventKind.BOOKED, EventKind.STATUS_CHANGED, EventKind.DAMAGE_DECIDED, EventKind.SHIPPED,
        EventKind.ADVANCE_SHIPPED, EventKind.FOLLOW_UP}
# Status changes told in another message: the storage notices, the quotation e-mail, the shipment.
TOLD_ELSEWHERE = {Status.READY, Status.IN_STORAGE, Status.DISPOSAL_REVIEW, Status.AWAITING_CUSTOMER, Status.SHIPPED}


def should_tell(event: CaseEvent) -> bool:
    if not event.customer_visible or event.kind not in TOLD:
        return False
    if event.kind == EventKind.STATUS_CHANGED and event.to_status in TOLD_ELSEWHERE:
        return False
    if event.kind == EventKind.FOLLOW_UP and not event.data.get("resolved"):
        return False
    return True


def tell(event: CaseEvent, now: dt.datetime) -> None:
    if should_tell(event):
        from aftersales.notifications.services import status_change_notify

        status_change_notify(case=event.case, event=event, now=now)
