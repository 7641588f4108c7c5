"""Punctuation that follows the page's language: ``{{ names|listed }}`` joins a list of words
as the language writes one (Chinese with the enumeration comma 、, English with ", ")."""

from django import template
from django.utils.translation import get_language

register = template.Library()


def separator() -> str:
    return "、" if (get_language() or "").lower().startswith("zh") else ", "


@register.filter
def listed(values) -> str:
    """The values as text, joined for the active language (escaped by the template as usual)."""
    return separator().join(str(v) for v in values or ())
