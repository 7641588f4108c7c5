"""Coverage periods per product line, part group and manufacture date (seed 002), by worked example."""

import pytest

from aftersales.warranty.rules.conftest import D, decide_for


def test_a_home_desktop_cpu_is_a_major_part_covered_36_months_from_the_invoice():
    d = decide_for(line="home-desktop", part="cpu", purchased="2023-03-15", as_of="2026-03-14")
    assert (d.covered, d.starts_on, d.ends_on, d.basis, d.group) == (
        True, D("2023-03-15"), D("2026-03-14"), "invoice", "major")


def test_a_home_desktop_cpu_is_out_of_warranty_the_day_after_36_months():
    d = decide_for(line="home-desktop", part="cpu", purchased="2023-03-15", as_of="2026-03-15")
    assert not d.covered
    assert "period-ended" in d.reason_codes()


@pytest.mark.parametrize("part", ["fan", "optical-drive", "card-reader", "internal-cable", "other-board"])
def test_home_desktop_non_major_parts_get_12_months(part):
    d = decide_for(line="home-desktop", part=part, purchased="2024-01-20", as_of="2024-06-01")
    assert (d.group, d.months, d.ends_on) == ("non-major", 12, D("2025-01-19"))


def test_home_desktop_preinstalled_os_gets_12_months_and_bundled_software_3():
    os_ = decide_for(line="home-desktop", part="preinstalled-os", purchased="2024-02-01", as_of="2024-03-01")
    sw = decide_for(line="home-desktop", part="bundled-software", purchased="2024-02-01", as_of="2024-03-01")
    assert (os_.ends_on, sw.ends_on) == (D("2025-01-31"), D("2024-04-30"))


def test_home_desktop_keyboard_mouse_and_power_cord_are_accessories_with_12_months():
    for part in ("keyboard", "mouse", "power-cord"):
        d = decide_for(line="home-desktop", part=part, purchased="2024-02-01", as_of="2024-03-01")
        assert (d.group, d.months) == ("accessory", 12)


def test_a_rog_desktop_made_on_1_june_2019_has_36_months_for_the_whole_unit():
    d = decide_for(line="rog-desktop", part="fan", made="2019-06-01", purchased="2019-07-01", as_of="2024-06-01")
    assert (d.group, d.months, d.ends_on) == ("whole-unit", 36, D("2022-06-30"))


def test_a_rog_desktop_made_on_31_may_2019_has_12_months_whole_unit_and_36_for_major_parts():
    fan = decide_for(line="rog-desktop", part="fan", made="2019-05-31", purchased="2019-07-01", as_of="2024-06-01")
    gpu = decide_for(line="rog-desktop", part="gpu", made="2019-05-31", purchased="2019-07-01", as_of="2024-06-01")
    assert (fan.group, fan.ends_on) == ("whole-unit", D("2020-06-30"))
    assert (gpu.group, gpu.ends_on) == ("major", D("2022-06-30"))


def test_the_rog_major_parts_before_june_2019_are_the_home_desktop_major_parts():
    for part in ("cpu", "mainboard", "gpu", "memory", "hdd", "psu"):
        d = decide_for(line="rog-desktop", part=part, made="2018-01-01", purchased="2024-01-20",
                       as_of="2024-06-01")
        assert (d.group, d.months) == ("major", 36), part


def test_rog_preinstalled_os_gets_36_months_and_accessories_12():
    os_ = decide_for(line="rog-desktop", part="preinstalled-os", made="2023-01-01", purchased="2024-02-01",
                     as_of="2024-03-01")
    kb = decide_for(line="rog-desktop", part="keyboard", made="2023-01-01", purchased="2024-02-01",
                    as_of="2024-03-01")
    assert (os_.months, kb.months) == (36, 12)


def test_a_mini_pc_made_on_15_august_2019_has_36_months():
    d = decide_for(line="mini-pc", part="ssd", made="2019-08-15", as_of="2024-06-01")
    assert (d.months, d.ends_on, d.basis) == (36, D("2022-08-14"), "manufacture")


def test_a_mini_pc_made_on_14_august_2019_has_24_months_for_the_whole_unit():
    d = decide_for(line="mini-pc", part="ssd", made="2019-08-14", as_of="2024-06-01")
    assert (d.months, d.ends_on) == (24, D("2021-08-13"))


def test_nuc_whole_unit_and_preinstalled_os_get_36_months():
    for part in ("cpu", "memory", "hdd", "preinstalled-os"):
        d = decide_for(line="nuc", part=part, purchased="2024-01-20", as_of="2024-06-01")
        assert d.months == 36 and d.covered, part


def test_aio_whole_unit_including_the_power_adapter_gets_24_months():
    d = decide_for(line="aio", part="power-adapter", purchased="2024-01-20", as_of="2024-06-01")
    assert (d.group, d.months, d.ends_on) == ("whole-unit", 24, D("2026-01-19"))


def test_aio_wall_mount_remote_and_speakers_are_accessories_with_12_months():
    for part in ("wall-mount", "remote", "speaker"):
        d = decide_for(line="aio", part=part, purchased="2024-01-20", as_of="2024-06-01")
        assert (d.group, d.months) == ("accessory", 12)


def test_ancillaries_have_no_warranty_period_on_any_line():
    for line in ("rog-desktop", "home-desktop", "aio", "mini-pc", "nuc", "notebook"):
        d = decide_for(line=line, part="ancillary", purchased="2024-05-01", as_of="2024-05-01")
        assert not d.covered, line
        assert d.reason_codes()[0] == "no-coverage-period"
        assert d.ends_on == D("2024-04-30")


def test_a_notebook_sold_in_north_america_has_12_months_for_the_whole_unit():
    d = decide_for(line="notebook", part="battery", purchased="2024-06-10", as_of="2025-06-09")
    assert (d.covered, d.months, d.ends_on, d.pack) == (True, 12, D("2025-06-09"), "na-notebook@2026.11.30")


def test_without_a_valid_invoice_the_period_starts_on_the_manufacture_date():
    d = decide_for(line="home-desktop", part="cpu", made="2022-09-30", as_of="2024-06-01")
    assert (d.basis, d.starts_on, d.ends_on) == ("manufacture", D("2022-09-30"), D("2025-09-29"))
    assert "basis-manufacture" in d.reason_codes()


def test_with_a_valid_invoice_the_period_starts_on_the_invoice_date():
    d = decide_for(line="home-desktop", part="cpu", made="2022-09-30", purchased="2023-01-05", as_of="2024-06-01")
    assert (d.basis, d.starts_on) == ("invoice", D("2023-01-05"))
    assert "basis-invoice" in d.reason_codes()


def test_every_decision_records_the_pack_version_and_the_clauses_it_applied():
    d = decide_for(line="rog-desktop", part="cpu", made="2023-01-01", purchased="2023-02-01", as_of="2024-06-01")
    assert d.pack == "cn-desktop@2026.11.30"
    assert d.clauses[:2] == ("rog-2019", "start-date")
    assert all(r.clause for r in d.reasons)


def test_every_reason_explains_itself_in_english_and_chinese():
    d = decide_for(line="aio", part="battery", made="2023-05-01", purchased="2023-06-10", as_of="2024-03-01",
                   registered="2023-06-20", exclusions=["battery-wear"])
    for r in d.reasons:
        assert r.en and r.zh and r.en != r.zh
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.zh)
