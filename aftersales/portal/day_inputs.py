"""Date inputs that never drop a date silently.

A browser sends an empty value for a date input it could not read (a month 13, half a date), so
on the server an unreadable date looks exactly like no date — and "no invoice date" changes a
warranty answer. Two things close that gap, for every form on the site:
- ``forms.js`` marks, as the form is sent, each date input the browser reports unreadable with a
  hidden ``<name>--unreadable`` field; ``DayInput`` turns that mark into a value no date has;
- ``day_errors``, run by every form with ``AppErrorFormMixin``, refuses in each ``DayInput`` a
  value that is not a date written year-month-day (``2024-13-45``, ``abc``, the mark) or lies
  outside the dates the product accepts (``policy.dates``), in the reader's language. A field
  that already has an error keeps that one.

The inputs also carry the accepted range as ``min``/``max``, so the browser's picker offers only
those dates. Without JavaScript there is no mark, and an unreadable date still arrives empty.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import get_language

from aftersales.policy.dates import FIRST_DAY, LAST_DAY, accepted, out_of_range_words

UNREADABLE = "(unreadable)"  # no date is written like this, and it is never shown
MARK = "--unreadable"


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__({"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat(), **(attrs or {})},
                         format="%Y-%m-%d")

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if not value and data.get(name + MARK):
            return UNREADABLE
        return value

    def format_value(self, value):
        return "" if value == UNREADABLE else super().format_value(value)


def unreadable_words() -> tuple[str, str]:
    return ("This date could not be read. Enter the whole date, or pick it from the calendar.",
            "无法识别这个日期。请填写完整的日期，或在日历中选择。")


def _refusal(code: str, words: tuple[str, str]) -> forms.ValidationError:
    zh = (get_language() or "").lower().startswith("zh")
    return forms.ValidationError(words[1] if zh else words[0], code=code)


def day_value(raw) -> dt.date | None:
    """The date ``raw`` (from a date input) gives, None for an empty one; ``ValidationError`` in
    the reader's language for anything else."""
    if raw is None or isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise _refusal("invalid-date", unreadable_words()) from None
    if not accepted(day):
        raise _refusal("date-out-of-range", out_of_range_words(day, "The date", "日期"))
    return day


def day_errors(form: forms.BaseForm) -> None:
    """Add an error to each date field of ``form`` whose value is not a date it takes."""
    for name, field in form.fields.items():
        if not isinstance(field.widget, DayInput) or form.has_error(name):
            continue
        try:
            day_value(field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name)))
        except forms.ValidationError as exc:
            form.add_error(name, exc)
