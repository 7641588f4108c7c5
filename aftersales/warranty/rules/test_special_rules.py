"""Battery registration, post-repair cover, region, exclusions, LCD pixels and on-site service."""

import pytest

from aftersales.warranty.rules.conftest import D, decide_for
from aftersales.warranty.rules.facts import DecisionError, LcdInspection


# --- AIO battery -------------------------------------------------------------------------------
def test_an_aio_battery_is_covered_six_months_from_sale_when_not_registered():
    d = decide_for(line="aio", part="battery", purchased="2024-01-10", as_of="2024-05-01")
    assert (d.months, d.ends_on) == (6, D("2024-07-09"))
    assert "battery-unregistered" in d.reason_codes()


def test_an_aio_battery_registered_within_a_month_of_purchase_gets_twelve_months():
    d = decide_for(line="aio", part="battery", purchased="2024-01-10", registered="2024-02-09", as_of="2024-10-01")
    assert (d.covered, d.months, d.ends_on) == (True, 12, D("2025-01-09"))
    assert "battery-registered" in d.reason_codes()


def test_registering_the_day_after_the_one_month_window_keeps_six_months():
    d = decide_for(line="aio", part="battery", purchased="2024-01-10", registered="2024-02-10", as_of="2024-05-01")
    assert d.months == 6
    assert "battery-registered-late" in d.reason_codes()


def test_the_registration_window_from_31_january_ends_on_the_last_day_of_the_one_month_period():
    in_time = decide_for(line="aio", part="battery", purchased="2024-01-31", registered="2024-02-28", as_of="2024-03-01")
    late = decide_for(line="aio", part="battery", purchased="2024-01-31", registered="2024-02-29", as_of="2024-03-01")
    assert (in_time.months, late.months) == (12, 6)


def test_a_battery_wear_finding_takes_the_battery_out_of_free_service():
    d = decide_for(line="aio", part="battery", purchased="2024-01-10", as_of="2024-03-01", exclusions=["battery-wear"])
    assert not d.covered
    assert "battery-wear" in d.reason_codes()
    assert "excl-battery" in d.clauses


# --- the same fault after a warranty repair (post-repair rules: test_repairs.py) -----------------
def test_a_fault_repaired_near_the_end_stays_covered_three_months_from_the_repair():
    d = decide_for(line="home-desktop", part="fan", purchased="2023-06-01", repaired="2024-05-20", as_of="2024-08-19")
    assert (d.covered, d.ends_on) == (True, D("2024-08-19"))
    assert "post-repair-extension" in d.reason_codes()
    assert "post-repair" in d.clauses


def test_a_repair_with_more_than_three_months_left_does_not_change_the_end():
    d = decide_for(line="home-desktop", part="cpu", purchased="2023-06-01", repaired="2024-01-10", as_of="2024-06-01")
    assert d.ends_on == D("2026-05-31")
    assert "post-repair-extension" not in d.reason_codes()


def test_the_post_repair_cover_ends_three_months_after_the_repair():
    d = decide_for(line="home-desktop", part="fan", purchased="2023-06-01", repaired="2024-05-20", as_of="2024-08-20")
    assert not d.covered


# --- region ----------------------------------------------------------------------------------
def test_a_desktop_bought_in_mainland_china_is_not_serviced_in_hong_kong():
    d = decide_for(line="home-desktop", part="cpu", sold_in="CN", service_in="HK", purchased="2024-01-01")
    assert not d.covered
    assert "region-mismatch" in d.reason_codes()
    assert "region" in d.clauses


@pytest.mark.parametrize("sold, serviced", [("HK", "CN"), ("TW", "MO"), ("MO", "HK")])
def test_hong_kong_macau_and_taiwan_are_separate_service_regions(sold, serviced):
    d = decide_for(line="aio", part="cpu", sold_in=sold, service_in=serviced, purchased="2024-01-01")
    assert not d.covered


