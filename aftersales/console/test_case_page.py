"""One case in the console: the header's status moves (and a stale page's conflict), which forms
each role is offered and which posts the door refuses, the timeline, and the report preview."""

from __future__ import annotations

import html
import subprocess

from aftersales.console.conftest import book, moved, signed_in
from aftersales.core import clock
from aftersales.core.testing import role_user
from aftersales.evidence.conftest import photo
from aftersales.repairs.diagnosis import damage_propose
from aftersales.repairs.evidence import case_evidence_add
from aftersales.repairs.models import Case, DamageDetermination
from aftersales.repairs.numbers import display


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(case, tail: str = "") -> str:
    return f"/console/cases/{case.number}/{tail}"


def test_the_header_offers_the_moves_the_table_allows_from_the_current_status(booked):
    page = text(signed_in("staff").get(url(booked)))
    assert display(booked.number) in page and "Booked" in page
    assert 'name="move-to" value="received"' in page and 'name="move-to" value="cancelled"' in page
    assert 'name="move-to" value="diagnosing"' not in page
    assert 'name="move-expected" value="booked"' in page


def test_a_status_button_moves_the_case_and_comes_back_to_it(booked):
    staff = signed_in("staff")
    response = staff.post(url(booked, "move/"), {"move-to": "received", "move-expected": "booked",
                                                 "move-note": "Arrived in its box."})
    assert response.status_code == 302 and response["Location"] == url(booked) + "#top"
    assert Case.objects.get(pk=booked.pk).status == "received"
    page = text(staff.get(url(booked)))
    assert "Case moved to “Received”." in page and "Arrived in its box." in page
    assert 'name="move-to" value="diagnosing"' in page


def test_a_stale_status_button_is_refused_with_the_case_changed_conflict_shown_at_the_moves(booked):
    # given a page showing the case as booked, and a colleague who received it meanwhile
    staff = signed_in("staff")
    staff.get(url(booked))
    moved(booked, "received")
    # when the stale page's "Cancelled" button is pressed
    response = staff.post(url(booked, "move/"), {"move-to": "cancelled", "move-expected": "booked"})
    # then nothing moves, and the conflict is told next to the buttons, over the case as it is now
    assert response.status_code == 409
    assert Case.objects.get(pk=booked.pk).status == "received"
    page = text(response)
    moves = page[page.index('class="moves"'):]
    assert "was moved to “Received” while you were working on it" in moves[:1500]
    assert "case-changed" in moves[:1500]
    assert 'name="move-expected" value="received"' in page
    assert 'name="move-to" value="diagnosing"' in page


