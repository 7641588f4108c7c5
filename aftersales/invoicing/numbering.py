"""Document numbers without gaps: one series per kind of document, region and year.

An invoice is ``CN-2026-000001``, a credit note ``CN-2026-C000001``: the region, the year the
document was issued in (its ``issued_on``), and the next number of its series, six digits or
more. Each series, region and year keeps its last number in one ``Counter`` row; issuing a
document locks that row (``select_for_update``) in the transaction that writes the document, so
two documents issued at once wait for each other and take consecutive numbers, and a document
that is refused or rolled back gives its number back with everything else it wrote.
"""

from __future__ import annotations

from aftersales.invoicing.models import Counter, Series

PREFIX = {Series.INVOICE: "", Series.CREDIT_NOTE: "C"}


def number_text(series: Series, region: str, year: int, sequence: int) -> str:
    return f"{region}-{year}-{PREFIX[series]}{sequence:06d}"


def counter_locked(*, series: Series, region: str, year: int) -> Counter:
    """The series' counter, locked until the calling transaction ends (opened on first use)."""
    Counter.objects.get_or_create(series=series, region=region, year=year)
    return Counter.objects.select_for_update().get(series=series, region=region, year=year)


def number_next(counter: Counter) -> tuple[int, str]:
    """Take the next number of a locked counter: its sequence and the number as printed."""
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, number_text(Series(counter.series), counter.region, counter.year, counter.last)