def test_a_desktop_is_serviced_in_the_region_where_it_was_bought():
    d = decide_for(line="aio", part="cpu", sold_in="HK", service_in="HK", purchased="2024-01-01")
    assert d.covered


def test_a_notebook_bought_in_the_united_states_is_serviced_in_canada():
    d = decide_for(line="notebook", part="ssd", sold_in="US", service_in="CA", purchased="2024-06-01",
                   as_of="2024-12-01")
    assert d.covered


def test_a_notebook_bought_in_the_united_states_is_not_serviced_in_mainland_china():
    d = decide_for(line="notebook", part="ssd", sold_in="US", service_in="CN", purchased="2024-06-01",
                   as_of="2024-12-01")
    assert not d.covered and "region-mismatch" in d.reason_codes()


# --- exclusions --------------------------------------------------------------------------------
@pytest.mark.parametrize("code, clause", [
    ("liquid-damage", "excl-accident"), ("physical-damage", "excl-accident"),
    ("unauthorised-repair", "excl-self-repair"), ("unauthorised-modification", "excl-modification"),
    ("tampered-label", "excl-label"), ("virus", "excl-virus"), ("user-software", "excl-user-software"),
    ("external-power", "excl-power"), ("cosmetic-only", "excl-cosmetic"), ("unlock-tool", "excl-unlock"),
    ("no-valid-proof", "excl-proof"),
])
def test_an_exclusion_found_on_inspection_makes_the_repair_paid_and_cites_its_clause(code, clause):
    d = decide_for(line="home-desktop", part="mainboard", purchased="2024-01-01", exclusions=[code])
    assert not d.covered
    reason = next(r for r in d.reasons if r.code == code)
    assert reason.clause == clause and clause in d.clauses
    assert "Inspection found" in reason.en and "检测发现" in reason.zh


def test_an_exclusion_no_terms_of_the_line_name_is_refused_not_guessed():
    with pytest.raises(DecisionError) as err:
        decide_for(line="notebook", part="ssd", purchased="2024-06-01", as_of="2024-12-01",
                   exclusions=["contamination"])
    assert (err.value.code, err.value.field) == ("exclusion-not-applicable", "exclusions")


def test_nuc_exclusions_cite_the_nuc_clauses():
    d = decide_for(line="nuc", part="cpu", exclusions=["contamination"])
    assert "nuc-excl-l" in d.clauses and not d.covered


# --- LCD pixels ---------------------------------------------------------------------------------
def test_four_bright_dots_on_an_aio_panel_qualify_for_replacement():
    d = decide_for(line="aio", part="lcd-panel", purchased="2024-01-01", bright=4, dark=0)
    assert d.covered and "lcd-beyond-tolerance" in d.reason_codes()


def test_six_dark_dots_qualify_for_replacement():
    d = decide_for(line="aio", part="lcd-panel", purchased="2024-01-01", bright=0, dark=6)
    assert d.covered


def test_three_bright_and_five_dark_dots_are_within_tolerance_and_not_replaced():
    d = decide_for(line="aio", part="lcd-panel", purchased="2024-01-01", bright=3, dark=5)
    assert not d.covered
    reason = next(r for r in d.reasons if r.code == "lcd-within-tolerance")
    assert "30 cm" in reason.en and "300–500 lux" in reason.en and "30 厘米" in reason.zh


def test_dots_beyond_tolerance_after_the_warranty_period_are_not_covered():
    d = decide_for(line="aio", part="lcd-panel", made="2020-12-01", purchased="2021-01-01", bright=9, dark=9)
    assert not d.covered and "period-ended" in d.reason_codes()


def test_a_dot_count_taken_too_close_to_the_screen_is_refused():
    with pytest.raises(DecisionError) as err:
        decide_for(line="aio", part="lcd-panel", purchased="2024-01-01", bright=4, dark=0,
                   inspection=LcdInspection(distance_cm=20, temperature_c=25, lux=400))
    assert err.value.code == "lcd-inspection-conditions"


