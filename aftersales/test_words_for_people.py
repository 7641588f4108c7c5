"""No internal word reaches a person: no field name (``purchased_on``), no error code
(``date-out-of-range``), no vocabulary key (``lcd-panel``) and none of the words "seed", "issue"
or "chosen", in the templates' own text, in a policy pack's texts, in the translation catalog,
or on the main pages as they are rendered (in English and Chinese, with form errors showing).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from aftersales.core import clock
from aftersales.core.testing import NOW, role_user
from aftersales.page_tour import CONSOLE, CONSOLE_OF_ROLE, CONTACT, PORTAL, STAFF, address, tour_data
from aftersales.policy.pack import parse_pack
from aftersales.policy.testing import SHIPPED
from aftersales.policy.vocabulary import EXCLUSION_CODES, GROUPS, PARTS, PRODUCT_LINES
from aftersales.repairs.status import Status
from aftersales.warranty.registry import CSV_COLUMNS
from aftersales.warranty.request import FIELD_NAMES

ROOT = Path(__file__).resolve().parent
CATALOG = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
WORDS = re.compile(r"\b(seeds?|issues?|chosen)\b", re.IGNORECASE)
# the first text argument of an error, or a code= keyword: how the code names its error codes
_CODE_IN_SOURCE = re.compile(
    r'\b\w*(?:Error|Conflict|NotFound|Forbidden|Input|Pack|Limited|Refused|refused|fail|bad|err|Finding|'
    r'Transition|Closed|Reason|Wording|__init__)\('
    r'\s*(?:[\w.]+\s*,|"[\w.]+"\s*,)?\s*"([a-z]+(?:-[a-z]+)+)"|\bcode\s*=\s*"([a-z]+(?:-[a-z]+)+)"')


def error_codes() -> set[str]:
    codes = set()
    for path in ROOT.rglob("*.py"):
        if not path.name.startswith("test_"):
            for found in _CODE_IN_SOURCE.findall(path.read_text("utf-8")):
                codes |= {c for c in found if c}
    return codes


def field_names() -> set[str]:
    """Names only a program uses: the models' fields and the request fields with an underscore."""
    names = {f.name for model in apps.get_models() for f in model._meta.get_fields() if "_" in f.name}
    return names | {name for name in FIELD_NAMES if "_" in name}


# vocabulary keys that are also plain English ("non-major parts", "a whole-unit replacement")
PLAIN_ENGLISH = {"non-major", "whole-unit"}


def ids() -> set[str]:
    """The shipped packs' ids and the ids of the documents they cite."""
    packs = [parse_pack(text) for text in SHIPPED.values()]
    return {p.id for p in packs} | {d for p in packs for d in p.documents}


@pytest.fixture(scope="module")
def internal():
    """A pattern for every internal word, each standing on its own (not part of a longer word)."""
    keys = {k for table in (EXCLUSION_CODES, GROUPS, PARTS, PRODUCT_LINES, Status.values) for k in table if "-" in k}
    terms = sorted(error_codes() | (keys - PLAIN_ENGLISH) | field_names() | ids(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, terms)) + r")(?![\w-])")


def offending(text: str, internal: re.Pattern) -> list[str]:
    """The internal words in a text. The one place a person writes column names is a serial
    registry file: a text that explains that CSV file may name its header's columns."""
    found = [m.group(0) for m in WORDS.finditer(text)] + internal.findall(text)
    return [w for w in found if not ("CSV" in text and w in CSV_COLUMNS)]


