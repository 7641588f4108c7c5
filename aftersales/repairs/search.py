"""Staff search across repair cases: one box that finds a case by its number, the device's serial
number, the customer's name, e-mail or phone, among the cases of the centres the person reads.

Each key is matched the way its index can answer it (migration ``0011_case_search_indexes``):
the case number and the serial exactly, after the same normalising the rest of the product
applies; the e-mail exactly, in lower case; the phone by its digits alone, so "138 0000-0000"
finds "13800000000"; the name as a substring, in any case (a trigram index on PostgreSQL). What
was typed decides which keys are tried: an "@" can only be an e-mail, too few digits cannot be a
phone. The result is a keyset page, newest first (``before=`` the last row's cursor), so a
later page costs what the first costs; the same filters list every closed case when nothing
was typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Func, Q, TextField
from django.db.models.functions import Lower, Upper

from aftersales.repairs.models import Case
from aftersales.repairs.numbers import normalise_case_number
from aftersales.repairs.status import CLOSED

# Below this many characters a name matches only at its start: a substring of one or two letters
# matches too many people to be a search, and a trigram index cannot answer it.
NAME_MIN = 3
PHONE_MIN_DIGITS = 6
SERIAL = re.compile(r"^[A-Z0-9]{4,32}$")


class PhoneDigits(Func):
    """The digits of a phone number as the database computes them: the same expression as the
    index on PostgreSQL (``regexp_replace``); on SQLite, the separators people type removed."""

    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="regexp_replace(%(expressions)s, '[^0-9]', '', 'g')")

    def as_sql(self, compiler, connection, template=None, **extra):
        if template is None:
            template = "%(expressions)s"
            for ch in " -+().":
                template = f"replace({template}, '{ch}', '')"
        return super().as_sql(compiler, connection, template=template, **extra)


def search_keys(text: str) -> Q | None:
    """The condition that finds ``text`` under every key it could be; None when it could be none."""
    text = (text or "").strip()
    if not text:
        return None
    if "@" in text:
        return Q(email_lower=text.lower())
    digits = re.sub(r"\D", "", text)
    phone_like = not re.search(r"[^\d\s\-+().]", text)
    if phone_like:
        keys = Q(pk__in=[])  # digits and separators name nobody: no name is searched
    elif len(text) < NAME_MIN:
        keys = Q(name_upper__startswith=text.upper())
    else:
        keys = Q(name_upper__contains=text.upper())
    if number := normalise_case_number(text):
        keys |= Q(number=number)
    compact = text.upper().replace(" ", "")
    if SERIAL.match(compact):
        keys |= Q(serial=compact)
    if phone_like and len(digits) >= PHONE_MIN_DIGITS:
        keys |= Q(phone_digits=digits)
    return keys


@dataclass(frozen=True)
class SearchPage:
    cases: list[Case]
    next_cursor: str | None  # the page after this one (older cases), None on the last


def _cursor(case: Case) -> str:
    return f"{case.created_at.isoformat()}_{case.pk}"


def _parse_cursor(cursor: str | None) -> tuple[dt.datetime, int] | None:
    try:
        stamp, pk = (cursor or "").rsplit("_", 1)
        return dt.datetime.fromisoformat(stamp), int(pk)
    except ValueError:
        return None


def case_search(*, centres: Collection[int] | None, text: str = "", state: str = "", statuses: list[str] | None = None,
                product_line: str = "", kind: str = "", cursor: str | None = None, limit: int = 25) -> SearchPage:
    """Cases matching ``text`` (every case when empty) and the filters, newest first.
    ``centres``: the ids of the centres searched (None: every centre; empty: none); ``state``:
    "open", "closed" or "" for both."""
    qs = Case.objects.select_related("centre")
    if centres is not None:
        qs = qs.filter(centre_id__in=sorted(centres))
    keys = search_keys(text)
    if keys is not None:
        qs = qs.alias(email_lower=Lower("email"), name_upper=Upper("customer_name"),
                      phone_digits=PhoneDigits("phone")).filter(keys)
    if state == "open":
        qs = qs.exclude(status__in=sorted(CLOSED))
    elif state == "closed":
        qs = qs.filter(status__in=sorted(CLOSED))
    if statuses:
        qs = qs.filter(status__in=statuses)
    if product_line:
        qs = qs.filter(product_line=product_line)
    if kind:
        qs = qs.filter(kind=kind)
    after = _parse_cursor(cursor)
    if after is not None:
        stamp, pk = after
        # "(created_at, pk) before the cursor", the bound on created_at alone starting the index scan.
        qs = qs.filter(Q(created_at__lte=stamp), Q(created_at__lt=stamp) | Q(pk__lt=pk))
    rows = list(qs.order_by("-created_at", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return SearchPage(rows, _cursor(rows[-1]) if more and rows else None)
