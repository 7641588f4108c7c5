"""Seed 000: US and Canadian centres photograph or film each parcel on arrival and before it goes
back; a case there cannot be received or shipped without that evidence."""

import datetime as dt

import pytest

from aftersales.core.errors import Conflict
from aftersales.evidence.conftest import minimal_mp4, pdf, photo
from aftersales.evidence.selectors import parcel_media_missing
from aftersales.evidence.test_evidence_add import add
from aftersales.repairs.conftest import NOW
from aftersales.repairs.models import Case
from aftersales.repairs.returns import case_ship
from aftersales.repairs.status import Status
from aftersales.repairs.testing import drive, staff_member

LATER = NOW + dt.timedelta(hours=1)


def move(case, to):
    """Move the case the way the centre does: receive it, get it ready, ship it."""
    staff = staff_member()
    if to == Status.SHIPPED:
        case_ship(number=case.number, carrier="UPS", tracking="1Z999", actor=staff, now=LATER)
        return Case.objects.get(pk=case.pk)
    return drive(case, to, staff=staff, now=LATER)


def test_receiving_a_booked_case_without_inbound_media_is_refused(us_case):
    with pytest.raises(Conflict) as err:
        move(us_case, Status.RECEIVED)
    assert (err.value.code, err.value.status) == ("parcel-media-required", 409)
    assert "inbound photo or video" in err.value.en and "收件照片或视频" in err.value.zh
    assert Case.objects.get(pk=us_case.pk).status == Status.BOOKED


def test_after_an_inbound_photo_is_added_the_case_is_received(us_case):
    add(us_case, photo(), kind="inbound")
    assert move(us_case, Status.RECEIVED).status == Status.RECEIVED


def test_a_document_or_another_kind_of_photo_does_not_count_as_parcel_media(us_case):
    add(us_case, pdf(), kind="inbound", name="waybill.pdf")
    add(us_case, photo(), kind="customer")
    assert parcel_media_missing(us_case, "inbound")
    with pytest.raises(Conflict):
        move(us_case, Status.RECEIVED)


def test_shipping_without_outbound_media_is_refused_and_a_video_is_enough(us_case):
    # given a received case that is ready to go back
    add(us_case, minimal_mp4(), kind="inbound", name="opening.mp4")
    move(us_case, Status.RECEIVED)
    move(us_case, Status.READY)
    # when it is shipped without outbound media, then it is refused
    with pytest.raises(Conflict) as err:
        move(us_case, Status.SHIPPED)
    assert err.value.code == "parcel-media-required"
    assert "outbound photo or video" in err.value.en and "寄出照片或视频" in err.value.zh
    assert Case.objects.get(pk=us_case.pk).status == Status.READY
    # and once the parcel is filmed it ships
    add(us_case, minimal_mp4(), kind="outbound", name="packing.mp4")
    assert move(us_case, Status.SHIPPED).status == Status.SHIPPED


def test_a_centre_that_does_not_require_parcel_media_moves_freely(cn_case):
    assert not parcel_media_missing(cn_case, "inbound") and not parcel_media_missing(cn_case, "outbound")
    for step in (Status.RECEIVED, Status.READY, Status.SHIPPED):
        move(cn_case, step)
    assert Case.objects.get(pk=cn_case.pk).status == Status.SHIPPED


def test_parcel_media_are_inbound_or_outbound_only(us_case):
    with pytest.raises(ValueError):
        parcel_media_missing(us_case, "damage")
