"""The six journeys of a repair case, start to finish, through the services."""

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.billing.models import Charge, PartPrice
from aftersales.core import clock
from aftersales.core.testing import shipped_packs_loaded
from aftersales.notifications.models import Notification
from aftersales.repairs.conftest import NOW, intake, make_user
from aftersales.repairs.diagnosis import damage_decide, damage_propose, finding_record, part_decide, result_record
from aftersales.repairs.models import Case, CaseEvent, PartUsage
from aftersales.repairs.quotations import quotation_answer, quotation_draft, quotation_send, quotation_verify
from aftersales.repairs.repair import part_fit, part_return_to_stock
from aftersales.repairs.report import report_context
from aftersales.repairs.returns import advance_ship, case_collect, case_delivered, case_ship
from aftersales.repairs.services import case_book, case_move
from aftersales.repairs.status import Status
from aftersales.repairs.testing import drive
from aftersales.repairs.timers import storage_check_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def packs(db):
    shipped_packs_loaded()


def at(hours: float) -> dt.datetime:
    return NOW + dt.timedelta(hours=hours)


def diagnosed(case, staff, part, outcome="confirmed"):
    case_move(number=case.number, to=Status.RECEIVED, actor=staff, now=at(1))
    case_move(number=case.number, to=Status.DIAGNOSING, actor=staff, now=at(2))
    for symptom in case.symptoms.all():
        finding_record(number=case.number, position=symptom.position, text="Confirmed on the bench.",
                       outcome=outcome, part=part, actor=staff, now=at(3))
    return part_decide(number=case.number, part=part, actor=staff, now=at(3))


def repaired_and_checked(case, staff, part):
    usage = part_fit(number=case.number, part=part, actor=staff, now=at(5))
    part_return_to_stock(usage_id=usage.pk, actor=staff, now=at(5))
    case_move(number=case.number, to=Status.QA, actor=staff, now=at(6))
    for symptom in case.symptoms.all():
        result_record(number=case.number, stage="qa", name="Re-test of the reported fault", passed=True,
                      symptom_position=symptom.position, actor=staff, now=at(6))
    case_move(number=case.number, to=Status.READY, actor=staff, now=at(7))


def test_an_in_warranty_repair_is_free_from_booking_to_pickup(centre, device, staff):
    case = case_book(intake=intake(), actor=None, now=NOW)
    assert diagnosed(case, staff, "psu").covered
    case_move(number=case.number, to=Status.REPAIRING, actor=staff, now=at(4))
    repaired_and_checked(case, staff, "psu")
    case_collect(number=case.number, actor=staff, now=at(30))
    case.refresh_from_db()
    assert case.status == Status.COLLECTED and not Charge.objects.filter(case=case).exists()
    assert PartUsage.objects.get(case=case).returned_to_stock_at is not None
    report = report_context(case, "en")
    assert [f["outcome"] for f in report["faults"]] == ["Fault confirmed", "Fault confirmed"]
    assert report["total"] == 0
    told = set(Notification.objects.filter(case=case).values_list("template", flat=True))
    assert {"status-changed", "collect-ready"} <= told


def test_an_out_of_warranty_repair_is_quoted_accepted_repaired_and_shipped(centre, device, staff, technician):
    PartPrice.objects.create(part="mainboard", product_line="home-desktop", region="CN", price=Decimal("900.00"),
                             currency="CNY", valid_from=dt.date(2024, 1, 1))
    case = case_book(intake=intake(kind="mail-in"), actor=None, now=NOW)
    case_move(number=case.number, to=Status.RECEIVED, actor=staff, now=at(1))
    case_move(number=case.number, to=Status.DIAGNOSING, actor=staff, now=at(2))
    proposal = damage_propose(number=case.number, code="liquid-damage", part="mainboard",
                              explanation="Corrosion under the keyboard connector.", actor=technician, now=at(2))
    damage_decide(determination_id=proposal.pk, confirm=True, note="Corrosion confirmed.", considered=[],
                  actor=staff, now=at(2))
    for symptom in case.symptoms.all():
        finding_record(number=case.number, position=symptom.position, text="Liquid damage on the mainboard.",
                       outcome="damage", part="mainboard", actor=technician, now=at(3))
    assert not part_decide(number=case.number, part="mainboard", actor=staff, now=at(3)).covered
    q = quotation_draft(number=case.number, author=staff, now=at(3), lines=[
        {"service": "part-replacement", "part": "mainboard", "text_en": "Replace the corroded mainboard.",
         "text_zh": "更换被腐蚀的主板。"}])
    _, token = quotation_send(quotation_id=q.pk, actor=staff, now=at(3))
    quotation_answer(token=token, answers={1: "accept"}, now=at(20))
    usage = part_fit(number=case.number, part="mainboard", actor=staff, now=at(24))
    assert not usage.covered
    case_move(number=case.number, to=Status.QA, actor=staff, now=at(25))
    case_move(number=case.number, to=Status.READY, actor=staff, now=at(26))  # damage findings need no re-test
    case_ship(number=case.number, carrier="SF Express", tracking="SF1001", actor=staff, now=at(27))
    case_delivered(number=case.number, actor=staff, now=at(50))
    assert Case.objects.get(pk=case.pk).status == Status.COLLECTED
    assert list(Charge.objects.filter(case=case).values_list("kind", "amount")) == [("repair", Decimal("950.00"))]
    assert Notification.objects.filter(case=case, template="quotation-sent").exists()


