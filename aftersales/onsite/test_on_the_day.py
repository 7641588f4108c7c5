"""On the day: check in with photos, work the cases through the one door, check out with the
customer's confirmation; the trip fee becomes one charge."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from aftersales.billing.models import Charge, ChargeKind
from aftersales.core.errors import AppError, Forbidden
from aftersales.core.testing import role_user
from aftersales.evidence.conftest import photo
from aftersales.onsite.fixtures import TUESDAY, shanghai
from aftersales.onsite.models import VisitStatus
from aftersales.onsite.on_the_day import visit_check_in, visit_check_out, visit_fee_agree
from aftersales.onsite.test_visits import FAR, book
from aftersales.repairs.models import Case
from aftersales.repairs.status import Status
from aftersales.repairs.testing import findings_for_all

ARRIVED = shanghai(TUESDAY, 9, 20)
LEFT = shanghai(TUESDAY, 10, 40)


_shade = iter(range(10, 250))


def snap(name="site.jpg"):
    """A photo unlike any taken before in the test (the same file twice on a case is refused)."""
    picture = Image.new("RGB", (64, 48), (next(_shade), 90, 40))
    return SimpleUploadedFile(name, photo(picture=picture), content_type="image/jpeg")


@pytest.fixture
def visit(onsite_case, tech, desktop_pack, staff):
    case = onsite_case("HD300001")
    return book([case.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff, eligible=False)


def test_checking_in_starts_diagnosis_on_site_with_the_arrival_photo(visit, tech):
    visit_check_in(public_id=visit.public_id, photos=[snap()], actor=tech, now=ARRIVED)
    case = Case.objects.get(visit_lines__visit=visit)
    assert case.status == Status.DIAGNOSING
    photo_ = case.evidence.get()
    assert photo_.kind == "visit" and photo_.customer_visible
    assert case.events.filter(summary_zh="已添加上门现场照片").exists()
    assert case.events.filter(to_status=Status.DIAGNOSING, summary_zh__contains="工程师已到达现场").exists()


def test_no_check_in_without_a_photo_and_nothing_moves(visit, tech):
    with pytest.raises(AppError) as refused:
        visit_check_in(public_id=visit.public_id, photos=[], actor=tech, now=ARRIVED)
    assert refused.value.code == "photo-required"
    assert Case.objects.get(visit_lines__visit=visit).status == Status.BOOKED


def test_checking_out_returns_the_device_once_every_fault_has_a_finding(visit, tech, staff):
    visit_check_in(public_id=visit.public_id, photos=[snap()], actor=tech, now=ARRIVED)
    with pytest.raises(AppError) as refused:  # no finding yet for the reported fault
        visit_check_out(public_id=visit.public_id, confirmed_by="Li Lei", photos=[snap()], actor=tech, now=LEFT)
    assert refused.value.status == 409
    case = Case.objects.get(visit_lines__visit=visit)
    findings_for_all(case, staff=tech, now=LEFT)
    done = visit_check_out(public_id=visit.public_id, confirmed_by="Li Lei", photos=[snap()], actor=tech, now=LEFT)
    assert done.status == VisitStatus.DONE and done.confirmed_by == "Li Lei"
    assert Case.objects.get(pk=case.pk).status == Status.COLLECTED
    fee = Charge.objects.get(case=case, kind=ChargeKind.TRIP)
    assert (fee.amount, fee.currency) == (Decimal("100.00"), "CNY")


def test_no_check_out_without_the_customers_confirmation(visit, tech):
    visit_check_in(public_id=visit.public_id, photos=[snap()], actor=tech, now=ARRIVED)
    with pytest.raises(AppError) as refused:
        visit_check_out(public_id=visit.public_id, confirmed_by="  ", photos=[snap()], actor=tech, now=LEFT)
    assert refused.value.code == "confirmation-required"


def test_a_visit_whose_fee_is_to_be_agreed_cannot_start_until_staff_agree_it(onsite_case, tech, desktop_pack, staff):
    far = book([onsite_case("HD300002").number], tech, shanghai(TUESDAY, 9), desktop_pack, staff, site=FAR)
    with pytest.raises(AppError) as refused:
        visit_check_in(public_id=far.public_id, photos=[snap()], actor=tech, now=ARRIVED)
    assert refused.value.code == "fee-not-agreed"
    with pytest.raises(Forbidden):
        visit_fee_agree(public_id=far.public_id, amount="260.00", actor=tech, now=ARRIVED)
    agreed = visit_fee_agree(public_id=far.public_id, amount="260.00", actor=staff, now=ARRIVED)
    assert agreed.trip_fee == Decimal("260.00") and "260.00" in agreed.fee_explanation["zh"]
    visit_check_in(public_id=far.public_id, photos=[snap()], actor=tech, now=ARRIVED)


def test_a_published_fee_is_not_renegotiated(visit, staff):
    with pytest.raises(AppError) as refused:
        visit_fee_agree(public_id=visit.public_id, amount="10.00", actor=staff, now=ARRIVED)
    assert refused.value.code == "fee-set-by-terms"


@pytest.mark.parametrize("amount", ["-5", "1e26", ["100"], "12.345"])
def test_an_agreed_fee_that_is_not_an_amount_is_refused(onsite_case, tech, desktop_pack, staff, amount):
    far = book([onsite_case("HD300003").number], tech, shanghai(TUESDAY, 9), desktop_pack, staff, site=FAR)
    with pytest.raises(AppError):
        visit_fee_agree(public_id=far.public_id, amount=amount, actor=staff, now=ARRIVED)


@pytest.mark.parametrize("role", ["customer", "auditor", "verifier", "exec-care"])
def test_only_people_who_go_on_site_check_in(visit, role):
    with pytest.raises(Forbidden):
        visit_check_in(public_id=visit.public_id, photos=[snap()], actor=role_user(role), now=ARRIVED)
    assert Case.objects.get(visit_lines__visit=visit).status == Status.BOOKED


