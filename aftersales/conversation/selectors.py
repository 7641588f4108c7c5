"""Reads for the conversation and the customer's case page: the thread (the customer's view holds
no internal note), the files the customer may see, and — once the device is ready — where and
when to collect it, with the storage dates that then apply (``repairs.storage``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from aftersales.conversation.models import Message, Visibility
from aftersales.evidence.models import Evidence, EvidenceKind
from aftersales.notifications.compose import day_text, language_of, money_text
from aftersales.repairs.models import Case, Kind
from aftersales.repairs.status import HELD
from aftersales.repairs.storage import storage_terms

OWN_KINDS = (EvidenceKind.CUSTOMER, EvidenceKind.PROOF)


def thread(case: Case, *, customer_view: bool) -> QuerySet[Message]:
    """The case's messages, oldest first, with their files and authors."""
    rows = Message.objects.filter(case=case).select_related("author").order_by("created_at", "id")
    files = Evidence.objects.order_by("uploaded_at", "id")
    if customer_view:
        rows, files = rows.filter(visibility=Visibility.CUSTOMER), files.filter(customer_visible=True)
    return rows.prefetch_related(Prefetch("attachments", queryset=files))


def customer_files(case: Case) -> tuple[list[Evidence], list[Evidence]]:
    """What the customer sent (their photos and proof of purchase), and the centre's evidence
    meant for them (inbound and outbound parcels, damage, visits, files sent with a message)."""
    rows = list(case.evidence.filter(customer_visible=True).order_by("uploaded_at", "id"))
    return [e for e in rows if e.kind in OWN_KINDS], [e for e in rows if e.kind not in OWN_KINDS]


@dataclass(frozen=True)
class Collection:
    """Where and when a ready device is collected, in the reader's language."""

    mail_in: bool
    centre: str
    address: str
    phone: str
    ready_on: str
    keep_until: str = ""
    fees_from: str = ""
    daily_fee: str = ""
    review_on: str = ""
    clause: str = ""


def collection(case: Case, *, language: str) -> Collection | None:
    """None unless the device is waiting at the centre (ready, in storage, under review)."""
    if case.status not in HELD:
        return None
    language = language_of(language)
    centre = case.centre
    terms = storage_terms(case)
    place = {"mail_in": case.kind == Kind.MAIL_IN, "centre": centre.name(language), "address": centre.address,
             "phone": centre.phone}
    if terms is None:
        return Collection(**place, ready_on="")
    day = lambda d: day_text(d, language)  # noqa: E731
    return Collection(**place, ready_on=day(terms.ready_since), keep_until=day(terms.remind_on - dt.timedelta(days=1)),
                      fees_from=day(terms.first_fee_day), daily_fee=money_text(terms.daily_fee, language),
                      review_on=day(terms.review_on),
                      clause=terms.clause.zh if language == "zh-hans" else terms.clause.en)
