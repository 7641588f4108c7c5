"""The signed link a customer answers a quotation with: made when the quotation is sent, read
back when the link is opened."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from aftersales.billing.models import Quotation
from aftersales.core.errors import AppError

TOKEN_SALT = "aftersales.quotation"
TOKEN_MAX_AGE = 60 * 60 * 24 * 90


def quotation_token(q: Quotation) -> str:
    return signing.dumps({"q": q.pk, "case": q.case.number}, salt=TOKEN_SALT, compress=True)


def quotation_from_token(token: str) -> Quotation:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise AppError("link-expired", "This link has expired; look up your case with its number instead.",
                       "该链接已过期；请使用维修单号查询。", status=410)
    except signing.BadSignature:
        raise AppError("invalid-link", "This link is not valid.", "该链接无效。", status=404)
    q = Quotation.objects.select_related("case").filter(pk=data.get("q"), case__number=data.get("case")).first()
    if q is None:
        raise AppError("invalid-link", "This link is not valid.", "该链接无效。", status=404)
    return q


def quotation_link(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('portal:quotation', args=[token])}"
