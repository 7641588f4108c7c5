"""Quotations end to end through the services: priced from the lists, checked against the
fairness rules, verified by a second person, answered line by line by the customer."""

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.billing.models import Charge, FairMarketValue, LineDecision, PartPrice, QuotationStatus
from aftersales.billing.quotes import quotation_answer, quotation_draft, quotation_send, quotation_verify
from aftersales.core.errors import AppError, Forbidden
from aftersales.repairs.conftest import NOW, make_user
from aftersales.repairs.diagnosis import damage_decide, damage_propose, finding_record, part_decide
from aftersales.repairs.models import Case, CaseEvent
from aftersales.repairs.status import Status
from aftersales.warranty.packs import pack_load
from aftersales.policy.testing import SHIPPED

LATER = NOW + dt.timedelta(hours=3)
PSU = {"service": "part-replacement", "part": "psu", "text_en": "Replace the power supply: it has failed.",
       "text_zh": "更换电源：电源已损坏。"}


@pytest.fixture
def quotable(diagnosing, staff, technician):
    """A case out of warranty for its mainboard (liquid damage confirmed), with findings recorded."""
    pack_load(text=SHIPPED["cn-desktop"])
    PartPrice.objects.create(part="psu", product_line="home-desktop", region="CN", price=Decimal("320.00"),
                             currency="CNY", valid_from=dt.date(2024, 1, 1))
    PartPrice.objects.create(part="mainboard", product_line="home-desktop", region="CN", price=Decimal("900.00"),
                             currency="CNY", valid_from=dt.date(2024, 1, 1))
    for position in (1, 2):
        finding_record(number=diagnosing.number, position=position, text="Liquid on the board", outcome="damage",
                       part="mainboard", actor=technician, now=LATER)
    proposal = damage_propose(number=diagnosing.number, code="liquid-damage", part="mainboard",
                              explanation="Corrosion on the mainboard", actor=technician, now=LATER)
    damage_decide(determination_id=proposal.pk, confirm=True, note="Confirmed", considered=[], actor=staff, now=LATER)
    part_decide(number=diagnosing.number, part="mainboard", actor=staff, now=LATER)
    return diagnosing


@pytest.fixture
def verifier(db):
    return make_user("verifier1", "verifier")


BOARD = {"service": "part-replacement", "part": "mainboard", "text_en": "Replace the corroded mainboard.",
         "text_zh": "更换被腐蚀的主板。"}


def test_a_quotation_from_the_lists_is_ready_to_send_without_verification(quotable, staff):
    q = quotation_draft(number=quotable.number, lines=[BOARD], author=staff, now=LATER)
    line = q.lines.get()
    assert (q.status, q.currency, line.labour, line.parts) == (QuotationStatus.READY, "CNY", Decimal("50.00"),
                                                              Decimal("900.00"))


def test_the_customer_accepts_and_the_repair_goes_ahead_with_the_accepted_total_charged(quotable, staff):
    q = quotation_draft(number=quotable.number, lines=[BOARD], author=staff, now=LATER)
    q, token = quotation_send(quotation_id=q.pk, actor=staff, now=LATER)
    assert Case.objects.get(pk=quotable.pk).status == Status.AWAITING_CUSTOMER
    assert q.respond_by is not None
    quotation_answer(token=token, answers={1: "accept"}, now=LATER)
    assert Case.objects.get(pk=quotable.pk).status == Status.REPAIRING
    charge = Charge.objects.get(case=quotable)
    assert (charge.kind, charge.amount) == ("repair", Decimal("950.00"))
    assert CaseEvent.objects.filter(case=quotable, kind="quotation-answered").exists()


def test_declining_every_paid_line_charges_only_the_inspection_fee_and_returns_the_device(quotable, staff):
    q = quotation_draft(number=quotable.number, lines=[BOARD], author=staff, now=LATER)
    _, token = quotation_send(quotation_id=q.pk, actor=staff, now=LATER)
    quotation_answer(token=token, answers={1: "decline"}, now=LATER)
    assert Case.objects.get(pk=quotable.pk).status == Status.READY
    assert list(Charge.objects.filter(case=quotable).values_list("kind", "amount")) == [("inspection", Decimal("100.00"))]


def test_a_covered_repair_goes_ahead_even_when_the_paid_lines_are_declined(quotable, staff):
    part_decide(number=quotable.number, part="psu", actor=staff, now=LATER)  # in warranty, no damage on the PSU
    q = quotation_draft(number=quotable.number, lines=[PSU, BOARD], author=staff, now=LATER)
    psu, board = q.lines.order_by("position")
    assert (psu.covered, psu.price, psu.decision) == (True, Decimal("0.00"), LineDecision.INCLUDED)
    _, token = quotation_send(quotation_id=q.pk, actor=staff, now=LATER)
    quotation_answer(token=token, answers={2: "decline"}, now=LATER)
    assert Case.objects.get(pk=quotable.pk).status == Status.REPAIRING
    assert not Charge.objects.filter(case=quotable).exists()


