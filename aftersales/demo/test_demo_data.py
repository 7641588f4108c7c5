"""``aftersales demo-data``."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role, roles_of
from aftersales.centres.models import ServiceCentre
from aftersales.warranty.models import Device, PolicyPack


def run() -> str:
    out = io.StringIO()
    call_command("demo-data", stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_running_the_demo_twice_adds_nothing_the_second_time():
    # given a first run
    first = run()
    counts = (PolicyPack.objects.count(), ServiceCentre.objects.count(), Device.objects.count(),
              User.objects.count())
    serials = set(Device.objects.values_list("serial", flat=True))
    # when it runs again
    second = run()
    # then nothing is duplicated: the same packs, centres, devices and users
    assert counts == (2, 8, 300, 7)
    assert (PolicyPack.objects.count(), ServiceCentre.objects.count(), Device.objects.count(),
            User.objects.count()) == counts
    assert set(Device.objects.values_list("serial", flat=True)) == serials
    assert "300 new" in first and "0 new, 300 updated" in second


@pytest.mark.django_db
def test_the_demo_has_every_product_line_a_user_per_role_and_parcel_media_in_north_america():
    output = run()
    assert set(Device.objects.values_list("product_line", flat=True)) == {
        "rog-desktop", "home-desktop", "aio", "mini-pc", "nuc", "notebook"}
    assert set(Device.objects.filter(product_line="notebook").values_list("sold_in", flat=True)) <= {"US", "CA"}
    assert set(Device.objects.exclude(product_line="notebook").values_list("sold_in", flat=True)) <= {
        "CN", "HK", "TW"}
    assert set(ServiceCentre.objects.filter(requires_parcel_media=True).values_list("region", flat=True)) == {
        "US", "CA"}
    for username, role in [("staff", Role.STAFF), ("technician", Role.TECHNICIAN), ("verifier", Role.VERIFIER),
                           ("execcare", Role.EXEC_CARE), ("auditor", Role.AUDITOR), ("admin", Role.ADMIN),
                           ("customer", Role.CUSTOMER)]:
        user = User.objects.get(username=username)
        assert role in roles_of(user) and user.check_password("aftersales-demo")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert "aftersales-demo" in output
    assert "HDCN00001" in output and "in warranty" in output and "out of warranty" in output


@pytest.mark.django_db
def test_every_demo_member_of_staff_belongs_to_a_centre_and_sees_only_theirs():
    from aftersales.accounts.scope import AT_THEIR_CENTRES, readable_centres

    with translation.override("zh-hans"):  # whatever language was active, the logins read in English
        output = run()
    for user in User.objects.exclude(username="customer"):
        assert user.centres.exists(), user.username
        if roles_of(user) & AT_THEIR_CENTRES:
            assert readable_centres(user) == set(user.centres.values_list("pk", flat=True)) != set()
    technician = User.objects.get(username="technician")
    assert list(technician.centres.values_list("code", flat=True)) == ["sh-xuhui"]
    assert readable_centres(User.objects.get(username="auditor")) is None
    assert "technician  Third-party technician — sees Shanghai Xuhui Service Centre" in output
    # and a second run keeps the same memberships
    run()
    assert list(User.objects.get(username="verifier").centres.order_by("code").values_list("code", flat=True)) == [
        "bj-haidian", "sh-xuhui"]
