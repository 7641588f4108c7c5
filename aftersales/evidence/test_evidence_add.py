"""Adding evidence: what is accepted, what is stripped, and that a refusal leaves nothing behind."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from PIL import Image

from aftersales.core.errors import AppError
from aftersales.evidence.conftest import (
    EXIF_GPS_IFD,
    encrypted_pdf,
    minimal_mp4,
    noisy_jpeg,
    pdf,
    photo,
    stored_files,
    windows_exe,
)
from aftersales.evidence.models import Evidence
from aftersales.evidence.selectors import evidence_for_case
from aftersales.evidence.services import display_name
from aftersales.repairs.conftest import NOW
from aftersales.repairs.evidence import case_evidence_add
from aftersales.repairs.models import CaseEvent
from aftersales.repairs.testing import staff_member

CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heic"}


def add(case, data, *, kind="inbound", name="photo.jpg", **extra):
    """Added by a member of the centre's staff (the customer adds only their own photos)."""
    return case_evidence_add(case=case, kind=kind, upload=data, name=name, actor=staff_member(), now=NOW, **extra)


def refused(case, data, **kwargs) -> AppError:
    with pytest.raises(AppError) as err:
        add(case, data, **kwargs)
    assert err.value.field == "file" and err.value.en and err.value.zh
    return err.value


def reopened(evidence) -> Image.Image:
    with evidence.file.open("rb") as stored:
        picture = Image.open(io.BytesIO(stored.read()))
        picture.load()
    return picture


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_a_photo_with_gps_is_stored_upright_without_any_metadata(cn_case, fmt):
    # given a photo whose EXIF holds a GPS position, the camera's serial and "turn me 90°"
    original = photo(fmt)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(EXIF_GPS_IFD)
    # when it is added
    added = add(cn_case, original, name=f"IMG_0001.{fmt.lower()}")
    # then the stored picture has no EXIF, no GPS, no XMP, no colour profile, no comment…
    picture = reopened(added.evidence)
    assert dict(picture.getexif()) == {} and not picture.getexif().get_ifd(EXIF_GPS_IFD)
    assert not picture.info.get("exif") and not picture.info.get("xmp")
    assert not picture.info.get("icc_profile") and not picture.info.get("comment")
    stored = added.evidence.file.open("rb").read()
    assert b"BODY-SERIAL-0042" not in stored and b"31,14" not in stored
    # …and it is upright: the red left half of the sensor image is now on top
    assert picture.size == (20, 40) == (added.evidence.width, added.evidence.height)
    red, blue = picture.convert("RGB").getpixel((10, 5)), picture.convert("RGB").getpixel((10, 35))
    assert red[0] > 180 > red[2] and blue[2] > 180 > blue[0]
    assert added.metadata_removed and "metadata" in added.note_en and "元数据" in added.note_zh
    assert added.evidence.content_type == CONTENT_TYPES[fmt]


def test_the_stored_path_never_uses_the_uploaders_file_name(cn_case):
    name = "C:\\Users\\li\\Desktop\\../my dented\u202egpj.exe\x00 lid.jpg"
    evidence = add(cn_case, photo(), name=name).evidence
    assert re.fullmatch(rf"evidence/{cn_case.number}/[0-9a-f]{{32}}\.jpg", evidence.file.name)
    assert evidence.original_name == "my dentedgpj.exe lid.jpg"
    assert (evidence.size, len(evidence.sha256)) == (evidence.file.size, 64)


def test_original_names_are_cut_to_a_displayable_length_keeping_the_extension():
    assert display_name("a" * 300 + ".jpeg") == "a" * 250 + ".jpeg"
    assert display_name("/etc/") == "upload"


def test_the_type_comes_from_the_bytes_not_from_the_browser(cn_case):
    upload = SimpleUploadedFile("scan.pdf", photo(), content_type="application/pdf")
    evidence = case_evidence_add(case=cn_case, kind="customer", upload=upload, actor=None, now=NOW).evidence
    assert evidence.content_type == "image/jpeg" and evidence.original_name == "scan.pdf"


def test_a_windows_executable_named_jpg_is_refused_and_nothing_is_stored(cn_case, media_root):
    error = refused(cn_case, windows_exe(), name="holiday.jpg")
    assert error.code == "unsupported-type" and "JPEG" in error.en and "JPEG" in error.zh
    assert Evidence.objects.count() == 0 and stored_files(media_root) == []
    assert not CaseEvent.objects.filter(kind="evidence-added").exists()


