"""``{% history_record dispute %}``: beside a dispute about a repair from before this product,
the record of that repair once its history is imported — what was charged, line by line, and
what the customer paid — so executive care answers from the figures of the time.

A dispute names such a case by its old number and its serial; the record is shown only when both
match (a record without a serial on file is shown with that said), so a mistyped number never
puts another customer's repair beside the complaint.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import translation

from aftersales.audit.models import HistoryCase
from aftersales.policy.vocabulary import PARTS, SERVICES

register = template.Library()


def _words(table: dict[str, tuple[str, str]], code: str) -> str:
    en, zh = table.get(code, (code, code))
    return zh if (translation.get_language() or "").lower().startswith("zh") else en


def history_of(dispute) -> HistoryCase | None:
    """The imported record of the older repair ``dispute`` names, when number and serial agree."""
    if dispute.case_id is not None or not dispute.case_number:
        return None
    record = HistoryCase.objects.filter(case_number=dispute.case_number).first()
    if record is None or (record.serial and record.serial.upper() != (dispute.serial or "").upper()):
        return None
    return record


@register.inclusion_tag("audit/_history_record.html")
def history_record(dispute):
    record = history_of(dispute)
    if record is None:
        return {"record": None}
    lines = [{"no": line.line_no, "service": _words(SERVICES, line.service),
              "part": _words(PARTS, line.part) if line.part else "",
              "labour": line.labour_charged, "parts": line.parts_charged,
              "total": line.labour_charged + line.parts_charged, "currency": line.currency}
             for line in record.lines.order_by("line_no")]
    payments = list(record.payments.order_by("paid_on", "reference"))
    return {"record": record, "part": _words(PARTS, record.part), "lines": lines, "payments": payments,
            "charged": sum((line["total"] for line in lines), Decimal("0.00")),
            "paid": sum((p.amount for p in payments), Decimal("0.00"))}
