"""Rendering a repair report leaves the photo checks as strict as they were."""

from aftersales.core.errors import AppError
from aftersales.evidence.conftest import noisy_jpeg
from aftersales.repairs.conftest import NOW
from aftersales.repairs.evidence import case_evidence_add
from aftersales.repairs.report import report_pdf


def test_a_truncated_photo_is_still_refused_after_a_report_was_rendered(booked, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # given a report rendered in this process (WeasyPrint is imported)
    assert report_pdf(booked, "en").startswith(b"%PDF")
    # when half a JPEG is added as evidence
    whole = noisy_jpeg()
    try:
        case_evidence_add(case=booked, kind="inbound", upload=whole[: len(whole) // 2], name="half.jpg", actor=staff,
                     now=NOW)
    except AppError as refused:
        code = refused.code
    else:
        code = None
    # then it is refused as corrupt, as before any report
    assert code == "corrupt-image"
