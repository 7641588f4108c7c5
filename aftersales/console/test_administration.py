"""Administration in the console: loading a policy pack and importing the registry through the
same services as the command line, with what is wrong said in words; opening a service centre;
adding a member of staff and changing their roles and centres, which decide what they read."""

from __future__ import annotations

import html

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aftersales.accounts.models import User
from aftersales.accounts.roles import ACTIONS
from aftersales.centres.models import ServiceCentre
from aftersales.console.conftest import book, signed_in
from aftersales.console.test_access import IMPORT_PAGES
from aftersales.core.testing import ROLE_NAMES, role_user
from aftersales.notifications.testing import run_due_tasks
from aftersales.warranty.models import Device, PolicyPack, RegistryImport
from aftersales.warranty.tasks import registry_import

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


def status_of_the_latest_import(client, language="en"):
    run = RegistryImport.objects.first()
    response = client.get(f"/console/admin/devices/import/{run.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    return response.status_code, page(response)


@pytest.mark.django_db(transaction=True)
def test_a_registry_file_is_imported_by_the_worker_and_the_status_line_follows_it_to_done(admin):
    # given a file of one new device and one known one
    csv = CSV_HEADER + ("HD100001,S500SE,home-desktop,2024-01-05,2024-01-20,CN\n"
                        "HD000001,S500SE,home-desktop,2024-03-01,2024-03-20,CN\n")
    # when the administrator uploads it
    response = admin.post("/console/admin/devices/import/", {"file": upload("devices.csv", csv)}, follow=True)
    # then the page says the import waits, and polls its status line
    text = page(response)
    run = RegistryImport.objects.get()
    assert "devices.csv: waiting for the import to start." in text and not Device.objects.filter(serial="HD100001")
    assert f'hx-get="/console/admin/devices/import/{run.pk}/"' in text and 'hx-trigger="every 1s"' in text
    assert status_of_the_latest_import(admin)[0] == 200  # htmx keeps polling
    # and once the worker has run it, the line says done with the counts, and the polling stops
    run_due_tasks()
    assert Device.objects.get(serial="HD100001").sold_in == "CN"
    code, line = status_of_the_latest_import(admin)
    assert code == 286 and "devices.csv: imported 2 rows, 1 new devices and 1 updated." in line
    code, line = status_of_the_latest_import(admin, "zh-hans")
    assert "devices.csv：已导入 2 行，新增设备 1 台，更新 1 台。" in line
    assert "devices.csv: imported 2 rows" in page(admin.get("/console/admin/"))  # the overview shows it too
    assert RegistryImport.objects.get().data in (b"", memoryview(b""))  # the file is not kept


@pytest.mark.django_db(transaction=True)
def test_a_hostile_registry_file_ends_with_each_wrong_row_in_words_and_the_next_file_still_imports(admin):
    # given a file with a line that is not UTF-8, a NUL, a cell past the CSV reader's limit, a row
    # longer than the header, an unknown product line and a markup-laden model
    hostile = (CSV_HEADER.encode() + b"HD100001,S500SE,home-desktop,2024-01-05,,CN\n"
               + b"HD100002,S500SE,home-desktop,2024-01-05,,\xff\xfe\n"
               + b"HD100003,S5\x0000,home-desktop,2024-01-05,,CN\n"
               + b'HD100004,"' + b"x" * 200_000 + b'",home-desktop,2024-01-05,,CN\n'
               + b"HD100005,S500SE,home-desktop,2024-01-05,,CN,extra\n"
               + b"HD100006,<script>alert(1)</script>,toaster,2024-01-05,,CN\n")
    admin.post("/console/admin/devices/import/", {"file": SimpleUploadedFile("bad.csv", hostile)})
    # when the worker runs it (a task that raised would fail ``run_due_tasks``)
    run_due_tasks()
    # then nothing is imported, and every wrong row is listed in words, without codes or field names
    code, text = status_of_the_latest_import(admin)
    assert code == 286 and not Device.objects.filter(serial__startswith="HD1000").exists()
    assert "bad.csv: nothing was imported; 5 rows need correcting." in text
    rows = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', text)]
    assert sorted(set(rows)) == [3, 4, 5, 6, 7]
    assert "The line is not UTF-8 text." in text and "Unknown product line" in text
    assert "<script>alert" not in raw_status(admin) and "invalid-csv" not in text and "sold_in" not in text
    # and the next file is imported as usual
    admin.post("/console/admin/devices/import/", {"file": upload("good.csv", CSV_HEADER + (
        "HD100001,S500SE,home-desktop,2024-01-05,,CN\n"))})
    run_due_tasks()
    assert status_of_the_latest_import(admin)[1].count("good.csv: imported 1 rows") == 1
    assert Device.objects.filter(serial="HD100001").exists()


def raw_status(client) -> str:
    run = RegistryImport.objects.first()
    return client.get(f"/console/admin/devices/import/{run.pk}/").content.decode()


def test_a_file_that_is_not_text_is_refused_whole_in_the_readers_language(admin):
    # given a picture uploaded as a CSV; when its import runs
    admin.post("/console/admin/devices/import/", {"file": SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n"
                                                                             + bytes(range(256)) * 8)})
    registry_import.call(RegistryImport.objects.get().pk)
    # then the status line says the whole file was refused, and why
    code, text = status_of_the_latest_import(admin, "zh-hans")
    assert code == 286 and "photo.csv：未导入任何数据。" in text and "文件不是 UTF-8 编码的文本（CSV）。" in text


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_the_roles_that_import_read_an_imports_status_line(admin, role):
    admin.post("/console/admin/devices/import/", {"file": upload("devices.csv", CSV_HEADER)})
    [(name, _kwargs, action)] = IMPORT_PAGES
    client = Client()
    if (user := role_user(role, username=f"someone-{role}")) is not None:
        client.force_login(user)
    response = client.get(reverse(name, kwargs={"pk": RegistryImport.objects.get().pk}))
    if role in ACTIONS[action]:
        assert response.status_code == 200 and "devices.csv: waiting for the import to start." in page(response)
    elif user is None:
        assert response.status_code == 302 and response["Location"].startswith("/console/login/")
    else:
        assert response.status_code == 403


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