def test_a_declined_quotation_costs_the_inspection_fee_and_the_device_comes_back_reassembled(
        centre, device, staff):
    case = case_book(intake=intake(), actor=None, now=NOW)
    case_move(number=case.number, to=Status.RECEIVED, actor=staff, now=at(1))
    case_move(number=case.number, to=Status.DIAGNOSING, actor=staff, now=at(2))
    proposal = damage_propose(number=case.number, code="physical-damage", part="gpu",
                              explanation="The card's fan blades are snapped.", actor=staff, now=at(2))
    damage_decide(determination_id=proposal.pk, confirm=True, note="Impact marks on the shroud.", considered=[],
                  actor=staff, now=at(2))
    for symptom in case.symptoms.all():
        finding_record(number=case.number, position=symptom.position, text="Broken graphics card fan.",
                       outcome="damage", part="gpu", actor=staff, now=at(3))
    part_decide(number=case.number, part="gpu", actor=staff, now=at(3))
    q = quotation_draft(number=case.number, author=staff, now=at(3), explanation="The card has no list price yet.",
                        lines=[{"service": "part-replacement", "part": "gpu", "parts": "1500.00",
                                "text_en": "Replace the graphics card.", "text_zh": "更换显卡。"}])
    verifier = make_user("verifier1", "verifier", centres=[case.centre])
    quotation_verify(quotation_id=q.pk, approve=True, note="Checked the supplier price.", verifier=verifier,
                     now=at(3))
    _, token = quotation_send(quotation_id=q.pk, actor=staff, now=at(3))
    quotation_answer(token=token, answers={1: "decline"}, now=at(10))
    assert Case.objects.get(pk=case.pk).status == Status.READY
    case_collect(number=case.number, actor=staff, now=at(30))
    assert list(Charge.objects.filter(case=case).values_list("kind", "amount")) == [("inspection", Decimal("100.00"))]
    assert "reassembled" in CaseEvent.objects.filter(case=case, to_status=Status.READY).get().summary_en


def test_a_third_party_damage_proposal_rejected_by_staff_leaves_the_repair_free(centre, device, staff, technician):
    case = case_book(intake=intake(), actor=None, now=NOW)
    case_move(number=case.number, to=Status.RECEIVED, actor=staff, now=at(1))
    case_move(number=case.number, to=Status.DIAGNOSING, actor=staff, now=at(2))
    proposal = damage_propose(number=case.number, code="liquid-damage", part="psu",
                              explanation="Stain near the power supply.", actor=technician, now=at(2))
    damage_decide(determination_id=proposal.pk, confirm=False, note="The stain is thermal paste, not liquid.",
                  considered=[], actor=staff, now=at(3))
    assert diagnosed_after_findings(case, staff, "psu").covered
    case_move(number=case.number, to=Status.REPAIRING, actor=staff, now=at(4))
    repaired_and_checked(case, staff, "psu")
    assert not Charge.objects.filter(case=case).exists()
    kinds = list(CaseEvent.objects.filter(case=case, customer_visible=True).values_list("kind", flat=True))
    assert "damage-proposed" not in kinds and "damage-decided" in kinds


def diagnosed_after_findings(case, staff, part):
    for symptom in case.symptoms.all():
        finding_record(number=case.number, position=symptom.position, text="PSU fails under load.",
                       outcome="confirmed", part=part, actor=staff, now=at(3))
    return part_decide(number=case.number, part=part, actor=staff, now=at(3))


def test_an_advance_replacement_is_sent_first_and_the_faulty_device_follows(centre, device, staff):
    case = case_book(intake=intake(kind="mail-in", preference="refurbished"), actor=None, now=NOW)
    advance = advance_ship(number=case.number, replacement_serial="RF000777", carrier="SF Express",
                           tracking="SF2002", actor=staff, now=at(1))
    assert advance.return_by == at(1).date() + dt.timedelta(days=14)
    case_move(number=case.number, to=Status.RECEIVED, actor=staff, now=at(72))
    assert Notification.objects.filter(case=case, template="status-changed").count() >= 2
    assert "RF000777" in CaseEvent.objects.get(case=case, kind="advance-shipped").summary_en


def test_an_unclaimed_device_reaches_storage_and_pays_for_the_days_after_the_free_period(centre, device, staff):
    with clock.frozen(NOW):
        case = case_book(intake=intake(), actor=None, now=NOW)
        drive(case, Status.READY, staff=staff, now=NOW)  # nothing to repair
    day = lambda n: NOW + dt.timedelta(days=n)  # noqa: E731
    with clock.frozen(day(60)):
        storage_check_run(number=case.number, now=day(60))
    assert Case.objects.get(pk=case.pk).status == Status.IN_STORAGE
    with clock.frozen(day(70)):
        case_collect(number=case.number, actor=staff, now=day(70))
    charge = Charge.objects.get(case=case)
    assert (charge.kind, charge.amount, charge.currency) == ("storage", Decimal("50.00"), "CNY")
    assert set(Notification.objects.filter(case=case).values_list("template", flat=True)) >= {
        "collect-ready", "collect-reminder"}