def test_every_paid_line_must_be_answered(quotable, staff):
    q = quotation_draft(number=quotable.number, lines=[BOARD], author=staff, now=LATER)
    _, token = quotation_send(quotation_id=q.pk, actor=staff, now=LATER)
    with pytest.raises(AppError) as err:
        quotation_answer(token=token, answers={}, now=LATER)
    assert err.value.code == "answer-every-line"
    assert Case.objects.get(pk=quotable.pk).status == Status.AWAITING_CUSTOMER


def test_a_tampered_link_is_refused(quotable, staff):
    q = quotation_draft(number=quotable.number, lines=[BOARD], author=staff, now=LATER)
    _, token = quotation_send(quotation_id=q.pk, actor=staff, now=LATER)
    with pytest.raises(AppError) as err:
        quotation_answer(token=token[:-2] + "xx", answers={1: "accept"}, now=LATER)
    assert err.value.code == "invalid-link"


def test_a_price_off_the_list_needs_a_verifier_who_is_not_the_author(quotable, staff, verifier):
    cheaper = {**BOARD, "parts": "800.00"}
    with pytest.raises(AppError) as err:
        quotation_draft(number=quotable.number, lines=[cheaper], author=staff, now=LATER)
    assert err.value.code == "explanation-missing"
    q = quotation_draft(number=quotable.number, lines=[cheaper], author=staff, now=LATER,
                        explanation="A refurbished board in stock costs less.")
    assert q.status == QuotationStatus.AWAITING_VERIFICATION
    assert [v["code"] for v in q.needs_verification] == ["parts-off-list"]
    with pytest.raises(Forbidden):
        quotation_verify(quotation_id=q.pk, approve=True, note="fine", verifier=staff, now=LATER)
    author_as_verifier = make_user("dual", "verifier")
    author_as_verifier.groups.add(*staff.groups.all())
    q2 = quotation_draft(number=quotable.number, lines=[cheaper], author=author_as_verifier, now=LATER,
                         explanation="Refurbished board.")
    with pytest.raises(Forbidden) as own:
        quotation_verify(quotation_id=q2.pk, approve=True, note="mine", verifier=author_as_verifier, now=LATER)
    assert own.value.code == "own-quotation"
    q = quotation_verify(quotation_id=q.pk, approve=True, note="Checked the stock price.", verifier=verifier, now=LATER)
    assert q.status == QuotationStatus.READY and q.verifier == verifier


def test_cosmetic_work_is_quoted_only_when_it_affects_function_or_was_asked_for(quotable, staff):
    dent = {"service": "part-replacement", "part": "other-board", "parts": "30.00", "cosmetic": True,
            "text_en": "Replace the dented front panel.", "text_zh": "更换有凹痕的前面板。"}
    with pytest.raises(AppError) as err:
        quotation_draft(number=quotable.number, lines=[BOARD, dent], author=staff, now=LATER)
    assert err.value.code == "cosmetic-not-quotable"
    q = quotation_draft(number=quotable.number, lines=[BOARD, {**dent, "customer_requested": True}], author=staff,
                        now=LATER, explanation="The front panel has no list price.")
    assert q.lines.count() == 2


def test_a_whole_unit_replacement_needs_a_component_option_first_and_stays_under_fair_market_value(quotable, staff):
    FairMarketValue.objects.create(model="D700MA", region="CN", value=Decimal("2000.00"), currency="CNY",
                                   valid_from=dt.date(2024, 1, 1))
    unit = {"service": "unit-replacement", "labour": "0", "parts": "1800.00",
            "text_en": "Swap the whole unit.", "text_zh": "整机更换。"}
    with pytest.raises(AppError) as err:
        quotation_draft(number=quotable.number, lines=[unit], author=staff, now=LATER, explanation="No stock")
    assert err.value.code == "component-first"
    with pytest.raises(AppError) as err:
        quotation_draft(number=quotable.number, lines=[BOARD, {**unit, "parts": "2100.00"}], author=staff, now=LATER,
                        explanation="Whole unit as an alternative")
    assert err.value.code == "above-fair-market-value"
    q = quotation_draft(number=quotable.number, lines=[BOARD, unit], author=staff, now=LATER,
                        explanation="The swap is an alternative to the board repair.")
    assert {v["code"] for v in q.needs_verification} == {"parts-unlisted", "total-above-fair-market-value"}


def test_a_technician_cannot_author_a_quotation(quotable, technician):
    with pytest.raises(Forbidden):
        quotation_draft(number=quotable.number, lines=[BOARD], author=technician, now=LATER)