class VisibleText(HTMLParser):
    """The text a person reads on a page: text outside scripts and styles, and the attributes
    that are read out or shown (labels, titles, placeholders, alternative texts, button values)."""

    SHOWN = {"aria-label", "title", "placeholder", "alt", "aria-description"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        attrs = dict(attrs)
        self.parts += [v for k, v in attrs.items() if k in self.SHOWN and v]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(p.strip() for p in parser.parts if p.strip())


def template_text(source: str) -> str:
    """A template's own words: what is left outside its tags, variables and comments."""
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", " ", source, flags=re.S)
    return visible(re.sub(r"{%.*?%}|{{.*?}}", " ", source, flags=re.S))


def test_no_template_says_an_internal_word_in_its_own_text(internal):
    found = {}
    for path in ROOT.rglob("*.html"):
        words = offending(template_text(path.read_text("utf-8")), internal)
        if words:
            found[str(path.relative_to(ROOT))] = words
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


def pack_texts(text: str) -> list[str]:
    pack = parse_pack(text)
    out = [pack.title_en, pack.title_zh]
    out += [t for d in pack.documents.values() for t in (d.title_en, d.title_zh)]
    for clause in pack.clauses.values():
        out += [clause.en, clause.zh, clause.source(zh=False), clause.source(zh=True)]
    out += [t for s in pack.symptoms.values() for t in (s.en, s.zh)]
    return out


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_no_pack_text_says_an_internal_word(name, internal):
    assert [(t, offending(t, internal)) for t in pack_texts(SHIPPED[name]) if offending(t, internal)] == []


def catalog():
    with CATALOG.open("rb") as f:
        return [m for m in read_po(f) if m.id]


def test_no_catalog_entry_says_an_internal_word_in_either_language(internal):
    found = []
    for message in catalog():
        texts = [*(message.id if isinstance(message.id, tuple) else (message.id,)),
                 *(message.string if isinstance(message.string, tuple) else (message.string,))]
        found += [(t, offending(t, internal)) for t in texts if offending(t, internal)]
    assert found == []


def test_every_catalog_entry_reads_in_both_languages_and_none_is_fuzzy():
    messages = catalog()
    untranslated = [m.id for m in messages
                    if not all(m.string if isinstance(m.string, tuple) else (m.string,))]
    assert untranslated == []
    assert [m.id for m in messages if m.fuzzy] == []


# --- the pages as rendered -------------------------------------------------------------------------
@pytest.fixture
def tour(db):
    with clock.frozen(NOW):
        yield tour_data()


def customer(language: str, tour) -> Client:
    """A customer who opened their case with its number and e-mail address."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.post("/track/", {"number": tour.number, "contact": CONTACT}).status_code == 302
    return client


def staff(language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(get_user_model().objects.get(username=STAFF))
    return client


def rendered(language: str, tour) -> dict[str, str]:
    """Every main page, the warranty answer, and the forms sent back with their errors showing."""
    people, centre = customer(language, tour), staff(language)
    pages = {name: people.get(address(url, tour)) for name, url in PORTAL.items()}
    pages |= {name: centre.get(address(url, tour)) for name, url in CONSOLE.items()}
    pages["console login"] = Client(HTTP_ACCEPT_LANGUAGE=language).get(CONSOLE["console login"])
    for role, role_pages in CONSOLE_OF_ROLE.items():
        signed_in = Client(HTTP_ACCEPT_LANGUAGE=language)
        signed_in.force_login(role_user(role, username=f"tour-{role}-desk"))
        pages |= {name: signed_in.get(url) for name, url in role_pages.items()}
    pages["warranty answer"] = people.post("/warranty/", {"serial": tour.serial, "part": "psu"})
    pages["warranty errors"] = people.post("/warranty/", {"serial": tour.serial, "part": "psu",
                                                          "purchased_on": "2023-02-30"})
    pages["apply errors"] = people.post("/repair/apply/", {"serial": "", "purchased_on": "31/02/2023"})
    pages["track errors"] = Client(HTTP_ACCEPT_LANGUAGE=language).post("/track/", {"number": "", "contact": ""})
    pages["device answer errors"] = centre.post(address(CONSOLE["device page"], tour),
                                                {"part": "psu", "purchased_on": "2023-02-30"})
    return pages


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_main_page_shows_an_internal_word_even_with_errors_on_its_forms(tour, internal, language):
    with clock.frozen(NOW):
        pages = rendered(language, tour)
    assert {name: r.status_code for name, r in pages.items() if r.status_code >= 500 or r.status_code in (
        301, 302, 403, 404)} == {}
    found = {name: offending(visible(r.content.decode()), internal) for name, r in pages.items()}
    assert {name: words for name, words in found.items() if words} == {}


# Chinese punctuation: a label ends with the full-width colon, a list of Chinese words is joined
# with the enumeration comma. An ASCII ": " or ", " after a Chinese word is English punctuation.
CJK = r"[\u3400-\u9fff）]"  # a Chinese character, or the full-width closing bracket
ENGLISH_PUNCTUATION = re.compile(rf"{CJK}(?:: |:$|, (?={CJK}))", re.MULTILINE)


def test_chinese_pages_use_chinese_punctuation_after_chinese_words(tour):
    with clock.frozen(NOW):
        pages = rendered("zh-hans", tour)
    found = {}
    for name, response in pages.items():
        text = visible(response.content.decode())
        lines = [line for line in text.splitlines() if ENGLISH_PUNCTUATION.search(line)]
        if lines:
            found[name] = lines
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


def test_no_template_puts_english_punctuation_after_a_translated_label():
    """A label's colon, and the commas of a list, belong to the translation: ``{% translate "Policy:" %}``
    and ``|listed``, not ``{% translate "Policy" %}:`` or ``|join:", "``, which stay English in Chinese."""
    label = re.compile(r'{%\s*(?:translate|trans)\s+"[^"]*"\s*%}:|\|join:", "')
    found = {}
    for path in ROOT.rglob("*.html"):
        hits = label.findall(path.read_text("utf-8"))
        if hits:
            found[str(path.relative_to(ROOT))] = hits
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
