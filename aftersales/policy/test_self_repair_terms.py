"""The [self_repair] section of a pack: what a pack may say, and what it is refused for."""

import datetime as dt
import tomllib

import pytest

from aftersales.policy.fees import ScheduleError
from aftersales.policy.pack import PackError, parse_pack
from aftersales.policy.self_repair import parse_self_repair
from aftersales.policy.testing import SHIPPED

SHIPPED_DATA = tomllib.loads(SHIPPED["na-notebook"])
SECTION = SHIPPED_DATA["self_repair"]
CLAUSES = SHIPPED_DATA["clauses"]
REGIONS = frozenset({"US", "CA"})


def test_the_notebook_pack_carries_the_published_self_repair_terms():
    terms = parse_pack(SHIPPED["na-notebook"]).self_repair
    assert terms.countries == ("US", "CA") and terms.product_line == "notebook"
    assert terms.sold_from == dt.date(2020, 1, 1)
    assert terms.parts == ("hdd", "ssd", "memory", "power-adapter")
    assert (terms.return_days, terms.reminder_days) == (14, (7, 2))
    assert parse_pack(SHIPPED["cn-desktop"]).self_repair is None


def test_each_self_repair_clause_cites_the_questions_and_answers():
    pack = parse_pack(SHIPPED["na-notebook"])
    terms = pack.self_repair
    for clause in (terms.countries_clause, terms.products_clause, terms.parts_clause, terms.diagnosis_clause,
                   terms.one_part_clause, terms.return_clause, terms.reminder_clause):
        assert [c.document.id for c in pack.clauses[clause].cites] == ["csr-qa"]


@pytest.mark.parametrize("key, value, field", [
    ("countries", ["US", "FR"], "self_repair.countries"),
    ("countries", ["US", "US"], "self_repair.countries"),
    ("countries", [], "self_repair.countries"),
    ("product_line", "aio", "self_repair.product_line"),
    ("sold_from", "2020-01-01", "self_repair.sold_from"),
    ("sold_from", dt.date(1999, 12, 31), "self_repair.sold_from"),
    ("parts", ["ssd", "flux-capacitor"], "self_repair.parts"),
    ("parts", "ssd", "self_repair.parts"),
    ("return_days", 0, "self_repair.return_days"),
    ("return_days", 14.0, "self_repair.return_days"),
    ("return_days", True, "self_repair.return_days"),
    ("reminder_days", [7, 14], "self_repair.reminder_days"),
    ("reminder_days", [2, 2], "self_repair.reminder_days"),
    ("reminder_days", [0], "self_repair.reminder_days"),
    ("return_clause", "nowhere", "self_repair.return_clause"),
    ("parts_clause", None, "self_repair.parts_clause"),
])
def test_a_self_repair_section_with_a_bad_term_is_refused_naming_the_term(key, value, field):
    with pytest.raises(ScheduleError) as refused:
        parse_self_repair({**SECTION, key: value}, CLAUSES, REGIONS, {"notebook"})
    assert refused.value.field == field and refused.value.en and refused.value.zh


def test_a_pack_file_with_a_bad_self_repair_section_is_refused_whole_naming_the_field():
    text = SHIPPED["na-notebook"].replace("return_days = 14", 'return_days = "14"')
    with pytest.raises(PackError) as refused:
        parse_pack(text)
    assert refused.value.field == "self_repair.return_days" and "整数" in refused.value.zh
