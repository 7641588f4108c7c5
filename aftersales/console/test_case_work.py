"""A case worked through the console's forms, as staff do it: findings, tests, the warranty
decision, a quotation drafted, verified and sent, evidence, the repair and the return. Every
step goes through its service; the pages only validate, call and show."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest

from aftersales.billing.models import PartPrice, Quotation, QuotationStatus
from aftersales.console.conftest import book, moved, signed_in
from aftersales.core import clock
from aftersales.evidence.conftest import pdf, photo
from aftersales.evidence.models import Evidence
from aftersales.repairs.diagnosis import finding_record, part_decide
from aftersales.repairs.models import Case, CaseEvent, PartDecision, PartUsage, Shipment
from aftersales.repairs.returns import follow_up_open
from aftersales.repairs.testing import drive


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(case, tail: str = "") -> str:
    return f"/console/cases/{case.number}/{tail}"


@pytest.fixture
def fan_price(registry):
    return PartPrice.objects.create(part="fan", product_line="home-desktop", region="CN", price=Decimal("80.00"),
                                    currency="CNY", valid_from=dt.date(2024, 1, 1))


FAN_LINE = {"line-0-service": "part-replacement", "line-0-part": "fan",
            "line-0-text_en": "Replace the worn fan: its bearing grinds.", "line-0-text_zh": "更换磨损的风扇：轴承异响。"}


def quotation_post(**extra) -> dict:
    return {"line-TOTAL_FORMS": "2", "line-INITIAL_FORMS": "0", "line-MIN_NUM_FORMS": "0",
            "line-MAX_NUM_FORMS": "20", "quote-explanation": "", "quote-unit_infeasible_reason": "",
            **FAN_LINE, **extra}


def test_staff_record_findings_decide_a_part_and_draft_and_send_a_quotation(diagnosing, fan_price):
    staff = signed_in("staff")
    # the findings, one per reported fault
    for position, found in ((1, "Loose power connector, reseated."), (2, "The fan bearing is worn.")):
        response = staff.post(url(diagnosing, f"faults/{position}/finding/"), {
            f"finding-{position}-text": found, f"finding-{position}-outcome": "confirmed",
            f"finding-{position}-part": "fan" if position == 2 else ""})
        assert response.status_code == 302 and response["Location"] == url(diagnosing) + f"?tab=diagnosis#fault-{position}"
    page = text(staff.get(url(diagnosing)))
    assert "Finding saved for fault 2." in page and "The fan bearing is worn." in page
    assert 'name="decide-part" value="fan"' in page
    # the warranty decision for the faulty part: the fan's 12 months ended in February
    response = staff.post(url(diagnosing, "warranty/"), {"decide-part": "fan"})
    assert response.status_code == 302
    assert PartDecision.objects.get(case=diagnosing, part="fan").covered is False
    page = text(staff.get(url(diagnosing)))
    warranty = page[page.index('id="warranty"'):page.index('id="damage"')]
    assert "Fan" in warranty and "Not covered" in warranty and "cn-desktop@" not in warranty
    assert "Desktop and all-in-one warranty terms — Greater China (2026-11-30)" in warranty
    # a quotation from the lists: ready to send without a verifier
    response = staff.post(url(diagnosing, "quotations/"), quotation_post())
    assert response.status_code == 302 and response["Location"].endswith("#quotation")
    quotation = Quotation.objects.get(case=diagnosing)
    assert quotation.status == QuotationStatus.READY
    assert [(line.part, line.labour, line.parts) for line in quotation.lines.all()] == [
        ("fan", Decimal("50.00"), Decimal("80.00"))]
    page = text(staff.get(url(diagnosing)))
    assert "Replace the worn fan: its bearing grinds." in page and "130.00" in page
    # sent to the customer: the case waits for their answer
    response = staff.post(url(diagnosing, f"quotations/{quotation.pk}/send/"), {})
    assert response.status_code == 302
    assert Case.objects.get(pk=diagnosing.pk).status == "awaiting-customer"
    assert Quotation.objects.get(pk=quotation.pk).status == QuotationStatus.SENT
    assert CaseEvent.objects.filter(case=diagnosing, kind="quotation-sent").exists()


CLEANING_ROW = {"service": "deep-cleaning", "text_en": "Clean the dust out once the new fan is in.",
                "text_zh": "换上新风扇后清除灰尘。"}


def test_a_line_drafted_on_the_form_may_need_another_counted_among_the_lines_sent(diagnosing, fan_price):
    # given a form with an empty second row and, on the third, a cleaning that needs the fan (line 1)
    staff = signed_in("staff")
    third = {f"line-2-{k}": v for k, v in CLEANING_ROW.items()} | {"line-2-needs": "1"}
    response = staff.post(url(diagnosing, "quotations/"), quotation_post(**{"line-TOTAL_FORMS": "3", **third}))
    # then the quotation has two lines, the second needing the first
    assert response.status_code == 302
    quotation = Quotation.objects.get(case=diagnosing)
    assert [(line.position, line.service, line.needs) for line in quotation.lines.all()] == [
        (1, "part-replacement", None), (2, "deep-cleaning", 1)]
    assert "Only together with line 1" in text(staff.get(url(diagnosing)))


def test_a_line_that_needs_an_empty_row_is_refused_on_its_row(diagnosing, fan_price):
    staff = signed_in("staff")
    third = {f"line-2-{k}": v for k, v in CLEANING_ROW.items()} | {"line-2-needs": "2"}
    response = staff.post(url(diagnosing, "quotations/"), quotation_post(**{"line-TOTAL_FORMS": "3", **third}))
    assert response.status_code == 422
    page = text(response)
    assert "needs-unknown-line" in page and "Line 2 is empty" in page
    assert not Quotation.objects.filter(case=diagnosing).exists()


def test_a_refused_quotation_line_is_shown_on_its_row_with_what_was_typed(diagnosing, fan_price):
    staff = signed_in("staff")
    response = staff.post(url(diagnosing, "quotations/"), quotation_post(**{
        "line-1-service": "part-replacement", "line-1-part": "keyboard", "line-1-cosmetic": "on",
        "line-1-text_en": "Replace the scratched keyboard.", "line-1-text_zh": "更换有划痕的键盘。",
        "line-1-parts": "60.00"}))
    assert response.status_code == 422
    page = text(response)
    second = page[page.index('id="id_line-1-service"') - 2500:page.index('id="id_line-1-service"')]
    assert "cosmetic-not-quotable" in second and "Line 2 is cosmetic" in second
    assert "Replace the scratched keyboard." in page and 'value="60.00"' in page
    assert not Quotation.objects.filter(case=diagnosing).exists()


def test_a_quotation_off_the_list_waits_for_a_verifier_who_is_not_its_author(diagnosing, fan_price):
    author = signed_in("staff")
    response = author.post(url(diagnosing, "quotations/"), quotation_post(**{
        "line-0-parts": "95.00", "quote-explanation": "The listed fan is sold out; the next model up fits."}))
    assert response.status_code == 302
    quotation = Quotation.objects.get(case=diagnosing)
    assert quotation.status == QuotationStatus.AWAITING_VERIFICATION
    page = text(author.get(url(diagnosing)))
    assert "Needs a verifier because:" in page and "the part price differs from the price list" in page
    assert "Send to the customer" not in page and "Verify this quotation" not in page
    forged = author.post(url(diagnosing, f"quotations/{quotation.pk}/send/"), {})
    assert forged.status_code == 409 and "not-ready" in text(forged)
    verifier = signed_in("verifier")
    page = text(verifier.get(url(diagnosing)))
    assert "Verify this quotation" in page
    key = f"verify-{quotation.pk}"
    response = verifier.post(url(diagnosing, f"quotations/{quotation.pk}/verify/"), {f"{key}-verdict": "approve"})
    assert response.status_code == 422 and "missing-field" in text(response)
    response = verifier.post(url(diagnosing, f"quotations/{quotation.pk}/verify/"), {
        f"{key}-verdict": "approve", f"{key}-note": "Checked the supplier's price."})
    assert response.status_code == 302
    assert Quotation.objects.get(pk=quotation.pk).status == QuotationStatus.READY
    assert "Send to the customer" in text(author.get(url(diagnosing)))


def test_a_diagnosis_test_is_recorded_against_a_fault(diagnosing):
    staff = signed_in("staff")
    response = staff.post(url(diagnosing, "tests/"), {"test-name": "Fan spin-up", "test-result": "failed",
                                                      "test-symptom": "2", "test-details": "Grinds at 1200 rpm"})
    assert response.status_code == 302
    run = diagnosing.tests.get()
    assert (run.stage, run.passed, run.symptom.position) == ("diagnosis", False, 2)
    page = text(staff.get(url(diagnosing)))
    assert "Fan spin-up" in page and "Grinds at 1200 rpm" in page


def test_several_files_are_added_at_once_and_a_refused_one_is_named(diagnosing, media_root):
    staff = signed_in("staff")
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile("front.jpg", photo(), "image/jpeg"),
             SimpleUploadedFile("invoice.pdf", pdf(), "application/pdf"),
             SimpleUploadedFile("tool.exe", b"MZ" + b"\0" * 200, "application/octet-stream")]
    response = staff.post(url(diagnosing, "evidence/"), {"evidence-kind": "inbound", "evidence-files": files})
    assert response.status_code == 422
    page = text(response)
    assert "2 of 3 files added" in page and "tool.exe" in page and "unsupported-type" in page
    assert sorted(Evidence.objects.filter(case=diagnosing).values_list("original_name", flat=True)) == [
        "front.jpg", "invoice.pdf"]
    gallery = page[page.index('id="evidence"'):]
    assert "front.jpg" in gallery and re.search(r'<img src="/evidence/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/"', gallery)


def test_a_refused_file_among_several_leaves_no_file_and_too_many_files_are_refused(diagnosing, media_root,
                                                                                     settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aftersales.evidence.conftest import png_bomb, stored_files

    staff = signed_in("staff")
    # given a photo, and a picture far past the pixel limit named like a photo
    files = [SimpleUploadedFile("front.jpg", photo(), "image/jpeg"),
             SimpleUploadedFile("huge.png", png_bomb(), "image/png")]
    response = staff.post(url(diagnosing, "evidence/"), {"evidence-kind": "inbound", "evidence-files": files})
    # then the photo is kept, the picture is named as refused, and only the photo is on disk
    assert response.status_code == 422 and "image-too-large" in text(response) and "huge.png" in text(response)
    kept = Evidence.objects.get(case=diagnosing)
    assert [p.relative_to(media_root).as_posix() for p in stored_files(media_root)] == [kept.file.name]
    # and more files than the form takes at once are refused before any is read
    settings.EVIDENCE_MAX_FILES_PER_FIELD = 1
    files = [SimpleUploadedFile(f"{n}.jpg", photo(orientation=n), "image/jpeg") for n in (3, 8)]
    response = staff.post(url(diagnosing, "evidence/"), {"evidence-kind": "damage", "evidence-files": files})
    assert response.status_code == 422 and "too-many-files" in text(response)
    assert Evidence.objects.filter(case=diagnosing).count() == 1


def test_a_technician_may_add_evidence_but_an_auditor_may_not(diagnosing, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    technician = signed_in("technician")
    assert "Add files" in text(technician.get(url(diagnosing)))
    response = technician.post(url(diagnosing, "evidence/"), {
        "evidence-kind": "damage", "evidence-files": [SimpleUploadedFile("lid.jpg", photo(), "image/jpeg")]})
    assert response.status_code == 302
    auditor = signed_in("auditor")
    assert "Add files" not in text(auditor.get(url(diagnosing)))
    response = auditor.post(url(diagnosing, "evidence/"), {
        "evidence-kind": "damage", "evidence-files": [SimpleUploadedFile("x.jpg", photo(), "image/jpeg")]})
    assert response.status_code == 403


def repairing(case):
    now = clock.now()
    from aftersales.core.testing import role_user

    staff = role_user("staff", username="bench", centres=[case.centre])
    for position in (1, 2):
        finding_record(number=case.number, position=position, text="The power supply has failed.",
                       outcome="confirmed", part="psu", actor=staff, now=now)
    part_decide(number=case.number, part="psu", actor=staff, now=now)
    return moved(case, "repairing", actor=staff)


def test_a_covered_part_is_fitted_and_the_removed_one_goes_back_to_stock(diagnosing):
    case = repairing(diagnosing)
    staff = signed_in("staff")
    response = staff.post(url(case, "parts/"), {"fit-part": "psu", "fit-new_serial": "PSU-NEW-1",
                                                "fit-old_serial": "PSU-OLD-9"})
    assert response.status_code == 302
    usage = PartUsage.objects.get(case=case)
    assert usage.covered and usage.new_serial == "PSU-NEW-1"
    response = staff.post(url(case, f"parts/{usage.pk}/returned/"), {})
    assert response.status_code == 302
    assert PartUsage.objects.get(pk=usage.pk).returned_to_stock_at is not None
    response = staff.post(url(case, "parts/"), {"fit-part": "mainboard"})
    assert response.status_code == 409 and "part-not-agreed" in text(response)


def test_quality_checks_re_test_each_fault_before_the_device_is_ready(diagnosing):
    case = moved(repairing(diagnosing), "qa")
    staff = signed_in("staff")
    response = staff.post(url(case, "move/"), {"move-to": "ready", "move-expected": "qa"})
    assert response.status_code == 409 and "qa-retest-missing" in text(response)
    for position in (1, 2):
        response = staff.post(url(case, f"faults/{position}/qa/"), {
            f"qa-{position}-name": "Power-on soak, 2 hours", f"qa-{position}-result": "passed"})
        assert response.status_code == 302
    page = text(staff.get(url(case)))
    assert page.count("Re-test passed") == 2
    assert staff.post(url(case, "move/"), {"move-to": "ready", "move-expected": "qa"}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == "ready"


def test_a_ready_device_is_shipped_with_carrier_and_tracking_then_delivered(booked):
    case = drive(booked, "ready", now=clock.now())
    staff = signed_in("staff")
    response = staff.post(url(case, "return/ship/"), {"ship-carrier": "SF Express", "ship-tracking": ""})
    assert response.status_code == 422 and "Give the tracking number." in text(response)
    assert 'value="SF Express"' in text(response)
    response = staff.post(url(case, "return/ship/"), {"ship-carrier": "SF Express", "ship-tracking": "SF123"})
    assert response.status_code == 302
    assert Shipment.objects.get(case=case).tracking == "SF123"
    assert "Mark delivered" in text(staff.get(url(case)))
    assert staff.post(url(case, "return/delivered/"), {}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == "collected"


def test_a_device_is_handed_over_at_the_counter(booked):
    case = drive(booked, "ready", now=clock.now())
    response = signed_in("staff").post(url(case, "return/collect/"), {"collect-identity_checked": "on",
                                                                       "collect-returned_complete": "on"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "collected"


def test_a_mail_in_swap_gets_a_replacement_sent_ahead(centres):
    case = book(kind="mail-in", preference="refurbished")
    staff = signed_in("staff")
    assert "Send a replacement ahead" in text(staff.get(url(case)))
    response = staff.post(url(case, "return/advance/"), {"advance-replacement_serial": "HD009999",
                                                         "advance-carrier": "SF Express", "advance-tracking": "SF9"})
    assert response.status_code == 302
    page = text(staff.get(url(case)))
    assert "Replacement HD009999 sent ahead with SF Express (SF9)" in page
    assert "Send a replacement ahead" not in page


def test_a_follow_up_is_resolved_with_how_it_was_explained(booked):
    item = follow_up_open(case=booked, about="quotation", message="What is a PSU?", now=clock.now())
    staff = signed_in("staff")
    page = text(staff.get(url(booked)))
    assert "What is a PSU?" in page and "1</span>" in page
    response = staff.post(url(booked, f"follow-ups/{item.pk}/resolve/"), {
        f"resolve-{item.pk}-resolution": "Called: the power supply feeds every part."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.resolved_at is not None and item.resolution.startswith("Called")


def test_a_post_naming_another_cases_row_is_not_found(booked, centres):
    other = book()
    item = follow_up_open(case=other, about="status", message="?", now=clock.now())
    response = signed_in("staff").post(url(booked, f"follow-ups/{item.pk}/resolve/"), {
        f"resolve-{item.pk}-resolution": "Answered."})
    assert response.status_code == 404
