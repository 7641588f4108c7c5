"""The customer's visit pages: book from the case page, see the arrival window and the fee, move
the visit, cancel it; nothing to book for a carry-in case; bad input answered on the form."""

import pytest
from django.urls import reverse

from aftersales.core import clock
from aftersales.core.testing import shipped_packs_loaded
from aftersales.onsite.fixtures import NOW, TUESDAY, shanghai
from aftersales.onsite.models import Visit, VisitStatus
from aftersales.onsite.rules.slots import minute
from aftersales.portal.cases import SESSION_KEY


@pytest.fixture
def opened(client, onsite_case):
    """An on-site case of a home desktop, opened in this browser as the look-up does."""
    shipped_packs_loaded()
    case = onsite_case("HD800001")
    session = client.session
    session[SESSION_KEY] = [case.number]
    session.save()
    with clock.frozen(NOW):
        yield case


def visit_url(case):
    return reverse("portal:case-visit", args=[case.number])


def test_the_case_page_offers_a_visit_and_the_visit_page_lists_free_times(client, opened, tech):
    page = client.get(reverse("portal:case", args=[opened.number]))
    assert visit_url(opened).encode() in page.content
    form = client.get(visit_url(opened), HTTP_ACCEPT_LANGUAGE="en")
    assert form.status_code == 200
    assert b"Tue 1 Dec 09:00\xe2\x80\x9310:00" in form.content  # Monday 10:00 now: tomorrow's first slot
    cities = form.content.decode()
    assert cities.index("Shanghai · 6 km") < cities.index("Kunshan · 49 km")  # nearest the centre first


def test_booking_a_visit_shows_its_arrival_window_and_that_it_is_free(client, opened, tech):
    done = client.post(visit_url(opened), {"symptom": "no-power", "city": "cn-shanghai", "address": "1 Huashan Road",
                                          "slot": str(minute(shanghai(TUESDAY, 9))), "evening": "0"})
    assert done.status_code == 302
    visit = Visit.objects.get()
    assert visit.free_onsite and str(visit.trip_fee) == "0.00" and visit.technician_id == tech.pk
    page = client.get(reverse("portal:case", args=[opened.number]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "2026年12月1日（周二）09:00–10:00 到达" in page.content.decode()


def test_an_evening_visit_says_it_is_paid(client, opened, tech):
    client.post(visit_url(opened), {"symptom": "no-power", "city": "cn-shanghai", "address": "1 Huashan Road",
                                    "slot": str(minute(shanghai(TUESDAY, 18))), "evening": "1"})
    visit = Visit.objects.get()
    assert visit.evening and str(visit.trip_fee) == "50.00"
    page = client.get(reverse("portal:case", args=[opened.number]), HTTP_ACCEPT_LANGUAGE="en")
    assert b"Evening visits (18:00" in page.content


def test_moving_and_cancelling_from_the_case_page(client, opened, tech):
    client.post(visit_url(opened), {"symptom": "no-power", "city": "cn-shanghai", "address": "1 Huashan Road",
                                    "slot": str(minute(shanghai(TUESDAY, 9))), "evening": "0"})
    moved = client.post(visit_url(opened), {"slot": str(minute(shanghai(TUESDAY, 14))), "evening": "0"})
    assert moved.status_code == 302 and Visit.objects.get().starts_at == shanghai(TUESDAY, 14)
    client.post(reverse("portal:case-visit-cancel", args=[opened.number]))
    assert Visit.objects.get().status == VisitStatus.CANCELLED


@pytest.mark.parametrize("fields, field_error", [
    ({"slot": "123"}, "slot"),
    ({"slot": ["1", "2"]}, "slot"),
    ({"latitude": "91", "longitude": "121"}, None),
    ({"latitude": "31.2"}, "longitude"),
    ({"symptom": "smoke"}, "symptom"),
    ({"address": ""}, "address"),
])
def test_bad_input_is_answered_on_the_form_and_books_nothing(client, opened, tech, fields, field_error):
    data = {"symptom": "no-power", "city": "cn-shanghai", "address": "1 Huashan Road",
            "slot": str(minute(shanghai(TUESDAY, 9))), "evening": "0", **fields}
    answer = client.post(visit_url(opened), data, HTTP_ACCEPT_LANGUAGE="en")
    assert 400 <= answer.status_code < 500
    assert not Visit.objects.exists()


def test_a_case_not_opened_in_this_browser_is_not_found(client, onsite_case, tech):
    case = onsite_case("HD800002")
    assert client.get(visit_url(case)).status_code == 404
    assert client.post(reverse("portal:case-visit-cancel", args=[case.number])).status_code == 404
