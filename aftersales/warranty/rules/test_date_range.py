"""The dates the product accepts, 2000-01-01 through 2099-12-31 (docs/policy-packs.md): the rules
refuse any other, whichever field gives it, before they count a period from it."""

import dataclasses
import datetime as dt

import pytest

from aftersales.warranty.rules.conftest import PACKS, D, decide_for, facts
from aftersales.warranty.rules.engine import decide
from aftersales.warranty.rules.facts import InvalidInput


def refused(f) -> InvalidInput:
    with pytest.raises(InvalidInput) as err:
        decide(f, PACKS)
    return err.value


@pytest.mark.parametrize("field, day", [
    ("manufactured_on", dt.date(9999, 1, 1)), ("manufactured_on", dt.date(1, 1, 1)),
    ("purchased_on", dt.date(9999, 12, 31)), ("registered_on", dt.date(2100, 1, 1)),
    ("shipped_on", dt.date(1999, 12, 31)), ("last_repair_on", dt.date(9999, 1, 1)), ("as_of", dt.date(9999, 1, 1)),
])
def test_a_date_outside_the_accepted_years_is_refused_naming_its_field(field, day):
    err = refused(dataclasses.replace(facts("home-desktop", "cpu"), **{field: day}))
    assert (err.code, err.field) == ("date-out-of-range", field)
    assert day.isoformat() in err.en and "2000-01-01" in err.en and "2099-12-31" in err.en
    assert day.isoformat() in err.zh and "超出可受理的日期范围" in err.zh


def test_an_earlier_repair_in_the_year_9999_is_refused_as_outside_the_accepted_dates():
    err = refused(dataclasses.replace(facts("home-desktop", "fan"), repairs_on=(D("2023-06-01"), D("9999-01-01"))))
    assert (err.code, err.field) == ("date-out-of-range", "repairs_on")
    assert "An earlier repair date 9999-01-01" in err.en


def test_a_product_made_on_the_first_accepted_day_is_decided_to_the_last_accepted_day():
    # given a notebook SSD made and bought on 2000-01-01, asked about on 2099-12-31: both ends accepted
    d = decide_for(line="notebook", part="ssd", made="2000-01-01", purchased="2000-01-01", as_of="2099-12-31")
    # then it is decided (long out of warranty), not refused
    assert (d.covered, d.starts_on) == (False, D("2000-01-01"))
