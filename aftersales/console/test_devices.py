"""Console device pages: finding a device, paging the registry, deciding with inspection findings."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client

from aftersales.console.devices import devices_page
from aftersales.core.testing import device_made, role_user


@pytest.fixture
def staff(registry):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(role_user("staff"))
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_full_serial_opens_the_device_page(staff):
    response = staff.get("/console/devices/", {"q": "hd000001"})
    assert response.status_code == 302 and response["Location"] == "/console/devices/HD000001/"


def test_the_device_page_shows_the_registry_facts_and_the_terms_in_force(staff):
    page = text(staff.get("/console/devices/HD000001/"))
    assert "S500SE" in page and "Home desktop" in page and "2024-03-01" in page and "Mainland China" in page
    assert "Desktop and all-in-one warranty terms — Greater China (2026-11-30)" in page
    assert "400-600-6655" in page and "cn-desktop" not in page


def test_the_exclusion_boxes_are_the_devices_own_terms(staff):
    desktop = text(staff.get("/console/devices/HD000001/"))
    notebook = text(staff.get("/console/devices/NB000001/"))
    assert 'value="software-service"' in desktop and 'value="software-service"' not in notebook
    assert 'value="battery-wear"' in notebook and 'value="battery-wear"' not in desktop


def test_an_exclusion_found_on_inspection_makes_the_repair_not_covered_and_cites_its_clause(staff):
    response = staff.post("/console/devices/HD000001/", {"part": "mainboard", "exclusions": ["liquid-damage"]})
    page = text(response)
    assert response.status_code == 200
    assert "Not covered by warranty" in page and "Inspection found liquid damage" in page
    assert "excl-accident" in page


def test_lcd_dots_beyond_the_tolerance_qualify_the_panel_for_replacement(staff):
    response = staff.post("/console/devices/AI000001/", {
        "part": "lcd-panel", "lcd_bright": "4", "lcd_dark": "0",
        "lcd_distance_cm": "35", "lcd_temperature_c": "25", "lcd_lux": "400"})
    page = text(response)
    assert "Covered by warranty" in page and "4 bright and 0 dark dots" in page


def test_lcd_dots_for_a_part_that_is_not_a_panel_are_refused_next_to_the_dot_count(staff):
    response = staff.post("/console/devices/AI000001/", {"part": "cpu", "lcd_bright": "4"})
    page = text(response)
    assert response.status_code == 422
    assert "lcd-not-applicable" in page[page.index('id="id_lcd_bright_error"'):][:600]


def test_an_earlier_warranty_repair_keeps_the_same_fault_covered(staff):
    # the fan's 12 months (from March 2024) end on 2025-02-28; it was repaired under warranty on 2025-02-20
    response = staff.post("/console/devices/HD000001/", {"part": "fan", "last_repair_on": "2025-02-20",
                                                         "as_of": "2025-05-01"})
    page = text(response)
    assert "Covered by warranty" in page and "repaired under warranty on 2025-02-20" in page


def test_a_chain_of_warranty_repairs_keeps_the_same_fault_covered_from_the_last_one(staff):
    # repaired on 2025-02-20 (covered to 2025-05-19), then on 2025-05-10: covered to 2025-08-09
    response = staff.post("/console/devices/HD000001/", {"part": "fan", "repairs_on": "2025-02-20, 2025-05-10"})
    page = text(response)
    assert "Covered by warranty" in page and "2 times, most recently on 2025-05-10" in page


def test_a_repair_after_the_cover_ended_is_refused_next_to_the_repair_date(staff):
    response = staff.post("/console/devices/HD000001/", {"part": "fan", "last_repair_on": "2025-04-20"})
    page = text(response)
    assert response.status_code == 422
    assert "repair-not-under-warranty" in page[page.index('id="id_last_repair_on_error"'):][:800]


def test_an_unknown_device_page_is_not_found(staff):
    assert staff.get("/console/devices/NOPE0000/").status_code == 404


def test_keyset_pages_walk_the_registry_forwards_and_back_without_gaps_or_repeats(registry):
    for n in range(7):
        device_made(f"ZZ{n:04d}", "nuc", dt.date(2024, 1, 1), "CN")
    seen, after, pages = [], "", []
    while True:
        rows, before, after = devices_page(prefix="ZZ", after=after, size=3)
        pages.append((rows, before))
        seen += [d.serial for d in rows]
        if after is None:
            break
    assert seen == [f"ZZ{n:04d}" for n in range(7)]
    assert pages[0][1] is None
    # back from the last page
    rows, before, after = devices_page(prefix="ZZ", before=pages[-1][1], size=3)
    assert [d.serial for d in rows] == ["ZZ0003", "ZZ0004", "ZZ0005"]
    assert after == "ZZ0005"


def test_the_device_list_filters_by_line_and_region(staff):
    page = text(staff.get("/console/devices/", {"line": "notebook"}))
    assert "NB000001" in page and "HD000001" not in page
    page = text(staff.get("/console/devices/", {"region": "CN"}))
    assert "NB000001" not in page and "AI000001" in page and "HD000001" in page


def test_the_pack_list_shows_versions_dates_lines_and_regions(staff):
    page = text(staff.get("/console/packs/"))
    assert "Desktop and all-in-one warranty terms — Greater China" in page and "2026.11.30" in page
    assert "Notebook limited warranty — United States and Canada" in page
    assert "in force" in page and "Mini PC" in page and "Taiwan" in page


def test_an_invoice_date_in_the_year_9999_is_refused_next_to_the_invoice_date(staff):
    response = staff.post("/console/devices/HD000001/", {"part": "cpu", "purchased_on": "9999-01-01"})
    page = text(response)
    assert response.status_code == 422
    near = page[page.index('id="id_purchased_on_error"'):][:800]
    assert "9999-01-01" in near and "2000-01-01 to 2099-12-31" in near


def test_a_device_registered_with_a_manufacture_date_in_the_year_9999_is_shown_and_refused_plainly(staff):
    # given a registry row written before the registry refused such dates
    device_made("ZZ999999", "home-desktop", dt.date(9999, 1, 1), "CN")
    # when staff open it and ask for a decision
    shown = staff.get("/console/devices/ZZ999999/")
    asked = staff.post("/console/devices/ZZ999999/", {"part": "cpu"})
    # then the page shows, and the decision is refused in words, not with a server error
    assert shown.status_code == 200
    assert asked.status_code == 422 and "The manufacture date 9999-01-01 is outside the dates we accept" in text(asked)
