"""Reads on repair cases: the customer's look-up, their timeline, and the staff queue.

The look-up needs the case number *and* the e-mail or phone on file, and answers "no such case
or the details do not match" whichever one is wrong, so it cannot be used to find out which
numbers exist. The queue pages by keyset (created_at, id), so page 500 costs what page 1 costs.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Expression, Q, QuerySet

from aftersales.core.errors import NotFound
from aftersales.repairs.models import Case, CaseEvent
from aftersales.repairs.numbers import normalise_case_number
from aftersales.repairs.status import CLOSED, SLA_DAYS

NOT_FOUND = ("No case matches that number and those contact details.", "没有与该单号和联系方式相符的维修单。")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def contact_matches(email: str, phone: str, contact: str) -> bool:
    """Whether what the customer typed is the case's e-mail (any case) or its phone (digits only,
    at least six), compared in constant time."""
    contact = (contact or "").strip()
    if not contact:
        return False
    if "@" in contact:
        return bool(email) and hmac.compare_digest(email.strip().lower().encode(), contact.lower().encode())
    digits = _digits(contact)
    return len(digits) >= 6 and bool(phone) and hmac.compare_digest(_digits(phone).encode(), digits.encode())


def case_lookup(*, number: str, contact: str) -> Case:
    normal = normalise_case_number(number)
    # Numbers are unique: a slice, not first(), which would sort the one row by created_at.
    found = list(Case.objects.select_related("centre").filter(number=normal)[:1]) if normal else []
    case = found[0] if found else None
    if case is None or not contact_matches(case.email, case.phone, contact):
        raise NotFound("case-not-found", *NOT_FOUND, field="number")
    return case


def customer_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.filter(customer_visible=True).order_by("at", "id")


@dataclass(frozen=True)
class QueuePage:
    cases: list[Case]
    next_cursor: str | None
    # The cursor for the page before this one (``before=``); None on the first page.
    prev_cursor: str | None = None


def _cursor(case: Case) -> str:
    return f"{case.created_at.isoformat()}_{case.pk}"


def _parse_cursor(cursor: str | None) -> tuple[dt.datetime, int] | None:
    if not cursor:
        return None
    try:
        stamp, pk = cursor.rsplit("_", 1)
        return dt.datetime.fromisoformat(stamp), int(pk)
    except ValueError:
        return None


def open_cases(*, centres: Collection[int] | None, now: dt.datetime, statuses: list[str] | None = None,
               product_line: str = "", late_only: bool = False, older_than_days: int | None = None) -> QuerySet[Case]:
    """Open cases filtered the way a counter works: by status, product line, age and lateness
    against ``SLA_DAYS``; ``centres``: the ids of the centres whose cases are listed (None: every
    centre; empty: none). Unordered: the queue pages it, other lists order it their way."""
    # The same words as the open-case indexes' condition (models.Case.Meta), which serve the queue.
    qs = Case.objects.exclude(status__in=sorted(CLOSED)).select_related("centre")
    if centres is not None:
        qs = qs.filter(centre_id__in=sorted(centres))
    if statuses:
        qs = qs.filter(status__in=statuses)
    if product_line:
        qs = qs.filter(product_line=product_line)
    if older_than_days is not None:
        qs = qs.filter(created_at__lte=now - dt.timedelta(days=older_than_days))
    if late_only:
        late = Q(pk__in=[])
        for status, days in SLA_DAYS.items():
            late |= Q(status=status, status_changed_at__lte=now - dt.timedelta(days=days))
        qs = qs.filter(late)
    return qs


def case_queue(*, centres: Collection[int] | None, now: dt.datetime, statuses: list[str] | None = None,
               product_line: str = "", late_only: bool = False, older_than_days: int | None = None,
               cursor: str | None = None, before: str | None = None, limit: int = 50,
               excluding: Expression | None = None) -> QueuePage:
    """The ``open_cases`` a keyset page at a time, oldest first. ``cursor`` pages forward (the page
    after that cursor), ``before`` back (the page that ends just before it). ``excluding``: a
    condition on the case (an ``Exists`` over ``OuterRef("pk")``) whose cases the caller lists
    elsewhere on the page, so that they are left out of every page."""
    qs = open_cases(centres=centres, now=now, statuses=statuses, product_line=product_line, late_only=late_only,
                    older_than_days=older_than_days)
    if excluding is not None:
        qs = qs.exclude(excluding)
    back = _parse_cursor(before)
    if back is not None and not cursor:
        stamp, pk = back
        # "(created_at, pk) before the cursor", with the bound on created_at spelt out alone so
        # that the index scan starts at the cursor instead of filtering every row up to it.
        qs = qs.filter(Q(created_at__lte=stamp), Q(created_at__lt=stamp) | Q(pk__lt=pk))
        rows = list(qs.order_by("-created_at", "-pk")[: limit + 1])
        more = len(rows) > limit
        rows = rows[:limit][::-1]
        return QueuePage(rows, _cursor(rows[-1]) if rows else None, _cursor(rows[0]) if more and rows else None)
    after = _parse_cursor(cursor)
    if after is not None:
        stamp, pk = after
        # "(created_at, pk) after the cursor"; the bound on created_at alone starts the index scan.
        qs = qs.filter(Q(created_at__gte=stamp), Q(created_at__gt=stamp) | Q(pk__gt=pk))
    rows = list(qs.order_by("created_at", "pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return QueuePage(rows, _cursor(rows[-1]) if more and rows else None,
                     _cursor(rows[0]) if after is not None and rows else None)


def is_late(case: Case, now: dt.datetime) -> bool:
    days = SLA_DAYS.get(case.status)
    return days is not None and case.status_changed_at <= now - dt.timedelta(days=days)
