"""Quotations end to end through the services: priced from the lists, checked against the
fairness rules, verified by a second person, answered line by line by the customer."""

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.billing.models import Charge, FairMarketValue, LineDecision, PartPrice, QuotationStatus
from aftersales.core.errors import AppError, Forbidden
from aftersales.policy.testing import SHIPPED
from aftersales.repairs.conftest import NOW, make_user
from aftersales.repairs.diagnosis import damage_decide, damage_propose, finding_record, part_decide
from aftersales.repairs.models import Case, CaseEvent
from aftersales.repairs.quotations import quotation_answer, quotation_draft, quotation_send, quotation_verify
from aftersales.repairs.status import Status
from aftersales.warranty.packs import pack_load

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
def verifier(centre):
    return make_user("verifier1", "verifier", centres=[centre])


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
    author_as_verifier = make_user("dual", "verifier", centres=staff.centres.all())
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
    assert {v["code"] for v in q.needs_verification} == {"parts-unlisted", "total-above-fair-market-value",
                                                         "unit-replacement"}


def test_a_technician_cannot_author_a_quotation(quotable, technician):
    with pytest.raises(Forbidden):
        quotation_draft(number=quotable.number, lines=[BOARD], author=technician, now=LATER)


# --- what is free in warranty, line by line (seed 002 fee tables; §7 (12)) ----------------------------
HDD = {"service": "part-replacement", "part": "hdd", "text_en": "Replace the failed hard disk.",
       "text_zh": "更换损坏的硬盘。"}
OWN_OS = {"service": "customer-os-install", "text_en": "Install the licensed system you brought.",
          "text_zh": "安装您自带的正版系统。"}
FACTORY_OS = {"service": "os-recovery", "text_en": "Install the factory system on the new disk.",
              "text_zh": "在新硬盘上安装出厂系统。"}


@pytest.fixture
def covered_disk(quotable, staff):
    PartPrice.objects.create(part="hdd", product_line="home-desktop", region="CN", price=Decimal("299.00"),
                             currency="CNY", valid_from=dt.date(2024, 1, 1))
    part_decide(number=quotable.number, part="hdd", actor=staff, now=LATER)  # made 2024: major part, 36 months
    return quotable


def test_an_in_warranty_disk_is_replaced_free_and_installing_the_customers_own_system_costs_100(covered_disk, staff):
    q = quotation_draft(number=covered_disk.number, lines=[HDD, OWN_OS], author=staff, now=LATER)
    disk, own = q.lines.order_by("position")
    assert (disk.covered, disk.price, disk.decision) == (True, Decimal("0.00"), LineDecision.INCLUDED)
    assert (own.covered, own.labour, own.parts, own.decision) == (False, Decimal("100.00"), Decimal("0.00"),
                                                                  LineDecision.PENDING)


def test_restoring_the_factory_system_is_paid_when_the_preinstalled_system_is_not_covered(covered_disk, staff):
    q = quotation_draft(number=covered_disk.number, lines=[HDD, FACTORY_OS], author=staff, now=LATER)
    restore = q.lines.get(position=2)
    assert (restore.covered, restore.price) == (False, Decimal("100.00"))


def test_a_part_the_warranty_covers_is_not_made_free_by_a_line_of_another_kind(covered_disk, staff):
    upgrade = {"service": "hardware-upgrade", "part": "hdd", "text_en": "Fit the second disk you brought.",
               "text_zh": "加装您自带的第二块硬盘。"}
    q = quotation_draft(number=covered_disk.number, lines=[upgrade], author=staff, now=LATER)
    assert (q.lines.get().covered, q.lines.get().price) == (False, Decimal("100.00"))


# --- regions without a published fee schedule ---------------------------------------------------------
@pytest.fixture
def hong_kong_case(db, staff):
    from aftersales.centres.models import ServiceCentre
    from aftersales.repairs.conftest import intake
    from aftersales.repairs.services import case_book, case_move
    from aftersales.warranty.registry import devices_import_csv

    pack_load(text=SHIPPED["cn-desktop"])
    hk = ServiceCentre.objects.create(code="hk-01", name_en="Kowloon Bay", name_zh="九龙湾", region="HK",
                                      city="Hong Kong", timezone="Asia/Hong_Kong")
    staff.centres.add(hk)
    devices_import_csv(data=b"serial,model,product_line,manufactured_on,shipped_on,sold_in\n"
                            b"HK000001,D700MA,home-desktop,2020-01-10,2020-01-20,HK\n")
    case = case_book(intake=intake(centre="hk-01", serial="HK000001"), actor=None, now=NOW)
    for status in (Status.RECEIVED, Status.DIAGNOSING):
        case_move(number=case.number, to=status, actor=staff, now=NOW)
    return case


CLEANING = {"service": "deep-cleaning", "text_en": "Deep cleaning, as you asked.", "text_zh": "按您的要求深层清洁。"}


def test_a_hong_kong_line_without_a_price_is_refused_never_priced_with_mainland_fees(hong_kong_case, staff):
    with pytest.raises(AppError) as err:
        quotation_draft(number=hong_kong_case.number, lines=[CLEANING], author=staff, now=LATER)
    assert err.value.code == "missing-price" and "199" not in err.value.en
    assert not hong_kong_case.quotations.exists()


def test_a_hong_kong_quotation_priced_by_hand_is_in_the_packs_currency_and_goes_to_a_verifier(hong_kong_case, staff):
    q = quotation_draft(number=hong_kong_case.number, lines=[{**CLEANING, "labour": "250.00"}], author=staff,
                        now=LATER, explanation="Centre rate for deep cleaning in Hong Kong.")
    line = q.lines.get()
    assert (q.currency, line.labour, line.list_labour) == ("CNY", Decimal("250.00"), None)
    assert (q.status, [v["code"] for v in q.needs_verification]) == (QuotationStatus.AWAITING_VERIFICATION,
                                                                    ["labour-unpublished"])


