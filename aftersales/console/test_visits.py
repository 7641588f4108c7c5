"""The day board and the visit page: visits in their technicians' slots, day by day, for the
centres the reader works at; staff reassign, reschedule, agree a fee and cancel; whoever goes
checks in and out with photos; refusals in the reader's words."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from aftersales.centres.models import ServiceCentre
from aftersales.core import clock
from aftersales.core.testing import role_user, shipped_packs_loaded
from aftersales.evidence.conftest import photo
from aftersales.onsite.fixtures import NOW, TUESDAY, shanghai, technician_with_hours
from aftersales.onsite.models import Absence, Visit, VisitStatus
from aftersales.onsite.rules.slots import minute
from aftersales.onsite.test_visits import FAR, book
from aftersales.repairs.models import Case
from aftersales.repairs.numbers import display
from aftersales.repairs.status import Status
from aftersales.repairs.testing import findings_for_all


def snap(name: str = "site.jpg") -> SimpleUploadedFile:
    """A photo of noise: never the same file twice (a case refuses a file it already has)."""
    return SimpleUploadedFile(name, photo(picture=Image.effect_noise((64, 48), 64).convert("RGB")),
                              content_type="image/jpeg")


@pytest.fixture
def visit(onsite_case, tech, desktop_pack, staff):
    """A day visit on Tuesday 1 December at 09:00 in Shanghai, booked by the desk, fee by the terms."""
    shipped_packs_loaded()
    case = onsite_case("HD900001")
    with clock.frozen(NOW):
        yield book([case.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff, eligible=False, now=NOW)


def signed_in(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def board_url(centre: str = "sh-01", day: dt.date = TUESDAY) -> str:
    return f"{reverse('console:visits')}?centre={centre}&day={day.isoformat()}"


def visit_url(visit, action: str = "") -> str:
    name = f"console:visit-{action}" if action else "console:visit"
    return reverse(name, kwargs={"public_id": visit.public_id})


def test_the_board_places_a_visit_in_its_technicians_slots_with_case_window_and_city(visit, tech, staff):
    # given the technician away on Tuesday afternoon
    Absence.objects.create(technician=tech, starts_at=shanghai(TUESDAY, 14), ends_at=shanghai(TUESDAY, 16))
    # when the desk opens Tuesday's board
    page = signed_in(staff).get(board_url()).content.decode()
    # then the technician's row has the visit over its two hours as a link, and the absence
    number = display(visit.lines.get().case.number)
    assert "wang-wei" in page and number in page and "09:00–10:00" in page and "Shanghai" in page
    assert 'colspan="4" class="board__cell board__cell--visit"' in page
    assert f'href="{visit_url(visit)}"' in page
    assert page.count("board__cell--absent") == 4 + 1  # four half hours, and the legend
    assert 'rel="prev"' in page and "day=2026-11-30" in page and "day=2026-12-02" in page


def test_the_board_reads_in_chinese_and_shows_an_empty_day(visit, staff):
    page = signed_in(staff, "zh-hans").get(board_url(day=TUESDAY + dt.timedelta(days=1))).content.decode()
    assert "2026年12月2日（周三）" in page and "上海徐汇" in page
    assert "board__cell--visit" not in page


def test_on_a_public_holiday_the_board_says_so_and_nobody_is_free(visit, staff):
    page = signed_in(staff).get(board_url(day=dt.date(2027, 1, 1))).content.decode()
    assert "A public holiday where the centre is" in page
    assert page.count("board__cell--free") == 1 and "board__cell--off" in page  # "free": the legend only


def test_the_board_opens_on_the_centres_today_without_a_day(visit, staff):
    page = signed_in(staff).get(reverse("console:visits")).content.decode()
    assert "Monday 30 November 2026" in page


def test_a_technician_of_another_centre_sees_neither_the_board_nor_the_visit(visit):
    # given a technician working at Beijing only
    beijing = ServiceCentre.objects.create(code="bj-01", name_en="Beijing Haidian", name_zh="北京海淀", region="CN",
                                           city="Beijing", timezone="Asia/Shanghai")
    outsider = signed_in(role_user("technician", username="zhao", centres=[beijing]))
    # then Shanghai's board, the visit and its check-in answer as if they did not exist
    assert outsider.get(board_url()).status_code == 404
    assert outsider.get(visit_url(visit)).status_code == 404
    assert outsider.post(visit_url(visit, "check-in"), {"check-in-photos": snap()}).status_code == 404
    # and their own board offers only their own centre
    page = outsider.get(reverse("console:visits")).content.decode()
    assert "Beijing Haidian" in page and "Shanghai Xuhui" not in page
    assert Visit.objects.get().status == VisitStatus.BOOKED


def test_the_visit_page_shows_the_machine_the_fee_and_the_vip_counters(onsite_case, tech, desktop_pack, staff):
    shipped_packs_loaded()
    case = onsite_case("RG900001", line="rog-desktop", purchased_on=dt.date(2026, 3, 1))
    with clock.frozen(NOW):
        visit = book([case.number], tech, shanghai(TUESDAY, 13), desktop_pack, staff, eligible=False, now=NOW)
        page = signed_in(staff).get(visit_url(visit)).content.decode()
    assert display(case.number) in page and "100.00 CNY" in page
    assert "On-site cleaning: 1 / 1" in page and "Software visit: 1 / 1" in page


def test_reassigning_to_a_technician_busy_then_is_refused_in_words_and_nothing_changes(visit, centre, onsite_case,
                                                                                       desktop_pack, staff, tech):
    # given a second technician with a visit at the same time
    other = technician_with_hours(centre, "li-na")
    busy = book([onsite_case("HD900002").number], other, shanghai(TUESDAY, 9), desktop_pack, staff, now=NOW)
    # when the desk sends them to the first visit too
    response = signed_in(staff).post(visit_url(visit, "reassign"), {"reassign-technician": other.pk})
    # then the page says who is busy, without a code, and the visit keeps its technician
    assert response.status_code == 409
    text = response.content.decode()
    assert "li-na already has a visit at that time" in text and "slot-taken" not in text
    visit.refresh_from_db()
    assert visit.technician_id == tech.pk and busy.technician_id == other.pk


def test_reassigning_to_a_free_technician_and_rescheduling_to_an_offered_time(visit, centre, staff):
    other = technician_with_hours(centre, "li-na")
    desk = signed_in(staff)
    assert desk.post(visit_url(visit, "reassign"), {"reassign-technician": other.pk}).status_code == 302
    visit.refresh_from_db()
    assert visit.technician_id == other.pk
    # the page offers Wednesday 10:00 by day; moving there keeps the technician, who is free
    page = desk.get(visit_url(visit)).content.decode()
    wednesday_ten = f"{minute(shanghai(TUESDAY + dt.timedelta(days=1), 10))}:0"
    assert f'value="{wednesday_ten}"' in page
    assert desk.post(visit_url(visit, "reschedule"), {"reschedule-slot": wednesday_ten}).status_code == 302
    visit.refresh_from_db()
    assert visit.starts_at == shanghai(TUESDAY + dt.timedelta(days=1), 10) and visit.technician_id == other.pk


@pytest.mark.parametrize("slot", ["²:0", "9" * 40 + ":0", "-5:0", "１０:0", ":1", "abc"])
def test_rescheduling_to_a_time_that_cannot_be_one_is_explained_and_changes_nothing(visit, staff, slot):
    desk = signed_in(staff)
    before = (visit.starts_at, visit.technician_id)
    response = desk.post(visit_url(visit, "reschedule"), {"reschedule-slot": slot})
    assert response.status_code in (200, 400, 422)
    assert "Choose a time from the list." in response.content.decode()
    visit.refresh_from_db()
    assert (visit.starts_at, visit.technician_id) == before


def test_a_negotiated_fee_is_agreed_on_the_page_and_a_bad_amount_is_explained(onsite_case, tech, desktop_pack, staff):
    shipped_packs_loaded()
    case = onsite_case("HD900003")
    with clock.frozen(NOW):
        visit = book([case.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff, site=FAR, now=NOW)
        desk = signed_in(staff, "zh-hans")
        assert "请在上门前" not in desk.get(visit_url(visit)).content.decode()
        refused = desk.post(visit_url(visit, "fee"), {"fee-amount": "-5"})
        assert refused.status_code == 422 and "上门费" in refused.content.decode()
        assert desk.post(visit_url(visit, "fee"), {"fee-amount": "260"}).status_code == 302
    visit.refresh_from_db()
    assert visit.trip_fee == Decimal("260.00") and visit.fee_agreed_by == staff


def test_the_technician_checks_in_and_out_with_photos_and_the_case_is_returned(visit, tech, staff):
    worker = signed_in(tech)
    # a check-in without a photo is refused in words
    refused = worker.post(visit_url(visit, "check-in"))
    assert refused.status_code == 422 and "Add at least one photo on arrival." in refused.content.decode()
    assert worker.post(visit_url(visit, "check-in"), {"check-in-photos": snap()}).status_code == 302
    case = Case.objects.get(visit_lines__visit=visit)
    assert case.status == Status.DIAGNOSING
    findings_for_all(case, staff=staff, now=NOW)
    done = worker.post(visit_url(visit, "check-out"), {"check-out-confirmed_by": "Li Lei",
                                                       "check-out-photos": snap()})
    assert done.status_code == 302
    visit.refresh_from_db()
    case.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.confirmed_by == "Li Lei"
    assert case.status == Status.COLLECTED and case.evidence.count() == 2
    # the case page links the visit
    page = signed_in(staff).get(reverse("console:case", args=[case.number])).content.decode()
    assert visit_url(visit) in page


def test_cancelling_needs_a_reason_and_writes_it_on_the_timeline(visit, staff):
    desk = signed_in(staff)
    assert desk.post(visit_url(visit, "cancel"), {"cancel-reason": ""}).status_code == 422
    assert desk.post(visit_url(visit, "cancel"), {"cancel-reason": "The customer fixed it."}).status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    assert visit.lines.get().case.events.filter(summary_en__contains="The customer fixed it.").exists()