def test_a_dot_count_taken_under_the_stated_conditions_is_accepted():
    d = decide_for(line="aio", part="lcd-panel", purchased="2024-01-01", bright=4, dark=0,
                   inspection=LcdInspection(distance_cm=30, temperature_c=40, lux=300))
    assert d.covered


def test_dot_counts_only_apply_to_an_lcd_panel():
    with pytest.raises(DecisionError) as err:
        decide_for(line="aio", part="cpu", purchased="2024-01-01", bright=4, dark=0)
    assert err.value.code == "lcd-not-applicable"


# --- on-site -----------------------------------------------------------------------------------
def test_a_home_desktop_made_in_2015_has_24_months_of_on_site_service_for_major_parts():
    d = decide_for(line="home-desktop", part="cpu", made="2015-06-01", purchased="2015-07-01", as_of="2017-06-01")
    assert d.onsite_ends_on == D("2017-06-30")


def test_a_home_desktop_made_on_20_march_2014_keeps_36_months_of_on_site_service():
    d = decide_for(line="home-desktop", part="cpu", made="2014-03-20", purchased="2014-04-01", as_of="2016-06-01")
    assert d.onsite_ends_on == D("2017-03-31")


def test_a_home_desktop_made_on_21_march_2014_has_24_months_of_on_site_service():
    d = decide_for(line="home-desktop", part="cpu", made="2014-03-21", purchased="2014-04-01", as_of="2016-06-01")
    assert d.onsite_ends_on == D("2016-03-31")


def test_on_site_repair_is_offered_while_the_part_is_covered_and_the_on_site_period_runs():
    d = decide_for(line="home-desktop", part="psu", made="2023-01-01", purchased="2023-02-01", as_of="2024-06-01")
    assert (d.onsite_eligible, d.onsite_ends_on) == (True, D("2026-01-31"))
    assert "onsite-available" in d.reason_codes()


def test_a_home_desktop_made_in_2015_is_carried_in_after_its_on_site_period():
    d = decide_for(line="home-desktop", part="cpu", made="2015-06-01", purchased="2015-07-01", as_of="2017-08-01")
    assert d.covered and not d.onsite_eligible
    assert "onsite-ended" in d.reason_codes()


def test_on_site_service_never_outlasts_the_part_warranty():
    d = decide_for(line="aio", part="battery", purchased="2024-01-10", as_of="2024-05-01")
    assert d.onsite_ends_on == d.ends_on == D("2024-07-09")


def test_an_aio_without_an_invoice_counts_on_site_service_from_the_ship_date():
    d = decide_for(line="aio", part="mainboard", made="2023-01-01", shipped="2023-03-01", as_of="2024-06-01")
    assert d.starts_on == D("2023-01-01")
    assert d.onsite_ends_on == D("2024-12-31")  # capped by the warranty, which runs from manufacture
    d2 = decide_for(line="aio", part="keyboard", made="2023-01-01", shipped="2023-03-01", as_of="2023-06-01")
    assert d2.onsite_ends_on == D("2023-12-31")


def test_a_nuc_has_no_on_site_service():
    d = decide_for(line="nuc", part="cpu", purchased="2024-01-01")
    assert (d.covered, d.onsite_eligible, d.onsite_ends_on) == (True, False, None)
    assert "onsite-not-offered" in d.reason_codes()


def test_a_mini_pc_preinstalled_system_has_on_site_service():
    d = decide_for(line="mini-pc", part="preinstalled-os", made="2023-01-01", purchased="2023-02-01")
    assert d.onsite_eligible


def test_an_excluded_fault_gets_no_free_on_site_visit():
    d = decide_for(line="home-desktop", part="cpu", purchased="2024-01-01", exclusions=["liquid-damage"])
    assert not d.onsite_eligible and "onsite-not-covered" in d.reason_codes()