def test_the_conflict_is_told_in_chinese_to_a_chinese_speaker(booked):
    staff = signed_in("staff")
    moved(booked, "received")
    response = staff.post(url(booked, "move/"), {"move-to": "cancelled", "move-expected": "booked"},
                          HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "在您操作期间已被改为“已收到”" in text(response)


def test_a_move_the_role_may_not_make_is_neither_offered_nor_accepted(booked):
    technician = signed_in("technician")
    page = text(technician.get(url(booked)))
    assert 'name="move-to" value="received"' not in page
    response = technician.post(url(booked, "move/"), {"move-to": "received", "move-expected": "booked"})
    assert response.status_code == 403
    assert Case.objects.get(pk=booked.pk).status == "booked"


def test_a_move_that_has_its_own_form_is_not_a_bare_button(diagnosing):
    staff = signed_in("staff")
    page = text(staff.get(url(diagnosing)))
    assert 'value="awaiting-customer"' not in page and 'href="?tab=quotation#quotation"' in page
    response = staff.post(url(diagnosing, "move/"), {"move-to": "awaiting-customer", "move-expected": "diagnosing"})
    assert response.status_code == 409 and "move-has-its-own-form" in text(response)


def test_leaving_diagnosis_without_a_finding_for_every_fault_is_refused_with_the_service_code(diagnosing):
    response = signed_in("staff").post(url(diagnosing, "move/"), {"move-to": "repairing",
                                                                  "move-expected": "diagnosing"})
    assert response.status_code == 409
    assert "findings-missing" in text(response) and "missing: fault 1, 2" in text(response)


def test_a_technician_is_offered_the_damage_proposal_but_not_the_decision(diagnosing):
    staff = role_user("staff", username="inspector", centres=[diagnosing.centre])
    damage_propose(number=diagnosing.number, code="liquid-damage", explanation="Corrosion on the board",
                   actor=staff, now=clock.now())
    technician = signed_in("technician")
    page = text(technician.get(url(diagnosing)))
    assert "Propose customer-induced damage" in page and "Corrosion on the board" in page
    assert "Decide this proposal" not in page and "/decide/" not in page
    staff_page = text(signed_in("staff", username="decider").get(url(diagnosing)))
    assert "Decide this proposal" in staff_page


def test_a_forged_damage_decision_from_a_technician_is_refused(diagnosing):
    proposal = damage_propose(number=diagnosing.number, code="liquid-damage", explanation="Corrosion",
                              actor=role_user("technician", username="proposer", centres=[diagnosing.centre]), now=clock.now())
    technician = signed_in("technician")
    response = technician.post(url(diagnosing, f"damage/{proposal.pk}/decide/"), {
        f"damage-{proposal.pk}-verdict": "confirm", f"damage-{proposal.pk}-note": "Looks wet"})
    assert response.status_code == 403
    assert DamageDetermination.objects.get(pk=proposal.pk).status == "proposed"


def test_a_decision_that_skips_the_customers_own_photos_is_refused_and_keeps_what_was_typed(diagnosing, media_root):
    own = case_evidence_add(case=diagnosing, kind="customer", upload=photo(), name="my-laptop.jpg", actor=None,
                       now=clock.now()).evidence
    proposal = damage_propose(number=diagnosing.number, code="liquid-damage", explanation="Corrosion",
                              actor=role_user("technician", username="proposer", centres=[diagnosing.centre]), now=clock.now())
    staff = signed_in("staff")
    key = f"damage-{proposal.pk}"
    page = text(staff.get(url(diagnosing)))
    assert "Customer's own photo" in page and "customer's own photo, must be considered" in page
    response = staff.post(url(diagnosing, f"damage/{proposal.pk}/decide/"), {
        f"{key}-verdict": "confirm", f"{key}-note": "Liquid marks inside."})
    assert response.status_code == 422
    page = text(response)
    assert "customer-evidence-ignored" in page and "Liquid marks inside." in page
    response = staff.post(url(diagnosing, f"damage/{proposal.pk}/decide/"), {
        f"{key}-verdict": "confirm", f"{key}-note": "Liquid marks inside.", f"{key}-considered": [own.pk]})
    assert response.status_code == 302
    assert DamageDetermination.objects.get(pk=proposal.pk).status == "confirmed"


def test_the_timeline_shows_every_event_and_marks_the_internal_ones(diagnosing):
    damage_propose(number=diagnosing.number, code="liquid-damage", explanation="Corrosion",
                   actor=role_user("technician", username="proposer", centres=[diagnosing.centre]), now=clock.now())
    page = text(signed_in("staff").get(url(diagnosing)))
    timeline = page[page.index('id="timeline"'):]
    assert "booked for S500SE" in timeline and "being diagnosed" in timeline
    internal = timeline[timeline.index("timeline__item--internal"):]
    assert "Damage proposed for review" in internal[:600] and "internal" in internal[:900]


def test_a_refusal_sent_by_htmx_comes_back_as_422_for_swapping(diagnosing):
    response = signed_in("staff").post(url(diagnosing, "faults/1/finding/"), {"finding-1-text": ""},
                                       HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert 'id="case"' in response.content.decode() and "unknown-outcome" in text(response)


def test_an_unknown_case_is_not_found(centres):
    assert signed_in("staff").get("/console/cases/R0000000000A/").status_code == 404


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def test_the_report_preview_is_a_pdf_in_the_customers_language_with_a_switch(centres, tmp_path):
    case = book(language="zh-hans")
    staff = signed_in("staff")
    response = staff.get(url(case, "report.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response.content.startswith(b"%PDF")
    assert "维修报告" in pdf_text(response.content, tmp_path)
    english = staff.get(url(case, "report.pdf"), {"lang": "en"})
    assert "Repair report" in pdf_text(english.content, tmp_path)
    page = text(staff.get(url(case)))
    assert f'{url(case, "report.pdf")}?lang=en' in page and "Report preview" in page
