"""Questions the engine refuses, each with a code and a message in English and Chinese."""

import pytest

from aftersales.warranty.rules.conftest import decide_for
from aftersales.warranty.rules.facts import DecisionError


def refusal(**kwargs) -> DecisionError:
    with pytest.raises(DecisionError) as err:
        decide_for(**kwargs)
    assert err.value.en and err.value.zh
    return err.value


def test_an_invoice_dated_before_manufacture_is_refused():
    e = refusal(made="2024-02-01", purchased="2024-01-01")
    assert (e.code, e.field) == ("date-order", "purchased_on")


def test_deciding_for_a_day_before_the_warranty_starts_is_refused():
    e = refusal(purchased="2024-05-01", as_of="2024-04-30")
    assert (e.code, e.field) == ("date-order", "as_of")


def test_a_repair_date_after_the_decision_date_is_refused():
    e = refusal(purchased="2024-01-01", repaired="2024-07-01", as_of="2024-06-01")
    assert e.field == "last_repair_on"


def test_a_registration_before_purchase_is_refused():
    e = refusal(line="aio", part="battery", purchased="2024-01-10", registered="2024-01-09")
    assert e.field == "registered_on"


def test_an_lcd_panel_is_not_part_of_the_home_desktop_terms_and_the_answer_says_why():
    e = refusal(line="home-desktop", part="lcd-panel")
    assert e.code == "part-not-applicable"
    assert "monitor" in e.en and "显示器" in e.zh


def test_a_battery_is_not_part_of_a_nuc():
    assert refusal(line="nuc", part="battery").code == "part-not-applicable"


def test_a_decision_date_before_any_pack_took_effect_has_no_pack():
    e = refusal(line="home-desktop", made="2009-01-01", as_of="2010-12-31")
    assert e.code == "no-policy-pack"


def test_a_notebook_sold_in_mainland_china_has_no_pack():
    assert refusal(line="notebook", sold_in="CN").code == "no-policy-pack"


def test_an_unknown_part_code_is_refused():
    assert refusal(part="flux-capacitor").code == "unknown-part"


def test_an_unknown_region_code_is_refused():
    assert refusal(sold_in="JP").code == "unknown-region"
