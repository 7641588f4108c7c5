"""The customer's files on the portal: what the application takes, that a refused application
leaves nothing behind (no case, no row, no file, on disk or in the bucket), and how the files
are served back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aftersales.evidence.conftest import minimal_mp4, pdf, photo, stored_files, windows_exe
from aftersales.evidence.models import Evidence
from aftersales.evidence.test_s3_storage import bucket_keys
from aftersales.portal.test_case_pages import application, centre  # noqa: F401 — the fixture
from aftersales.repairs.models import Case


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type)


def three_photos_and_then(last: SimpleUploadedFile) -> list:
    return [upload("front.jpg", photo()), upload("back.png", photo("PNG"), "image/png"),
            upload("side.webp", photo("WEBP"), "image/webp"), last]


@pytest.mark.parametrize(("last", "code"), [
    (upload("tool.jpg", windows_exe()), "unsupported-type"),
    (upload("unboxing.mp4", minimal_mp4(), "video/mp4"), "wrong-kind-of-file"),
], ids=["program-named-jpg", "video"])
def test_an_application_whose_last_photo_is_refused_leaves_no_case_and_no_file(registry, centre, media_root,
                                                                              last, code):
    # when three good photos are sent with one that is refused
    response = Client().post("/repair/apply/", {**application(), "photos": three_photos_and_then(last)})
    # then the application is refused, and nothing of it is kept: no case, no row, no file
    assert response.status_code == 400 and code in response.content.decode()
    assert not Case.objects.exists() and not Evidence.objects.exists()
    assert stored_files(media_root) == [] and not any((media_root / "evidence").iterdir())


def test_a_refused_application_leaves_nothing_in_the_bucket_either(registry, centre, s3_media):
    response = Client().post("/repair/apply/", {**application(), "photos": three_photos_and_then(
        upload("tool.jpg", windows_exe()))})
    assert response.status_code == 400
    assert bucket_keys(s3_media) == [] and not Case.objects.exists()


def test_the_photo_field_refuses_a_video_in_the_customers_language(registry, centre):
    response = Client().post("/repair/apply/", {**application(), "photos": [upload("a.mov", minimal_mp4())]},
                             HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 400 and "此处只接受照片，而此文件是视频。" in page
    assert 'accept="image/jpeg,image/png,image/webp,image/heic,image/heif,.heic"' in page
    assert "video" not in page[page.index('id="id_photos"'):][:200]


def test_more_photos_than_the_field_takes_are_refused_not_silently_dropped(registry, centre, settings, media_root):
    settings.EVIDENCE_MAX_FILES_PER_FIELD = 2
    photos = [upload(f"{n}.jpg", photo(orientation=n)) for n in (1, 3, 6)]
    response = Client().post("/repair/apply/", {**application(), "photos": photos})
    assert response.status_code == 400 and "too-many-files" in response.content.decode()
    assert "at most 2 files" in response.content.decode()
    assert not Case.objects.exists() and stored_files(media_root) == []


def test_a_proof_of_purchase_may_be_a_pdf(registry, centre):
    response = Client().post("/repair/apply/", {**application(), "proof": upload("invoice.pdf", pdf(),
                                                                               "application/pdf")})
    assert response.status_code == 302
    assert Evidence.objects.get().content_type == "application/pdf"


@pytest.fixture
def applied(registry, centre):
    """A case applied for with one photo and a PDF invoice; the client has it open."""
    client = Client()
    client.post("/repair/apply/", {**application(), "photos": [upload("lid.jpg", photo())],
                                   "proof": upload("invoice.pdf", pdf(), "application/pdf")})
    return client, Case.objects.get()


def test_the_customers_photo_is_shown_in_a_sandbox(applied):
    client, case = applied
    item = case.evidence.get(kind="customer")
    response = client.get(f"/track/{case.number}/photos/{item.public_id}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="lid.jpg"'
    assert response["Content-Security-Policy"] == "sandbox" and response["X-Content-Type-Options"] == "nosniff"


def test_a_document_is_downloaded_in_a_sandbox_never_opened_in_the_page(applied):
    client, case = applied
    item = case.evidence.get(kind="proof")
    response = client.get(f"/track/{case.number}/photos/{item.public_id}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="invoice.pdf"'
    assert response["Content-Security-Policy"] == "sandbox"
