"""Role × action against the services themselves: each write service, called as each role,
refuses (403) exactly the roles ``roles.ACTIONS`` leaves out of its action — whatever page,
endpoint or script calls it. Every call runs in a savepoint that is rolled back, so each role
meets the same case."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from aftersales.accounts.roles import ACTIONS
from aftersales.accounts.scope import AT_THEIR_CENTRES, EVERY_CENTRE_ROLES
from aftersales.billing.models import Quotation, QuotationLine, QuotationStatus
from aftersales.core.errors import AppError, Forbidden
from aftersales.core.testing import ROLE_NAMES, role_user, shipped_packs_loaded
from aftersales.repairs.conftest import NOW, intake
from aftersales.repairs.diagnosis import damage_decide, damage_propose, finding_record, part_decide, result_record
from aftersales.repairs.evidence import case_evidence_add
from aftersales.repairs.models import Case, Finding, PartDecision, PartUsage
from aftersales.repairs.quotations import quotation_answer_record, quotation_draft, quotation_send, quotation_verify
from aftersales.repairs.repair import part_fit, part_return_to_stock
from aftersales.repairs.returns import (
    advance_ship,
    case_collect,
    case_delivered,
    case_hand_over,
    case_ship,
    follow_up_open,
    follow_up_resolve,
)
from aftersales.repairs.services import case_book
from aftersales.repairs.status import Status

T = NOW + dt.timedelta(hours=1)
DEEP_CLEAN = {"service": "deep-cleaning", "text_en": "Deep cleaning.", "text_zh": "深层清洁。"}


class Rollback(Exception):
    pass


def attempt(call, user) -> str:
    """What the call did for ``user``: "done", "forbidden", or the code of another refusal."""
    try:
        with transaction.atomic():
            call(user)
            raise Rollback
    except Rollback:
        return "done"
    except Forbidden:
        return "forbidden"
    except AppError as exc:
        return exc.code


def a_case(status: str, **overrides) -> Case:
    case = case_book(intake=intake(**overrides), actor=None, now=NOW)
    Case.objects.filter(pk=case.pk).update(status=status)
    return Case.objects.get(pk=case.pk)


def found(case: Case, staff) -> None:
    for symptom in case.symptoms.all():
        Finding.objects.create(symptom=symptom, text="Failed.", outcome="confirmed", part="psu", recorded_by=staff,
                               recorded_at=NOW)


@pytest.fixture
def world(centre, device, staff, technician, settings, tmp_path):
    """One case at each step a service acts on, and the rows the services name."""
    settings.MEDIA_ROOT = tmp_path
    shipped_packs_loaded()
    author = role_user("staff", username="author", centres=[centre])
    diagnosing = a_case(Status.DIAGNOSING)
    found(diagnosing, staff)
    proposal = damage_propose(number=diagnosing.number, code="liquid-damage", explanation="Corrosion.",
                              actor=technician, now=NOW)
    ready_quote = quotation_draft(number=diagnosing.number, lines=[DEEP_CLEAN], author=author, now=NOW)
    off_list = quotation_draft(number=diagnosing.number, lines=[{**DEEP_CLEAN, "labour": "150.00"}], author=author,
                               now=NOW, explanation="Heavy dust throughout.")
    awaiting = a_case(Status.AWAITING_CUSTOMER)
    found(awaiting, staff)
    sent = Quotation.objects.create(case=awaiting, status=QuotationStatus.SENT, currency="CNY", author=author,
                                    created_at=NOW, sent_at=NOW)
    QuotationLine.objects.create(quotation=sent, position=1, service="deep-cleaning", text_en="x", text_zh="x",
                                 labour=Decimal("199.00"), parts=Decimal(0))
    repairing = a_case(Status.REPAIRING)
    PartDecision.objects.create(case=repairing, part="psu", covered=True, pack="cn-desktop@1", decision={},
                                decided_at=NOW)
    usage = PartUsage.objects.create(case=repairing, part="psu", covered=True, fitted_at=NOW)
    qa = a_case(Status.QA)
    ready = a_case(Status.READY)
    shipped = a_case(Status.SHIPPED)
    swap = a_case(Status.BOOKED, kind="mail-in", preference="refurbished")
    follow_up = follow_up_open(case=diagnosing, about="status", message="When?", now=NOW)
    return {"diagnosing": diagnosing.number, "proposal": proposal.pk, "ready_quote": ready_quote.pk,
            "off_list": off_list.pk, "sent": sent.pk, "repairing": repairing.number, "usage": usage.pk,
            "qa": qa.number, "ready": ready.number, "shipped": shipped.number, "swap": swap.number,
            "follow_up": follow_up.pk, "case": diagnosing}


SERVICES = {
    "finding_record": ("case.diagnose", lambda w, u: finding_record(
        number=w["diagnosing"], position=1, text="Bad.", outcome="confirmed", part="psu", actor=u, now=T)),
    "result_record (diagnosis)": ("case.diagnose", lambda w, u: result_record(
        number=w["diagnosing"], stage="diagnosis", name="Burn-in", passed=True, actor=u, now=T)),
    "result_record (quality check)": ("case.repair", lambda w, u: result_record(
        number=w["qa"], stage="qa", name="Re-test", passed=True, symptom_position=1, actor=u, now=T)),
    "part_decide": ("case.diagnose", lambda w, u: part_decide(number=w["diagnosing"], part="psu", actor=u, now=T)),
    "damage_propose": ("damage.propose", lambda w, u: damage_propose(
        number=w["diagnosing"], code="physical-damage", explanation="Dent.", actor=u, now=T)),
    "damage_decide": ("damage.decide", lambda w, u: damage_decide(
        determination_id=w["proposal"], confirm=False, note="No corrosion.", considered=[], actor=u, now=T)),
    "quotation_draft": ("quote.author", lambda w, u: quotation_draft(
        number=w["diagnosing"], lines=[DEEP_CLEAN], author=u, now=T)),
    "quotation_verify": ("quote.verify", lambda w, u: quotation_verify(
        quotation_id=w["off_list"], approve=True, note="Dusty.", verifier=u, now=T)),
    "quotation_send": ("quote.author", lambda w, u: quotation_send(quotation_id=w["ready_quote"], actor=u, now=T)),
    "quotation_answer_record": ("quote.record-answer", lambda w, u: quotation_answer_record(
        quotation_id=w["sent"], answers={1: "accept"}, channel="phone", actor=u, now=T)),
    "part_fit": ("case.repair", lambda w, u: part_fit(number=w["repairing"], part="psu", actor=u, now=T)),
    "part_return_to_stock": ("case.repair", lambda w, u: part_return_to_stock(usage_id=w["usage"], actor=u, now=T)),
    "case_ship": ("case.ship", lambda w, u: case_ship(number=w["ready"], carrier="SF", tracking="SF1", actor=u,
                                                      now=T)),
    "case_collect": ("case.ship", lambda w, u: case_collect(number=w["ready"], actor=u, now=T)),
    "case_hand_over": ("case.ship", lambda w, u: case_hand_over(number=w["ready"], identity_checked=True,
                                                               returned_complete=True, actor=u, now=T)),
    "case_delivered": ("case.ship", lambda w, u: case_delivered(number=w["shipped"], actor=u, now=T)),
    "advance_ship": ("case.ship", lambda w, u: advance_ship(
        number=w["swap"], replacement_serial="RF1", carrier="SF", tracking="SF2", actor=u, now=T)),
    "follow_up_resolve": ("follow-up.resolve", lambda w, u: follow_up_resolve(
        follow_up_id=w["follow_up"], resolution="Called back.", actor=u, now=T)),
    "evidence_add (centre's photo)": ("evidence.add", lambda w, u: case_evidence_add(
        case=w["case"], kind="inbound", upload=_photo(), name="in.png", actor=u, now=T)),
    "evidence_add (customer's photo)": ("case.book", lambda w, u: case_evidence_add(
        case=w["case"], kind="customer", upload=_photo(), name="mine.png", actor=u, now=T)),
    "case_book": ("case.book", lambda w, u: case_book(intake=intake(), actor=u, now=T)),
}


def _photo() -> bytes:
    from aftersales.evidence.conftest import photo

    return photo()


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_each_service_refuses_exactly_the_roles_its_action_leaves_out(world, service):
    action, call = SERVICES[service]
    results = {}
    for role in ROLE_NAMES:
        user = role_user(role, username=f"{role}-{abs(hash(service)) % 10_000}", centres=[world["case"].centre])
        results[role] = attempt(lambda u: call(world, u), user)
    refused = {role for role, result in results.items() if result == "forbidden"}
    assert refused == set(ROLE_NAMES) - ACTIONS[action], results
    # and the case was set up so that the service does its work for someone it lets through
    assert "done" in results.values(), results


# --- the centre: people work the cases of their own centres ----------------------------------------
NO_SUCH = {"unknown-case", "unknown-quotation", "unknown-follow-up", "unknown-part-usage", "unknown-determination"}
CASE_SERVICES = sorted(set(SERVICES) - {"case_book"})


@pytest.fixture
def beijing(db):
    from aftersales.centres.models import ServiceCentre

    return ServiceCentre.objects.create(code="bj-01", name_en="Beijing Haidian", name_zh="北京海淀", region="CN",
                                        city="Beijing", timezone="Asia/Shanghai")


@pytest.mark.parametrize("service", CASE_SERVICES)
def test_each_service_answers_a_person_of_another_centre_as_if_the_case_did_not_exist(world, beijing, service):
    # given people of every role who may take the service's action, all working at Beijing
    action, call = SERVICES[service]
    results = {}
    for role in sorted(ACTIONS[action] & set(ROLE_NAMES) - {"anonymous", "customer"}):
        user = role_user(role, username=f"bj-{role}-{abs(hash(service)) % 10_000}", centres=[beijing])
        # when each calls the service on the Shanghai case
        results[role] = attempt(lambda u: call(world, u), user)
    # then staff, technicians and verifiers are told there is no such case (or row of it), and
    # those who work across centres are let through as at home
    for role, result in results.items():
        if role in AT_THEIR_CENTRES:
            assert result in NO_SUCH, (role, result)
        else:
            assert role in EVERY_CENTRE_ROLES and result not in NO_SUCH, (role, result)
    assert results


def test_staff_book_repairs_only_at_their_own_centres(world, beijing):
    clerk = role_user("staff", username="bj-clerk", centres=[beijing])
    with pytest.raises(Forbidden) as refused:
        case_book(intake=intake(), actor=clerk, now=T)  # at Shanghai
    assert refused.value.code == "not-your-centre"
    assert case_book(intake=intake(centre="bj-01"), actor=clerk, now=T).centre == beijing
    assert case_book(intake=intake(), actor=None, now=T).centre.code == "sh-01"  # a customer books anywhere

