"""Composing a message: one template per occasion and language, rendered as plain text.

Templates live in ``templates/notifications/<occasion>.<language>.txt`` (``en`` and ``zh-hans``);
the first line is the subject, the rest the body. A language without its own template falls
back to English. Values in the context are written out for the message's language: a date as
"2 May 2025" or "2025年5月2日", ``Money`` as "CNY 5.00" or "5.00 元", and ``Words`` (a text in
both languages) as the one that fits, inside lists and dicts too. Plain text is rendered
without HTML escaping; the HTML alternative is the same text, escaped, with its language marked
so mail clients pick the right fonts.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from django.template import Context, Engine
from django.utils.html import escape, linebreaks

from aftersales.core.money import CURRENCY_NAMES_ZH, Money

LANGUAGES = ("en", "zh-hans")
# Not strftime("%B"): that follows the process locale.
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


@dataclass(frozen=True, slots=True)
class Words:
    """A text in English and Chinese; the message shows the one in its language."""

    en: str
    zh: str


@dataclass(frozen=True, slots=True)
class Composed:
    subject: str
    body_text: str
    body_html: str


def language_of(code: str | None) -> str:
    return "zh-hans" if (code or "").lower().startswith("zh") else "en"


def day_text(day: dt.date, language: str) -> str:
    if language == "zh-hans":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def money_text(money: Money, language: str) -> str:
    if language == "zh-hans":
        return f"{money.amount} {CURRENCY_NAMES_ZH.get(money.currency, money.currency)}"
    return f"{money.currency} {money.amount}"


def _written(value, language: str):
    if isinstance(value, Words):
        return value.zh if language == "zh-hans" else value.en
    if isinstance(value, Money):
        return money_text(value, language)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return day_text(value, language)
    if isinstance(value, dict):
        return {key: _written(item, language) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_written(item, language) for item in value]
    return value


@functools.cache
def _engine() -> Engine:
    # Our own engine: these are text templates, so nothing is HTML-escaped while rendering.
    return Engine(app_dirs=True, autoescape=False)


def compose(occasion: str, language: str, context: dict) -> Composed:
    language = language_of(language)
    names = [f"notifications/{occasion}.{language}.txt", f"notifications/{occasion}.en.txt"]
    template = _engine().select_template(names)
    values = {key: _written(value, language) for key, value in context.items()}
    text = template.render(Context(values, autoescape=False))
    subject, _, body = text.strip().partition("\n")
    body = _tidy(body)
    html = f'<div lang="{"zh-Hans" if language == "zh-hans" else "en"}">{linebreaks(escape(body))}</div>'
    return Composed(subject.strip(), body, html)


def _tidy(body: str) -> str:
    """Template tags leave blank lines and trailing spaces behind; keep one blank line between
    paragraphs."""
    lines = [line.rstrip() for line in body.strip("\n").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
