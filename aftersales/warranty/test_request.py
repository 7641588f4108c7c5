"""Reading a request into facts: every bad field refused with its code and name, both languages."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.warranty.request import facts_from_mapping, parse_iso_date
from aftersales.warranty.rules.facts import InvalidInput

D = dt.date.fromisoformat
REQUEST = {"product_line": "home-desktop", "manufactured_on": "2023-01-10", "part": "cpu", "sold_in": "CN",
           "as_of": "2024-06-01"}


@pytest.mark.parametrize("text", ["2023-02-30", "2023-13-01", "20230101", "2023-1-01", "", "yesterday"])
def test_impossible_or_malformed_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_iso_date(text)


def test_a_timestamp_is_not_accepted_as_a_date():
    with pytest.raises(ValueError):
        parse_iso_date(dt.datetime(2024, 1, 1, 12, 0))


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_iso_text_round_trips(day):
    assert parse_iso_date(day.isoformat()) == day


def test_a_list_of_earlier_repair_dates_is_read_in_the_order_given():
    f = facts_from_mapping({**REQUEST, "repairs_on": ["2024-03-05", "2023-11-20"]}, None)
    assert f.repairs_on == (D("2024-03-05"), D("2023-11-20"))
    assert f.last_repair_on is None


def test_the_one_date_form_and_the_list_are_both_kept():
    f = facts_from_mapping({**REQUEST, "repairs_on": ["2023-11-20"], "last_repair_on": "2024-03-05"}, None)
    assert (f.repairs_on, f.last_repair_on) == ((D("2023-11-20"),), D("2024-03-05"))


@pytest.mark.parametrize("value", [["2024-02-30"], "2024-03-05", [20240305], [None]])
def test_repair_dates_that_are_not_a_list_of_real_dates_are_refused_naming_the_field(value):
    with pytest.raises(InvalidInput) as err:
        facts_from_mapping({**REQUEST, "repairs_on": value}, None)
    assert (err.value.code, err.value.field) == ("invalid-date", "repairs_on")
    assert "此前保修维修日期" in err.value.zh or "repairs_on" in err.value.zh


def test_a_request_without_vip_visits_used_counts_none_used():
    assert facts_from_mapping(REQUEST, None).vip_visits_used == 0


def test_vip_visits_used_is_read_as_given():
    assert facts_from_mapping({**REQUEST, "vip_visits_used": 1}, None).vip_visits_used == 1


@pytest.mark.parametrize("value", [-1, 0.5, 1.0, "1", [0], {"n": 1}, True, 100, 10 ** 30])
def test_vip_visits_used_that_is_not_a_whole_number_from_0_to_99_is_refused_in_both_languages(value):
    with pytest.raises(InvalidInput) as caught:
        facts_from_mapping({**REQUEST, "vip_visits_used": value}, None)
    assert (caught.value.code, caught.value.field) == ("invalid-vip-visits-used", "vip_visits_used")
    assert "0 to 99" in caught.value.en and "0 到 99 的整数" in caught.value.zh