def test_a_truncated_jpeg_is_refused_as_corrupt(cn_case, media_root):
    whole = noisy_jpeg()
    assert refused(cn_case, whole[: len(whole) // 2]).code == "corrupt-image"
    assert Evidence.objects.count() == 0 and stored_files(media_root) == []


def test_an_image_over_the_limit_is_refused(cn_case, settings, media_root):
    settings.EVIDENCE_MAX_IMAGE_BYTES = 100
    error = refused(cn_case, photo())
    assert (error.code, error.status) == ("file-too-large", 413)
    assert "100 bytes" in error.en and "100 bytes" in error.zh
    assert Evidence.objects.count() == 0 and stored_files(media_root) == []


def test_an_empty_file_is_refused(cn_case, media_root):
    assert refused(cn_case, b"", name="empty.jpg").code == "empty-file"
    assert refused(cn_case, SimpleUploadedFile("empty.mp4", b"")).code == "empty-file"
    assert Evidence.objects.count() == 0 and stored_files(media_root) == []


@pytest.mark.parametrize(("body", "word"), [
    (b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", "scripts"),
    (b"/OpenAction << /S /Launch /F (cmd.exe) >>", "programs"),
])
def test_a_pdf_with_javascript_or_a_launch_action_is_refused(cn_case, media_root, body, word):
    error = refused(cn_case, pdf(body), kind="proof", name="invoice.pdf")
    assert error.code == "unsafe-pdf" and word in error.en
    assert Evidence.objects.count() == 0 and stored_files(media_root) == []


def test_an_encrypted_pdf_is_refused(cn_case):
    error = refused(cn_case, encrypted_pdf(user_password=""), kind="proof", name="invoice.pdf")
    assert error.code == "unsafe-pdf" and "encrypted" in error.en and "加密" in error.zh


def test_a_plain_pdf_is_stored_as_it_was_uploaded(cn_case):
    added = add(cn_case, pdf(), kind="proof", name="invoice.pdf")
    assert added.evidence.content_type == "application/pdf" and not added.metadata_removed
    assert added.evidence.file.open("rb").read() == pdf()


def test_an_mp4_is_accepted_and_stored_exactly_as_uploaded(cn_case):
    # given the smallest MP4 a parser accepts, uploaded the way a browser sends it
    upload = SimpleUploadedFile("unboxing.mp4", minimal_mp4(), content_type="video/mp4")
    # when it is added
    added = case_evidence_add(case=cn_case, kind="inbound", upload=upload, actor=staff_member(), now=NOW)
    # then it is kept byte for byte, and the caller is told its metadata was not removed
    evidence = added.evidence
    assert (evidence.content_type, evidence.width, evidence.height) == ("video/mp4", None, None)
    assert evidence.file.name.endswith(".mp4") and evidence.file.open("rb").read() == minimal_mp4()
    assert not added.metadata_removed and "exactly as uploaded" in added.note_en and "原样" in added.note_zh


def test_a_video_over_its_limit_is_refused(cn_case, settings):
    settings.EVIDENCE_MAX_VIDEO_BYTES = 10
    assert refused(cn_case, minimal_mp4(), name="a.mp4").code == "file-too-large"


def test_the_same_photo_twice_for_the_same_purpose_is_refused(cn_case, media_root):
    add(cn_case, photo(), kind="damage")
    error = refused(cn_case, photo(), kind="damage", name="again.jpg")
    assert (error.code, error.status) == ("duplicate-evidence", 409)
    assert Evidence.objects.count() == 1 and len(stored_files(media_root)) == 1
    # the same photo may still illustrate something else
    add(cn_case, photo(), kind="customer")
    assert Evidence.objects.count() == 2


def test_if_the_row_cannot_be_written_the_stored_file_is_removed(cn_case, media_root):
    def refuse_evidence_rows(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "evidence_evidence" in sql:
            raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_evidence_rows), pytest.raises(DatabaseError):
        add(cn_case, photo())
    assert Evidence.objects.count() == 0 and stored_files(media_root) == []


def test_each_piece_of_evidence_is_an_event_on_the_timeline(cn_case, staff_user):
    add(cn_case, photo(), kind="inbound")
    add(cn_case, minimal_mp4(), kind="outbound", name="out.mp4")
    add(cn_case, pdf(), kind="other", name="note.pdf", description="Courier's damage report")
    events = list(CaseEvent.objects.filter(case=cn_case, kind="evidence-added").order_by("id"))
    assert [(e.summary_en, e.summary_zh) for e in events] == [
        ("Inbound photo added", "已添加收件照片"), ("Outbound video added", "已添加寄出视频"),
        ("Document added", "已添加文件")]
    assert [e.customer_visible for e in events] == [True, True, False]
    assert events[0].data["sha256"] == Evidence.objects.get(kind="inbound").sha256


def test_the_customer_sees_only_the_evidence_marked_for_them(cn_case):
    add(cn_case, photo(), kind="inbound")
    add(cn_case, pdf(), kind="other", name="internal.pdf")
    add(cn_case, minimal_mp4(), kind="damage", name="d.mp4", customer_visible=False)
    assert [e.kind for e in evidence_for_case(cn_case, customer_view=True)] == ["inbound"]
    assert [e.kind for e in evidence_for_case(cn_case, customer_view=False)] == ["inbound", "other", "damage"]


def test_the_uploader_is_recorded_when_signed_in(cn_case, staff_user):
    evidence = case_evidence_add(case=cn_case, kind="inbound", upload=photo(), name="a.jpg", actor=staff_user,
                            now=NOW, description="Box corner crushed " * 200).evidence
    assert evidence.uploaded_by == staff_user and evidence.uploaded_at == NOW
    assert len(evidence.description) > 3000
    assert CaseEvent.objects.get(kind="evidence-added").actor_role == "staff"


def test_an_animated_picture_is_refused(cn_case):
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:])
    assert refused(cn_case, out.getvalue(), name="dance.png").code == "animated-image"


def test_a_picture_too_large_to_decode_safely_is_refused(cn_case, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # 40×20 photo: past twice the limit
    error = refused(cn_case, photo())
    assert (error.code, error.status) == ("image-too-large", 413)
