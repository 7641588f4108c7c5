"""How much a field and a case take: videos per file and per case, files per field, and fields
that take photos only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.core.errors import AppError
from aftersales.evidence.conftest import minimal_mp4, pdf, photo, stored_files
from aftersales.evidence.models import Evidence
from aftersales.evidence.services import uploads_within_limit
from aftersales.evidence.sniff import DOCUMENT, IMAGE
from aftersales.evidence.test_evidence_add import add, refused


def mp4_of(size: int) -> bytes:
    """A different MP4 of ``size`` bytes each time ``size`` differs: the ftyp box, then media data."""
    head = minimal_mp4()[:-8]
    return head + (size - len(head)).to_bytes(4, "big") + b"mdat" + bytes(size - len(head) - 8)


def test_a_case_holds_videos_up_to_its_limit_and_refuses_the_one_that_would_pass_it(cn_case, settings, media_root):
    # given a case that may hold 1000 bytes of video, already holding 400 + 500
    settings.EVIDENCE_MAX_VIDEO_BYTES_PER_CASE = 1000
    add(cn_case, mp4_of(400), kind="inbound", name="a.mp4")
    add(cn_case, mp4_of(500), kind="outbound", name="b.mp4")
    # when a video of 101 bytes more is added
    error = refused(cn_case, mp4_of(101), kind="damage", name="c.mp4")
    # then it is refused, in both languages, with what the case holds and what it may hold
    assert (error.code, error.status) == ("case-video-limit", 413)
    assert "already holds 900 bytes of video" in error.en and "1000 bytes" in error.en
    assert "已有 900 bytes 视频" in error.zh
    assert Evidence.objects.count() == 2 and len(stored_files(media_root)) == 2
    # while one that fits exactly, and photos, are still taken
    add(cn_case, mp4_of(100), kind="damage", name="d.mp4")
    add(cn_case, photo(), kind="damage")


def test_a_photo_field_refuses_a_video_and_a_document_in_both_languages(cn_case, media_root):
    for data, what_en, what_zh in ((minimal_mp4(), "video", "视频"), (pdf(), "document", "文件")):
        with pytest.raises(AppError) as err:
            add(cn_case, data, kind="customer", name="my photo", media=frozenset({IMAGE}))
        assert err.value.code == "wrong-kind-of-file" and err.value.field == "file"
        assert err.value.en == f"Only photos are accepted here, and this file is a {what_en}."
        assert err.value.zh == f"此处只接受照片，而此文件是{what_zh}。"
    assert Evidence.objects.count() == 0 and stored_files(media_root) == []


def test_a_proof_field_takes_photos_and_documents_but_no_video(cn_case):
    proof = frozenset({IMAGE, DOCUMENT})
    add(cn_case, pdf(), kind="proof", name="invoice.pdf", media=proof)
    add(cn_case, photo(), kind="proof", name="invoice.jpg", media=proof)
    with pytest.raises(AppError) as err:
        add(cn_case, minimal_mp4(), kind="proof", name="invoice.mp4", media=proof)
    assert "photos and PDF documents" in err.value.en and "照片和 PDF 文件" in err.value.zh


def test_a_field_takes_up_to_its_number_of_files(settings):
    settings.EVIDENCE_MAX_FILES_PER_FIELD = 3
    files = [SimpleUploadedFile(f"{n}.jpg", b"x") for n in range(4)]
    uploads_within_limit(files[:3])
    with pytest.raises(AppError) as err:
        uploads_within_limit(files)
    assert err.value.code == "too-many-files" and err.value.field == "file"
    assert "at most 3 files" in err.value.en and "you chose 4" in err.value.en
    assert "最多上传 3 个文件" in err.value.zh
