"""The signed link a customer answers a quotation with: made when the quotation is sent, read
back when the link is opened.

A link opens one quotation and nothing else: it does not open the case's pages (those need the
case number with the e-mail or phone on file). It works while that quotation waits for the
customer's answer, and at most until the end of the seventh day after the quotation's answer-by
date (``respond_by``, two weeks after sending: three weeks in all), counted in the case's local
calendar — long enough for someone who answers a little late, short enough that an old e-mail
found months later opens nothing. Once the quotation is answered, withdrawn or replaced by a
newer one, or the time is up, reading the link raises ``LinkClosed`` with words for a plain page
that says so.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse

from aftersales.billing.models import Quotation, QuotationStatus
from aftersales.core.errors import AppError

TOKEN_SALT = "aftersales.quotation"
LINK_GRACE_DAYS = 7  # after the answer-by date


class LinkClosed(AppError):
    """The link is genuine but opens nothing any more (410): answered, replaced, or out of time."""

    def __init__(self, code: str, en: str, zh: str):
        super().__init__(code, en, zh, status=410)


def quotation_token(q: Quotation) -> str:
    return signing.dumps({"q": q.pk, "case": q.case.number}, salt=TOKEN_SALT, compress=True)


def _invalid() -> AppError:
    return AppError("invalid-link", "This link is not valid.", "该链接无效。", status=404)


def link_open_until(q: Quotation) -> dt.date | None:
    """The last day (the case's local day) the quotation's link works; None before it is sent."""
    return q.respond_by + dt.timedelta(days=LINK_GRACE_DAYS) if q.respond_by else None


def quotation_from_token(token: str, *, now: dt.datetime) -> Quotation:
    """The quotation the link was made for, while it still waits for the answer; ``invalid-link``
    (404) for a forged or damaged link, ``LinkClosed`` (410) for one that opens nothing any more."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise _invalid() from None
    q = Quotation.objects.select_related("case", "case__centre").filter(
        pk=data.get("q"), case__number=data.get("case")).first()
    if q is None or q.sent_at is None:
        raise _invalid()
    _refuse_closed(q, now)
    return q


def _refuse_closed(q: Quotation, now: dt.datetime) -> None:
    if q.status == QuotationStatus.ANSWERED:
        day = q.case.day(q.answered_at).isoformat()
        raise LinkClosed("already-answered",
                         f"This quotation was answered on {day}; thank you. To follow the repair, look up "
                         f"your case with its number and the e-mail or phone number you gave us.",
                         f"该报价已于 {day} 答复，谢谢。如需查看维修进度，请使用维修单号和您留下的电子邮箱或电话号码查询。")
    newer = q.case.quotations.filter(sent_at__gt=q.sent_at).exists()
    if q.status != QuotationStatus.SENT or newer:
        raise LinkClosed("quotation-replaced",
                         "This quotation is no longer open: it was withdrawn or replaced by a newer one. "
                         "Look up your case with its number to see where the repair stands.",
                         "该报价已撤回或已被新报价取代，不再有效。请使用维修单号查询维修进度。")
    if q.case.day(now) > link_open_until(q):
        raise LinkClosed("link-expired",
                         f"This link worked until {link_open_until(q).isoformat()}. Look up your case with its "
                         f"number and the e-mail or phone number you gave us, or call the service centre.",
                         f"该链接的有效期至 {link_open_until(q).isoformat()}。请使用维修单号和您留下的电子邮箱或"
                         f"电话号码查询维修单，或致电服务中心。")


def quotation_link(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('portal:quotation', args=[token])}"
