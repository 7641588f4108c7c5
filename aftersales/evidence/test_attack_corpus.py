"""Files sent to hurt the server or whoever opens them. Each is refused with its own code, in
English and Chinese, and nothing of the attempt is left: each comes second in an application,
after a good photo that was already stored, and the whole application is rolled back."""

import pytest
from django.db import transaction

from aftersales.core.errors import AppError
from aftersales.evidence.conftest import minimal_mp4, pdf_with_object_stream, photo, png_bomb, stored_files
from aftersales.evidence.models import Evidence
from aftersales.evidence.test_upload_limits import mp4_of
from aftersales.repairs.conftest import NOW
from aftersales.repairs.evidence import case_evidence_add
from aftersales.repairs.models import CaseEvent
from aftersales.repairs.testing import staff_member

VIDEO_LIMIT = 64 * 1024
PHP = b'<?php system($_GET["c"]); ?>'

CORPUS = [
    ("bomb", "dent.png", png_bomb, "image-too-large"),  # made when the test runs, not when it is collected
    ("html-as-jpg", "photo.jpg", b"<!DOCTYPE html><html><script>fetch('/console/')</script></html>", "unsupported-type"),
    ("svg-as-png", "photo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>',
     "unsupported-type"),
    ("php-as-jpg", "shell.php.jpg", PHP, "unsupported-type"),
    ("php-behind-jpeg-magic", "shell.jpg", b"\xff\xd8\xff\xe0" + PHP, "corrupt-image"),
    ("pdf-escaped-script", "invoice.pdf",
     pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>", stream_type=b"/Obj#53tm"), "unsafe-pdf"),
    ("zero-bytes", "empty.jpg", b"", "empty-file"),
    ("traversal-name", "../../../../../tmp/cron.d/evil.jpg", b"* * * * * root sh -c id\n", "unsupported-type"),
    ("traversal-name-windows", "..\\..\\..\\web.config", b"<configuration/>", "unsupported-type"),
    ("oversize-video", "unboxing.mp4", mp4_of(VIDEO_LIMIT + 1), "file-too-large"),
]


@pytest.mark.parametrize(("name", "data", "code"), [item[1:] for item in CORPUS], ids=[item[0] for item in CORPUS])
def test_each_attack_is_refused_and_leaves_nothing_on_disk(cn_case, settings, media_root, tmp_path, name, data, code):
    settings.EVIDENCE_MAX_VIDEO_BYTES = VIDEO_LIMIT
    before = sorted(tmp_path.rglob("*"))
    staff = staff_member()
    # when a good photo and then the attack are sent together
    with pytest.raises(AppError) as refusal, transaction.atomic():
        case_evidence_add(case=cn_case, kind="inbound", upload=photo(), name="box.jpg", actor=staff, now=NOW)
        assert len(stored_files(media_root)) == 1
        case_evidence_add(case=cn_case, kind="inbound", upload=data() if callable(data) else data, name=name,
                          actor=staff, now=NOW)
    # then the attack is refused with its code, in both languages
    assert (refusal.value.code, refusal.value.field) == (code, "file")
    assert refusal.value.en and refusal.value.zh and refusal.value.en != refusal.value.zh
    # and nothing is left: no row, no timeline line, no file, no folder, nothing outside the media folder
    assert Evidence.objects.count() == 0 and not CaseEvent.objects.filter(kind="evidence-added").exists()
    assert stored_files(media_root) == [] and not (media_root / "evidence" / cn_case.number).exists()
    assert [p for p in sorted(tmp_path.rglob("*")) if not p.is_relative_to(media_root)] == \
        [p for p in before if not p.is_relative_to(media_root)]


def test_a_good_photo_under_a_traversal_name_is_kept_inside_the_case_folder_under_a_name_of_ours(cn_case, media_root):
    evidence = case_evidence_add(case=cn_case, kind="inbound", upload=photo(), name="../../../../etc/passwd.jpg",
                                 actor=staff_member(), now=NOW).evidence
    [stored] = stored_files(media_root)
    assert stored.parent == media_root / "evidence" / cn_case.number and stored.name != "passwd.jpg"
    assert evidence.original_name == "passwd.jpg"


def test_a_video_within_the_limit_is_still_taken(cn_case, settings):
    settings.EVIDENCE_MAX_VIDEO_BYTES = VIDEO_LIMIT
    case_evidence_add(case=cn_case, kind="inbound", upload=minimal_mp4(), name="ok.mp4", actor=staff_member(), now=NOW)
    assert Evidence.objects.get().content_type == "video/mp4"
