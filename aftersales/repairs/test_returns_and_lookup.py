"""Returning the device, advance shipment, follow-ups, the customer's look-up and the staff queue."""

import datetime as dt

import pytest

from aftersales.core.errors import AppError, Conflict, NotFound
from aftersales.repairs.conftest import NOW, intake
from aftersales.repairs.models import Case, CaseEvent
from aftersales.repairs.numbers import display
from aftersales.repairs.returns import (
    advance_ship,
    case_collect,
    case_ship,
    customer_message_add,
    follow_up_open,
    follow_up_resolve,
)
from aftersales.repairs.selectors import case_lookup, case_queue, customer_timeline
from aftersales.repairs.services import case_book, case_move
from aftersales.repairs.status import Status
from aftersales.repairs.testing import drive

LATER = NOW + dt.timedelta(hours=5)


@pytest.fixture
def ready(booked, staff):
    return drive(booked, Status.READY, staff=staff, now=NOW)


def test_a_ready_device_ships_with_its_tracking_number_on_the_timeline(ready, staff):
    shipment = case_ship(number=ready.number, carrier="SF Express", tracking="SF123456789", actor=staff, now=LATER)
    assert Case.objects.get(pk=ready.pk).status == Status.SHIPPED
    assert shipment.tracking == "SF123456789"
    assert "SF123456789" in CaseEvent.objects.filter(case=ready, kind="shipment").get().summary_en


def test_shipping_needs_a_carrier_and_a_tracking_number(ready, staff):
    with pytest.raises(AppError) as err:
        case_ship(number=ready.number, carrier="SF", tracking=" ", actor=staff, now=LATER)
    assert err.value.field == "tracking"
    assert Case.objects.get(pk=ready.pk).status == Status.READY


def test_collecting_within_the_free_period_charges_nothing(ready, staff):
    case_collect(number=ready.number, actor=staff, now=LATER)
    assert Case.objects.get(pk=ready.pk).status == Status.COLLECTED
    assert not ready.charges.exists()


def test_a_replacement_goes_ahead_only_for_a_mail_in_swap(centre, device, staff):
    carry_in = case_book(intake=intake(), actor=None, now=NOW)
    with pytest.raises(Conflict):
        advance_ship(number=carry_in.number, replacement_serial="RF000001", carrier="UPS", tracking="1Z9",
                     actor=staff, now=LATER)
    swap = case_book(intake=intake(kind="mail-in", preference="refurbished"), actor=None, now=NOW)
    advance = advance_ship(number=swap.number, replacement_serial="RF000001", carrier="UPS", tracking="1Z9",
                           actor=staff, now=LATER)
    assert advance.return_by == LATER.date() + dt.timedelta(days=14)
    event = CaseEvent.objects.get(case=swap, kind="advance-shipped")
    assert "send your faulty device back" in event.summary_en and "寄回故障产品" in event.summary_zh


def test_an_unclear_message_opens_a_follow_up_that_staff_resolve(booked, staff):
    item = follow_up_open(case=booked, about="quotation", message="What is a PSU?", now=NOW)
    follow_up_resolve(follow_up_id=item.pk, resolution="Called the customer: the PSU is the power supply.",
                      actor=staff, now=LATER)
    texts = list(customer_timeline(booked).filter(kind__in=["follow-up", "follow-up-answered"])
                 .values_list("summary_en", flat=True))
    assert len(texts) == 2 and "power supply" in texts[1]


def test_a_customer_message_of_any_ordinary_length_is_kept_whole(booked):
    long_text = "The screen flickers when the lid is at 90 degrees. " * 40
    message = customer_message_add(case=booked, text=long_text, now=NOW)
    assert message.text == long_text.strip() and len(message.text) > 1000


def test_a_look_up_needs_the_number_and_the_email_or_phone_on_file(booked):
    assert case_lookup(number=display(booked.number).lower(), contact="LI.LEI@example.com") == booked
    assert case_lookup(number=booked.number, contact="+86 138-0000-0000".replace("+86 ", "")) == booked


def test_a_wrong_contact_and_an_unknown_number_get_the_same_answer(booked):
    with pytest.raises(NotFound) as wrong:
        case_lookup(number=booked.number, contact="someone@else.com")
    with pytest.raises(NotFound) as unknown:
        case_lookup(number="R" + "Z" * 11, contact="li.lei@example.com")
    assert (wrong.value.code, wrong.value.en, wrong.value.zh) == (unknown.value.code, unknown.value.en,
                                                                   unknown.value.zh)


def test_the_customer_timeline_hides_internal_events(booked, staff):
    from aftersales.repairs import events

    events.note(booked, NOW, staff, "Internal: check stock", visible=False)
    assert all(e.customer_visible for e in customer_timeline(booked))
    assert booked.events.count() == 2


def test_the_queue_pages_by_keyset_oldest_first(centre, device):
    numbers = [case_book(intake=intake(), actor=None, now=NOW + dt.timedelta(minutes=i)).number for i in range(7)]
    first = case_queue(centres=[centre.pk], now=LATER, limit=3)
    second = case_queue(centres=[centre.pk], now=LATER, limit=3, cursor=first.next_cursor)
    third = case_queue(centres=[centre.pk], now=LATER, limit=3, cursor=second.next_cursor)
    seen = [c.number for page in (first, second, third) for c in page.cases]
    assert seen == numbers and third.next_cursor is None


def test_the_queue_shows_cases_late_against_their_service_level(centre, device, staff):
    late = case_book(intake=intake(), actor=None, now=NOW)
    case_move(number=late.number, to=Status.RECEIVED, actor=staff, now=NOW)
    fresh = case_book(intake=intake(), actor=None, now=NOW)
    case_move(number=fresh.number, to=Status.RECEIVED, actor=staff, now=NOW + dt.timedelta(days=2))
    page = case_queue(centres=[centre.pk], now=NOW + dt.timedelta(days=2, hours=1), late_only=True)
    assert [c.number for c in page.cases] == [late.number]
