"""Scans posted by the carrier: each moves a self-repair order along its parcels' two legs.

The carrier signs each scan with a secret it shares with us (``settings.CARRIER_SCAN_SECRET``),
as ``csr.signing`` describes; a request is taken once (its nonce is stored, unique). A scan names
the parcel by its tracking number — the part sent (``Order.outbound_tracking``, given when staff
ship) or the return (``Order.return_tracking``, printed on the return label) — the event
(``picked-up``, ``in-transit``, ``delivered``) and when it happened. Through the order's one door
(``services.order_transition``, via the existing steps):

- part sent, ``delivered``: the part reached the customer (``shipped`` → ``delivered``);
  ``picked-up`` and ``in-transit`` change nothing, the order being ``shipped`` already;
- return, any event: the carrier has the defective part (→ ``return-sent``; a later event of the
  same leg changes nothing). Receipt is confirmed by staff, who check what came back.

The carrier's ``event_id`` makes a scan idempotent: the same event sent again (re-signed, a new
nonce) answers with the first and changes nothing; the same id with other content is refused. A
scan the order's life cannot take (a return picked up before the part was shipped, a return
after the part was bought) is refused as the step is, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from aftersales.core.errors import AppError, Conflict, NotFound
from aftersales.csr.models import CarrierNonce, CarrierScan, Order
from aftersales.csr.services import order_delivered, order_locked, order_return_scanned
from aftersales.csr.signing import FRESH, signed_object, signed_request_check

OLDEST_SCAN = dt.timedelta(days=90)  # a scan older than this is no news about an open order
_EVENT_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_TRACKING = re.compile(r"[A-Za-z0-9-]{1,40}")


def _secret() -> str:
    secret = getattr(settings, "CARRIER_SCAN_SECRET", "")
    if not secret:
        raise AppError("carrier-scans-not-configured", "This service does not take carrier scans yet.",
                       "本服务尚未开通接收承运商扫描记录。", status=404)
    return secret


def _time(value, now: dt.datetime) -> dt.datetime:
    try:
        at = dt.datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        at = None
    if at is None or at.tzinfo is None or not now - OLDEST_SCAN <= at <= now + FRESH:
        raise AppError("invalid-request", "time must be a time with its UTC offset, within the last 90 days.",
                       "time 必须是带 UTC 偏移的时间，且在最近 90 天内。", field="time")
    return at


def _scan(body: bytes, now: dt.datetime) -> dict:
    data = signed_object(body)
    event_id, tracking, event = data.get("event_id"), data.get("tracking"), data.get("event")
    if not isinstance(event_id, str) or not _EVENT_ID.fullmatch(event_id):
        raise AppError("invalid-request", "event_id must be 1 to 64 letters, digits, '.', ':', '-' or '_'.",
                       "event_id 必须是 1 至 64 个字母、数字、“.”、“:”、“-”或“_”。", field="event_id")
    if not isinstance(tracking, str) or not _TRACKING.fullmatch(tracking.strip()):
        raise AppError("invalid-request", "tracking must be a tracking number of 1 to 40 letters, digits or '-'.",
                       "tracking 必须是 1 至 40 个字母、数字或“-”组成的运单号。", field="tracking")
    if event not in CarrierScan.Event.values:
        raise AppError("invalid-request", "event must be picked-up, in-transit or delivered.",
                       "event 必须是 picked-up、in-transit 或 delivered。", field="event")
    return {"event_id": event_id, "tracking": tracking.strip().upper(), "event": event,
            "scanned_at": _time(data.get("time"), now)}


def _take_nonce(nonce: str, now: dt.datetime) -> None:
    replayed = Conflict("signature-replayed", "This signed request was already received; a request is "
                                              "accepted once.", "此签名请求已接收过；每个请求只受理一次。")
    if CarrierNonce.objects.filter(nonce=nonce).exists():
        raise replayed
    try:
        with transaction.atomic():
            CarrierNonce.objects.create(nonce=nonce, received_at=now)
    except IntegrityError:
        raise replayed from None


def _parcel(tracking: str) -> tuple[Order, str]:
    """The order whose parcel carries ``tracking``, locked, and which leg it is."""
    found = list(Order.objects.filter(Q(outbound_tracking__iexact=tracking) | Q(return_tracking__iexact=tracking))
                 .values_list("number", flat=True)[:2])
    if len(found) != 1:
        raise NotFound("unknown-tracking", "No self-repair parcel has this tracking number.",
                       "没有使用此运单号的自助维修包裹。", field="tracking")
    order = order_locked(found[0])
    return order, (CarrierScan.Leg.RETURN if order.return_tracking.upper() == tracking else CarrierScan.Leg.OUTBOUND)


def _move(order: Order, leg: str, event: str, now: dt.datetime) -> Order:
    if leg == CarrierScan.Leg.RETURN:
        return order_return_scanned(number=order.number, now=now)
    if event == CarrierScan.Event.DELIVERED:
        return order_delivered(number=order.number, now=now)
    return order


@transaction.atomic
def carrier_scan_record(*, body: bytes, timestamp: str, nonce: str, signature: str,
                        now: dt.datetime) -> tuple[CarrierScan, bool]:
    """Take a signed scan (see the module overview); ``True`` with it when it was new."""
    signed_request_check(secret=_secret, body=body, timestamp=timestamp or "", nonce=nonce or "",
                         signature=signature or "", now=now)
    fields = _scan(body, now)
    _take_nonce(nonce, now)
    order, leg = _parcel(fields["tracking"])  # the order's lock orders two sendings of one event
    earlier = CarrierScan.objects.filter(event_id=fields["event_id"]).first()
    if earlier is not None:
        if (earlier.tracking, earlier.event, earlier.scanned_at) != (fields["tracking"], fields["event"],
                                                                      fields["scanned_at"]):
            raise _reused()
        return earlier, False
    order = _move(order, leg, fields["event"], now)
    try:
        with transaction.atomic():
            return CarrierScan.objects.create(order=order, leg=leg, received_at=now, **fields), True
    except IntegrityError:  # the same id sent at the same moment for another parcel
        raise _reused() from None


def _reused() -> Conflict:
    return Conflict("event-id-reused", "This event_id was already sent with another scan; each event needs its own "
                                       "id.", "此 event_id 已用于另一条扫描记录；每个事件须使用自己的编号。", field="event_id")
