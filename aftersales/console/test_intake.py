"""Booking a repair at the counter."""

from __future__ import annotations

import html

from aftersales.console.conftest import signed_in
from aftersales.repairs.models import Case

FILLED = {"centre": "sh-01", "kind": "carry-in", "customer_name": "Wang Fang", "email": "",
          "phone": "139 0000 1111", "language": "zh-hans", "serial": "hd000001", "purchased_on": "2024-04-02",
          "operating_system": "Windows 11", "bios_version": "0412",
          "symptoms": "No picture on the screen\n\nClicking noise from the disk\n",
          "preference": "own-device", "ack_data_loss": "on", "ack_passwords": "on", "ack_peripherals": "on"}


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_counter_intake_books_a_case_with_one_fault_per_line(centres):
    staff = signed_in("staff", centre=centres["sh"])
    response = staff.post("/console/cases/new/", FILLED)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/console/cases/{case.number}/"
    assert (case.centre.code, case.serial, case.language, case.status) == ("sh-01", "HD000001", "zh-hans", "booked")
    assert [s.text for s in case.symptoms.all()] == ["No picture on the screen", "Clicking noise from the disk"]
    # booked by staff for the customer: the staff member is the actor, not the case's owner
    assert case.customer is None
    assert case.events.get(kind="booked").actor == staff.user
    assert "booked." in text(staff.get(response["Location"]))


def test_the_intake_form_starts_at_the_users_own_centre(centres):
    page = signed_in("staff", centre=centres["us"]).get("/console/cases/new/").content.decode()
    assert '<option value="us-01" selected>' in page


def test_a_missing_acknowledgement_is_refused_next_to_it_and_nothing_typed_is_lost(centres):
    staff = signed_in("staff")
    response = staff.post("/console/cases/new/", {**FILLED, "ack_passwords": ""})
    assert response.status_code == 422
    page = text(response)
    confirms = page[page.index("The customer confirms"):]
    assert "missing-acknowledgement" in confirms[:2500]
    assert 'value="Wang Fang"' in page and "Clicking noise from the disk" in page
    assert not Case.objects.exists()


def test_an_unknown_serial_is_refused_at_the_serial(centres):
    response = signed_in("staff").post("/console/cases/new/", {**FILLED, "serial": "XX404"})
    assert response.status_code == 422
    page = text(response)
    assert "unknown-serial" in page[page.index('id="id_serial"'):][:1200]


def test_a_technician_does_not_book_repairs(centres):
    technician = signed_in("technician")
    assert technician.get("/console/cases/new/").status_code == 403
    assert technician.post("/console/cases/new/", FILLED).status_code == 403
    assert not Case.objects.exists()


def test_a_purchase_date_in_the_year_9999_is_refused_and_books_nothing(centres):
    staff = signed_in("staff", centre=centres["sh"])
    response = staff.post("/console/cases/new/", {**FILLED, "purchased_on": "9999-01-01"})
    assert response.status_code in (400, 422)
    assert "9999-01-01" in text(response) and "2099-12-31" in text(response)
    assert not Case.objects.exists()
