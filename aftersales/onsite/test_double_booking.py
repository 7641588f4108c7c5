"""A technician is never booked twice, even when two bookings race for one slot (PostgreSQL:
the exclusion constraint over the technician and the visit's blocked span)."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from aftersales.core.errors import AppError
from aftersales.onsite.conftest import TUESDAY, shanghai
from aftersales.onsite.models import Visit, VisitStatus
from aftersales.onsite.test_visits import book


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_bookings_racing_for_one_slot_make_exactly_one_visit(onsite_case, tech, desktop_pack, staff):
    numbers = [onsite_case(f"HD2000{i:02d}").number for i in range(6)]
    barrier = threading.Barrier(len(numbers))
    outcomes = []

    def attempt(number):
        try:
            barrier.wait()
            book([number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
            outcomes.append("booked")
        except AppError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in numbers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["booked"] + ["slot-taken"] * (len(numbers) - 1)
    assert Visit.objects.filter(technician=tech, status=VisitStatus.BOOKED).count() == 1


@pytest.mark.postgres_only
def test_the_database_refuses_an_overlapping_visit_written_past_the_service(onsite_case, tech, desktop_pack, staff):
    first = book([onsite_case("HD200100").number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    overlapping = Visit.objects.get(pk=first.pk)
    overlapping.pk, overlapping.public_id = None, None
    overlapping.starts_at = shanghai(TUESDAY, 11)  # inside the first visit's travel time
    overlapping.arrives_by = overlapping.ends_at = shanghai(TUESDAY, 11, 15)
    overlapping.blocked_until = shanghai(TUESDAY, 12)
    import uuid

    overlapping.public_id = uuid.uuid4()
    with pytest.raises(IntegrityError, match="not_double_booked"), transaction.atomic():
        overlapping.save()
    overlapping.status = VisitStatus.CANCELLED
    overlapping.save()  # a cancelled visit blocks nothing
    assert Visit.objects.count() == 2