@pytest.mark.parametrize("labour, code", [("1e26", "invalid-amount"), ("-5", "negative-amount"),
                                          ("12345678901.00", "amount-too-large"), (1.5, "invalid-amount")])
def test_hand_prices_go_through_the_one_amount_parser(hong_kong_case, staff, labour, code):
    with pytest.raises(AppError) as err:
        quotation_draft(number=hong_kong_case.number, lines=[{**CLEANING, "labour": labour}], author=staff, now=LATER,
                        explanation="x")
    assert (err.value.code, err.value.field) == (code, "lines[1].labour")


# --- no silent currency: every price in the quotation's currency ----------------------------------------
def test_a_list_price_in_another_currency_is_refused(quotable, staff):
    PartPrice.objects.filter(part="mainboard").update(currency="USD")
    with pytest.raises(AppError) as err:
        quotation_draft(number=quotable.number, lines=[BOARD], author=staff, now=LATER)
    assert err.value.code == "currency-mismatch"


def test_a_fair_market_value_in_another_currency_is_refused(quotable, staff):
    FairMarketValue.objects.create(model="D700MA", region="CN", value=Decimal("300.00"), currency="USD",
                                   valid_from=dt.date(2024, 1, 1))
    with pytest.raises(AppError) as err:
        quotation_draft(number=quotable.number, lines=[BOARD], author=staff, now=LATER)
    assert err.value.code == "currency-mismatch"


def test_an_ended_fair_market_value_is_not_used_after_its_last_day(quotable, staff):
    FairMarketValue.objects.create(model="D700MA", region="CN", value=Decimal("500.00"), currency="CNY",
                                   valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2025, 1, 31))
    q = quotation_draft(number=quotable.number, lines=[BOARD], author=staff, now=LATER)
    assert q.fair_market_value is None and q.status == QuotationStatus.READY


# --- lines that need other lines ------------------------------------------------------------------------
def test_a_line_that_needs_another_is_stored_with_what_it_needs(quotable, staff):
    q = quotation_draft(number=quotable.number, lines=[BOARD, {**FACTORY_OS, "needs": 1}], author=staff, now=LATER)
    assert [(line.position, line.needs) for line in q.lines.order_by("position")] == [(1, None), (2, 1)]


def test_a_covered_line_that_needs_a_paid_line_is_refused_at_drafting(quotable, staff):
    part_decide(number=quotable.number, part="psu", actor=staff, now=LATER)
    with pytest.raises(AppError) as err:
        quotation_draft(number=quotable.number, lines=[{**PSU, "needs": 2}, BOARD], author=staff, now=LATER)
    assert err.value.code == "covered-needs-paid" and err.value.field == "lines[1]"
    assert not quotable.quotations.exists()


@pytest.mark.parametrize("needs, code", [(1, "needs-itself"), (5, "needs-unknown-line"), ("two", "invalid-dependency"),
                                         (True, "invalid-dependency"), ("²", "invalid-dependency"),
                                         ("9" * 5000, "invalid-dependency"), ("5", "needs-unknown-line")])
def test_a_line_cannot_need_itself_a_missing_line_or_something_that_is_not_a_line_number(quotable, staff, needs, code):
    with pytest.raises(AppError) as err:
        quotation_draft(number=quotable.number, lines=[{**BOARD, "needs": needs}], author=staff, now=LATER)
    assert err.value.code == code


def test_lines_that_need_each_other_in_a_circle_are_refused(quotable, staff):
    with pytest.raises(AppError) as err:
        quotation_draft(number=quotable.number, lines=[{**BOARD, "needs": 2}, {**FACTORY_OS, "needs": 1}],
                        author=staff, now=LATER)
    assert err.value.code == "dependency-cycle"


def test_accepting_a_line_while_declining_the_line_it_needs_is_refused_and_nothing_is_written(quotable, staff):
    # given a sent quotation: a new board, and the factory system installed once the board is in
    q = quotation_draft(number=quotable.number, lines=[BOARD, {**FACTORY_OS, "needs": 1}], author=staff, now=LATER)
    _, token = quotation_send(quotation_id=q.pk, actor=staff, now=LATER)
    # when the customer accepts the install but declines the board
    with pytest.raises(AppError) as err:
        quotation_answer(token=token, answers={1: "decline", 2: "accept"}, now=LATER)
    # then the answer is refused, naming both lines in plain words in both languages
    assert err.value.code == "needed-line-declined"
    assert "“Install the factory system on the new disk”" in err.value.en
    assert "“Replace the corroded mainboard”" in err.value.en
    assert "在新硬盘上安装出厂系统" in err.value.zh and "更换被腐蚀的主板" in err.value.zh
    # and nothing was written
    q.refresh_from_db()
    assert q.status == QuotationStatus.SENT and q.answered_at is None
    assert set(q.lines.values_list("decision", flat=True)) == {LineDecision.PENDING}
    assert not Charge.objects.filter(case=quotable).exists()
    assert not CaseEvent.objects.filter(case=quotable, kind="quotation-answered").exists()
    assert Case.objects.get(pk=quotable.pk).status == Status.AWAITING_CUSTOMER
    # and accepting both goes ahead
    quotation_answer(token=token, answers={1: "accept", 2: "accept"}, now=LATER)
    assert Charge.objects.get(case=quotable).amount == Decimal("1050.00")
