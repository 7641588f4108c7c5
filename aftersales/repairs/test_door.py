"""The one door: every status change goes through ``case_transition``, which checks the actor's
role, the edge's step, the guards, the lock and the status the person saw — from whatever status
the case comes. Cases are put in a status directly (an arrangement, not a move) so that each
guard is tried from every status with a move into the guarded one."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from aftersales.accounts.roles import ACTIONS, ANONYMOUS, SYSTEM_ACTOR
from aftersales.billing.models import Quotation, QuotationStatus
from aftersales.core.errors import Conflict, Forbidden
from aftersales.core.testing import ROLE_NAMES, role_user
from aftersales.evidence.models import Evidence
from aftersales.repairs.conftest import NOW
from aftersales.repairs.models import Case, CaseEvent, EventKind, Finding, Outcome, TestRun
from aftersales.repairs.services import InvalidTransition, case_move, case_transition, locked_case
from aftersales.repairs.status import HELD, TRANSITIONS, Status, reachers

LATER = NOW + dt.timedelta(hours=3)


def put(case: Case, status: str) -> Case:
    """Arrange the case in ``status`` without a move."""
    Case.objects.filter(pk=case.pk).update(status=status)
    return Case.objects.get(pk=case.pk)


def through_door(case: Case, to: str, actor, *, expected: str | None = None) -> Case:
    """Ask the door for the move as the step that owns it would."""
    with transaction.atomic():
        step = TRANSITIONS[(Case.objects.get(pk=case.pk).status, to)].step
        return case_transition(case=locked_case(case.number, actor=actor), to=to, actor=actor, now=LATER, step=step,
                               expected=expected)


def find_all(case: Case, staff, outcome: str = Outcome.NOT_REPRODUCED, part: str = "") -> None:
    for symptom in case.symptoms.all():
        Finding.objects.create(symptom=symptom, text="Checked.", outcome=outcome, part=part, recorded_by=staff,
                               recorded_at=NOW)


def sent_quotation(case: Case, author) -> Quotation:
    return Quotation.objects.create(case=case, status=QuotationStatus.SENT, currency="CNY", author=author,
                                    created_at=NOW, sent_at=NOW)


def actor_for(to: str, old: str, staff):
    """Someone whose role the edge allows."""
    action = TRANSITIONS[(old, to)].action
    if action == "storage.timer":
        return SYSTEM_ACTOR
    return staff


# --- roles --------------------------------------------------------------------------------------

EDGES = sorted(TRANSITIONS)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("move", EDGES, ids=[f"{a}>{b}" for a, b in EDGES])
def test_the_door_lets_through_exactly_the_roles_the_edge_names(booked, role, move):
    old, new = move
    case = put(booked, old)
    user = role_user(role, centres=[booked.centre])
    allowed = role in ACTIONS[TRANSITIONS[move].action]
    try:
        through_door(case, new, user)
    except Forbidden:
        assert not allowed, (role, move)
    except Conflict:  # a guard: the role itself was let through
        assert allowed, (role, move)
    else:
        assert allowed, (role, move)


def test_no_person_can_make_the_moves_only_the_storage_timers_make(booked, staff):
    admin = role_user("admin")
    for old, new in [m for m, e in TRANSITIONS.items() if e.action == "storage.timer"]:
        case = put(booked, old)
        for person in (staff, admin, None):
            with pytest.raises(Forbidden):
                through_door(case, new, person)


def test_the_storage_timer_acts_as_the_system_and_is_shown_as_such(booked):
    case = put(booked, Status.READY)
    through_door(case, Status.IN_STORAGE, SYSTEM_ACTOR)
    event = CaseEvent.objects.get(case=booked, to_status=Status.IN_STORAGE)
    assert (event.actor, event.actor_role) == (None, "system")


# --- steps --------------------------------------------------------------------------------------

STEP_EDGES = sorted(m for m, e in TRANSITIONS.items() if e.step)


@pytest.mark.parametrize("move", STEP_EDGES, ids=[f"{a}>{b}" for a, b in STEP_EDGES])
def test_a_move_that_belongs_to_a_step_cannot_be_made_as_a_plain_move(booked, staff, move):
    old, new = move
    put(booked, old)
    with pytest.raises(InvalidTransition) as err:
        case_move(number=booked.number, to=new, actor=staff, now=LATER)
    assert err.value.code == "move-has-its-own-form"
    assert Case.objects.get(pk=booked.pk).status == old


def test_a_move_to_a_status_that_does_not_exist_is_refused_in_plain_words(booked, staff):
    with pytest.raises(Exception) as err:
        case_move(number=booked.number, to="teleported", actor=staff, now=LATER)
    assert err.value.code == "unknown-status" and err.value.zh


# --- guards, from every status that reaches the guarded one -------------------------------------

def _targets(guard: str) -> list[tuple[str, str]]:
    return sorted(m for m, e in TRANSITIONS.items() if guard in e.guards)


@pytest.mark.parametrize("move", _targets("findings"), ids=lambda m: f"{m[0]}>{m[1]}")
def test_no_move_past_diagnosis_while_a_reported_fault_has_no_finding(booked, staff, move):
    old, new = move
    case = put(booked, old)
    symptom = case.symptoms.first()
    Finding.objects.create(symptom=symptom, text="Found.", outcome=Outcome.NOT_REPRODUCED, recorded_by=staff,
                           recorded_at=NOW)
    with pytest.raises(Conflict) as err:
        through_door(case, new, actor_for(new, old, staff))
    assert err.value.code == "findings-missing" and "2" in err.value.en and "2" in err.value.zh
    assert Case.objects.get(pk=booked.pk).status == old


def test_every_status_with_a_move_into_ready_runs_the_return_guards():
    for old in reachers(Status.READY):
        assert {"findings", "customer-answer", "qa-retest"} <= set(TRANSITIONS[(old, Status.READY)].guards), old
    for old in reachers(Status.REPAIRING):
        assert {"findings", "customer-answer"} <= set(TRANSITIONS[(old, Status.REPAIRING)].guards) or \
            old == Status.QA, old


@pytest.mark.parametrize("move", _targets("customer-answer"), ids=lambda m: f"{m[0]}>{m[1]}")
def test_no_work_starts_and_nothing_goes_back_while_a_sent_quotation_is_unanswered(booked, staff, move):
    old, new = move
    case = put(booked, old)
    find_all(case, staff)
    sent_quotation(case, staff)
    with pytest.raises(Conflict) as err:
        through_door(case, new, actor_for(new, old, staff))
    assert err.value.code == "customer-answer-missing"
    assert "phone" in err.value.en and "电话" in err.value.zh
    assert Case.objects.get(pk=booked.pk).status == old


def test_staff_cannot_start_a_quoted_repair_with_the_status_button(booked, staff):
    case = put(booked, Status.AWAITING_CUSTOMER)
    find_all(case, staff)
    sent_quotation(case, staff)
    with pytest.raises(InvalidTransition):
        case_move(number=booked.number, to=Status.REPAIRING, actor=staff, now=LATER)
    with pytest.raises(Conflict) as err:  # nor through the answer's step while no answer is recorded
        through_door(case, Status.REPAIRING, staff)
    assert err.value.code == "customer-answer-missing"


@pytest.mark.parametrize("move", _targets("qa-retest"), ids=lambda m: f"{m[0]}>{m[1]}")
def test_a_repaired_case_goes_back_only_after_each_repaired_fault_passed_its_retest(booked, staff, move):
    old, new = move
    case = put(booked, Status.DIAGNOSING)
    find_all(case, staff, Outcome.CONFIRMED, part="psu")
    put(case, Status.QA)
    through_door(case, Status.REPAIRING, staff)  # the case has been repaired
    case = put(case, old)
    TestRun.objects.create(case=case, stage="qa", symptom=case.symptoms.first(), name="Power-on", passed=True,
                           run_at=NOW)
    with pytest.raises(Conflict) as err:
        through_door(case, new, actor_for(new, old, staff))
    assert err.value.code == "qa-retest-missing" and "2" in err.value.en
    TestRun.objects.create(case=case, stage="qa", symptom=case.symptoms.last(), name="Fan", passed=True, run_at=NOW)
    assert through_door(case, new, actor_for(new, old, staff)).status == new


def test_a_case_never_repaired_needs_no_retest_to_go_back(booked, staff):
    case = put(booked, Status.DIAGNOSING)
    find_all(case, staff, Outcome.CONFIRMED, part="psu")
    assert through_door(case, Status.READY, staff).status == Status.READY


@pytest.mark.parametrize("old", sorted(HELD))
def test_a_filming_centre_ships_from_any_waiting_status_only_with_outbound_media(booked, staff, old):
    booked.centre.requires_parcel_media = True
    booked.centre.save()
    case = put(booked, old)
    with pytest.raises(Conflict) as err:
        through_door(case, Status.SHIPPED, staff)
    assert err.value.code == "parcel-media-required"
    Evidence.objects.create(case=case, kind="outbound", file="x.jpg", content_type="image/jpeg", size=1,
                            sha256="0" * 64, uploaded_at=NOW, original_name="x.jpg")
    assert through_door(case, Status.SHIPPED, staff).status == Status.SHIPPED


# --- the lock and the status the person saw ------------------------------------------------------

def test_a_stale_copy_of_the_case_is_refused(booked, staff):
    stale = Case.objects.get(pk=booked.pk)
    case_move(number=booked.number, to=Status.RECEIVED, actor=staff, now=LATER)
    with pytest.raises(Conflict) as err, transaction.atomic():
        case_transition(case=stale, to=Status.CANCELLED, actor=staff, now=LATER)
    assert err.value.code == "case-changed"
    assert Case.objects.get(pk=booked.pk).status == Status.RECEIVED


def test_the_door_returns_the_instance_it_was_given_moved(booked, staff):
    with transaction.atomic():
        case = locked_case(booked.number, actor=staff)
        moved = case_transition(case=case, to=Status.RECEIVED, actor=staff, now=LATER)
    assert moved is case and case.status == Status.RECEIVED and case.status_changed_at == LATER


# --- the timeline is append-only -----------------------------------------------------------------

def test_timeline_rows_cannot_be_changed_or_removed(booked):
    event = CaseEvent.objects.get(case=booked)
    event.summary_en = "rewritten"
    for attempt in (event.save, event.delete, lambda: CaseEvent.objects.filter(pk=event.pk).update(summary_en="x"),
                    lambda: CaseEvent.objects.filter(pk=event.pk).delete()):
        with pytest.raises(TypeError):
            attempt()
    assert CaseEvent.objects.get(pk=event.pk).summary_en != "rewritten"


def test_the_database_refuses_an_event_of_an_unknown_kind(booked):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.create(case=booked, kind="made-up", at=NOW, summary_en="x", summary_zh="x")
    assert EventKind.STATUS_CHANGED in EventKind.values


def test_a_case_with_a_timeline_cannot_be_deleted(booked):
    with pytest.raises(Exception):
        booked.delete()
    assert Case.objects.filter(pk=booked.pk).exists()


def test_an_anonymous_visitor_cannot_receive_or_cancel_a_case(booked):
    assert ANONYMOUS not in ACTIONS["case.receive"] | ACTIONS["case.cancel"]
    with pytest.raises(Forbidden):
        case_move(number=booked.number, to=Status.CANCELLED, actor=None, now=LATER)
