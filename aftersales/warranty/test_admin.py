"""The admin pages for policy packs and the serial registry: uploads that store everything or
nothing, with the field and the reason shown in the admin's language."""

from __future__ import annotations

import html

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from aftersales.core.testing import role_user, shipped_packs_loaded
from aftersales.warranty.models import Device, PolicyPack

LOAD = "/admin/warranty/policypack/load/"
IMPORT = "/admin/warranty/device/import/"


@pytest.fixture
def admin_client(db):
    shipped_packs_loaded()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(role_user("admin"))
    return client


def upload(name: str, content: str | bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def next_version_of_the_desktop_pack() -> str:
    text = (settings.POLICY_PACK_DIR / "cn-desktop.toml").read_text("utf-8")
    return (text.replace('version = "2026.11.30"', 'version = "2025.07.01"')
                .replace("effective_from = 2011-01-01", "effective_from = 2025-07-01")
                .replace("published_on = 2026-11-30", "published_on = 2025-07-01"))


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_a_file_that_is_not_toml_stores_nothing_and_says_why(admin_client):
    before = PolicyPack.objects.count()
    response = admin_client.post(LOAD, {"file": upload("broken.toml", "[pack\nid = ")})
    assert response.status_code == 422
    assert PolicyPack.objects.count() == before
    text = page(response)
    assert "The pack was not loaded." in text and "invalid-pack" in text and "not valid TOML" in text


@pytest.mark.parametrize(("language", "reason"), [("en", "is required but missing"), ("zh-hans", "缺少必填项")])
def test_a_pack_missing_a_field_names_the_field_and_the_reason_in_the_admin_language(admin_client, language,
                                                                                     reason):
    bad = next_version_of_the_desktop_pack().replace('version = "2025.07.01"\n', "")
    before = PolicyPack.objects.count()
    response = admin_client.post(LOAD, {"file": upload("cn-desktop.toml", bad)}, HTTP_ACCEPT_LANGUAGE=language)
    assert PolicyPack.objects.count() == before
    text = page(response)
    assert "pack.version" in text and reason in text


def test_a_version_already_loaded_is_refused(admin_client):
    text = (settings.POLICY_PACK_DIR / "cn-desktop.toml").read_text("utf-8")
    response = admin_client.post(LOAD, {"file": upload("cn-desktop.toml", text)})
    assert response.status_code == 422 and "pack-version-exists" in page(response)
    assert PolicyPack.objects.filter(pack_id="cn-desktop").count() == 1


def test_a_good_pack_is_stored_as_a_new_version_and_its_file_shown(admin_client):
    response = admin_client.post(LOAD, {"file": upload("cn-desktop.toml", next_version_of_the_desktop_pack())})
    row = PolicyPack.objects.get(pack_id="cn-desktop", version="2025.07.01")
    assert response.status_code == 302 and response["Location"] == f"/admin/warranty/policypack/{row.pk}/change/"
    assert row.loaded_by.username == "admin-user"
    detail = page(admin_client.get(response["Location"]))
    assert 'version = "2025.07.01"' in detail and "Loaded Desktop and all-in-one warranty terms — Greater China (2025-07-01)" in detail


@override_settings(MAX_UPLOAD_BYTES=100)
def test_a_file_over_the_upload_limit_is_refused_unread(admin_client):
    response = admin_client.post(LOAD, {"file": upload("cn-desktop.toml", next_version_of_the_desktop_pack())})
    assert "file-too-large" in page(response)
    assert not PolicyPack.objects.filter(version="2025.07.01").exists()


def test_the_pack_list_offers_loading_and_nothing_else(admin_client):
    text = page(admin_client.get("/admin/warranty/policypack/"))
    assert LOAD in text and "/admin/warranty/policypack/add/" not in text


CSV_HEADER = "serial,model,product_line,manufactured_on,shipped_on,sold_in\n"


def test_a_registry_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(admin_client):
    csv = CSV_HEADER + ("HD100001,S500SE,home-desktop,2024-01-05,,CN\n"
                        "HD100002,S500SE,toaster,2024-01-05,,CN\n"
                        "HD100003,S500SE,home-desktop,2024-02-30,,CN\n")
    response = admin_client.post(IMPORT, {"file": upload("devices.csv", csv)})
    text = page(response)
    assert response.status_code == 422
    assert not Device.objects.exists()
    assert "Nothing was imported: 2 problems found." in text
    assert "unknown-product-line" in text and "invalid-date" in text
    assert "<td>3</td>" in text and "<td>4</td>" in text


def test_a_good_registry_file_is_imported(admin_client):
    csv = CSV_HEADER + "HD100001,S500SE,home-desktop,2024-01-05,2024-01-20,CN\n"
    response = admin_client.post(IMPORT, {"file": upload("devices.csv", csv)}, follow=True)
    assert Device.objects.get(serial="HD100001").sold_in == "CN"
    assert "Imported: 1 new devices, 0 updated." in page(response)


def test_devices_can_be_searched_by_serial_and_filtered(admin_client):
    Device.objects.create(serial="HD100001", model="S500SE", product_line="home-desktop",
                          manufactured_on="2024-01-05", sold_in="CN")
    Device.objects.create(serial="NB100001", model="Zenbook", product_line="notebook",
                          manufactured_on="2024-01-05", sold_in="US")
    found = page(admin_client.get("/admin/warranty/device/", {"q": "HD100001"}))
    assert "HD100001" in found and "NB100001" not in found
    filtered = page(admin_client.get("/admin/warranty/device/", {"product_line": "notebook"}))
    assert "NB100001" in filtered and "HD100001" not in filtered
