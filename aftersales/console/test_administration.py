"""Administration in the console: loading a policy pack and importing the registry through the
same services as the command line, with what is wrong said in words; opening a service centre;
adding a member of staff and changing their roles and centres, which decide what they read."""

from __future__ import annotations

import html

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.accounts.models import User
from aftersales.centres.models import ServiceCentre
from aftersales.console.conftest import book, signed_in
from aftersales.warranty.models import Device, PolicyPack

CSV_HEADER = "serial,model,product_line,manufactured_on,shipped_on,sold_in\n"


def page(response) -> str:
    return html.unescape(response.content.decode())


def upload(name: str, content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode())


@pytest.fixture
def admin(centres):
    return signed_in("admin", username="boss", centre=None)


def next_version_of_the_desktop_pack() -> str:
    """The shipped desktop pack as a later version, in force from 2025-07-01."""
    text = (settings.POLICY_PACK_DIR / "cn-desktop.toml").read_text("utf-8")
    text = re.sub(r'(?m)^version = "[^"]*"$', 'version = "2025.07.01"', text, count=1)
    return re.sub(r"(?m)^effective_from = [0-9-]+$", "effective_from = 2025-07-01", text, count=1)


def test_the_overview_leads_to_every_administrators_tool(admin):
    text = page(admin.get("/console/admin/"))
    for url in ("/console/packs/", "/console/admin/packs/load/", "/console/admin/devices/import/", "/console/prices/",
                "/console/values/", "/console/admin/centres/", "/console/admin/people/", "/admin/"):
        assert f'href="{url}"' in text, url


def test_a_good_pack_is_loaded_and_listed_with_its_version(admin):
    response = admin.post("/console/admin/packs/load/", {"file": upload("cn-desktop.toml",
                                                                         next_version_of_the_desktop_pack())},
                          follow=True)
    assert PolicyPack.objects.filter(pack_id="cn-desktop", version="2025.07.01").exists()
    assert "version 2025.07.01, in force from 2025-07-01" in page(response)


@pytest.mark.parametrize(("language", "words"), [("en", "not valid TOML"), ("zh-hans", "TOML")])
def test_a_broken_pack_stores_nothing_and_says_why_without_codes(admin, language, words):
    before = PolicyPack.objects.count()
    response = admin.post("/console/admin/packs/load/", {"file": upload("x.toml", "[pack\nid = ")},
                          HTTP_ACCEPT_LANGUAGE=language)
    text = page(response)
    assert response.status_code == 422 and PolicyPack.objects.count() == before
    assert words in text and "invalid-pack" not in text


def test_a_good_registry_file_is_imported_and_the_status_line_says_so(admin):
    csv = CSV_HEADER + ("HD100001,S500SE,home-desktop,2024-01-05,2024-01-20,CN\n"
                        "HD000001,S500SE,home-desktop,2024-03-01,2024-03-20,CN\n")
    response = admin.post("/console/admin/devices/import/", {"file": upload("devices.csv", csv)})
    assert Device.objects.get(serial="HD100001").sold_in == "CN"
    assert "Imported: 1 new devices, 1 updated." in page(response)


def test_a_registry_file_with_bad_rows_imports_nothing_and_lists_each_row_in_words(admin):
    csv = CSV_HEADER + ("HD100001,S500SE,home-desktop,2024-01-05,,CN\n"
                        "HD100002,S500SE,toaster,2024-01-05,,CN\n")
    response = admin.post("/console/admin/devices/import/", {"file": upload("devices.csv", csv)})
    text = page(response)
    assert response.status_code == 422 and not Device.objects.filter(serial__startswith="HD1000").exists()
    assert "Nothing was imported: 1 row needs correcting." in text
    assert '<td class="num">3</td>' in text and "unknown-product-line" not in text


def test_an_administrator_opens_a_service_centre(admin):
    response = admin.post("/console/admin/centres/", {"code": "sh-02", "name_en": "Shanghai Pudong",
                                                      "name_zh": "上海浦东", "region": "CN", "city": "Shanghai",
                                                      "timezone": "Asia/Shanghai"}, follow=True)
    assert ServiceCentre.objects.get(code="sh-02").name_zh == "上海浦东"
    assert "Opened Shanghai Pudong." in page(response)


def test_a_centre_with_a_taken_code_is_refused_in_words(admin):
    response = admin.post("/console/admin/centres/", {"code": "sh-01", "name_en": "Again", "name_zh": "重复",
                                                      "region": "CN", "city": "Shanghai", "timezone": "Asia/Shanghai"})
    assert response.status_code == 422 and "Another service centre already has that code." in page(response)
    assert ServiceCentre.objects.filter(code="sh-01").count() == 1


def test_a_new_member_of_staff_works_only_the_cases_of_the_centre_given(admin, centres):
    # given a case at each centre
    shanghai, fremont = book(), book(centre="us-01", serial="NB000001")
    # when the administrator adds a member of staff at Shanghai
    response = admin.post("/console/admin/people/new/", {
        "username": "mei", "full_name": "Han Meimei", "email": "mei@example.com", "password": "a-long-pass-phrase",
        "roles": ["staff"], "centres": [str(centres["sh"].pk)]}, follow=True)
    assert "mei may now sign in." in page(response) and "Han Meimei" in page(response)
    # then they sign in with that password and read Shanghai's case, not Fremont's
    from django.test import Client

    mei = Client()
    assert mei.post("/console/login/", {"username": "mei", "password": "a-long-pass-phrase"}).status_code == 302
    queue = mei.get("/console/cases/").content.decode()
    assert shanghai.number in queue and fremont.number not in queue
    # and when the administrator moves them to Fremont, that changes at once
    user = User.objects.get(username="mei")
    admin.post(f"/console/admin/people/{user.pk}/", {"roles": ["staff"], "centres": [str(centres["us"].pk)],
                                                     "active": "on"})
    queue = mei.get("/console/cases/").content.decode()
    assert fremont.number in queue and shanghai.number not in queue


def test_a_weak_password_or_no_role_is_refused_and_nobody_is_added(admin):
    response = admin.post("/console/admin/people/new/", {"username": "lei", "password": "12345678",
                                                         "roles": ["staff"]})
    assert response.status_code == 422 and "密码" not in page(response) and "password" in page(response).lower()
    response = admin.post("/console/admin/people/new/", {"username": "lei", "password": "a-long-pass-phrase"})
    assert response.status_code == 422 and "Choose at least one role from the list." in page(response)
    assert not User.objects.filter(username="lei").exists()


def test_an_administrator_cannot_take_away_their_own_administrator_role(admin):
    me = User.objects.get(username="boss")
    response = admin.post(f"/console/admin/people/{me.pk}/", {"roles": ["staff"], "active": "on"})
    assert response.status_code == 422 and "own administrator role" in page(response)
    assert me.groups.filter(name="admin").exists()


def test_the_django_admin_carries_the_products_name(admin):
    assert "Aftersales" in page(admin.get("/admin/"))


def test_a_weak_password_is_refused_with_the_reasons_in_the_readers_language(admin):
    response = admin.post("/console/admin/people/new/", {"username": "lei", "password": "12345678",
                                                         "roles": ["staff"]}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 422 and "密码" in page(response)
    assert not User.objects.filter(username="lei").exists()
