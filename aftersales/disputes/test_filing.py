"""Filing a dispute: linked to our case when the number and serial match, kept unlinked for a case
from before this product, every problem refused at once, and acknowledged by e-mail at once with
the dispute number and the day the answer is due."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales.core import clock
from aftersales.core.errors import AppError, each_error
from aftersales.disputes.models import Dispute, DisputeFile, State
from aftersales.disputes.services import Filing, dispute_assign, dispute_file, dispute_note_add, dispute_resolve
from aftersales.notifications.models import Notification
from aftersales.repairs.models import Case, CaseEvent
from aftersales.sla.selectors import clock_due

def png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()



def filing(**overrides) -> Filing:
    fields = dict(customer_name="Li Lei", case_number="", serial="HD000001", country="CN",
                  what_happened="The fan was never fixed and I was charged for a dent.", email="li.lei@example.com")
    fields.update(overrides)
    return Filing(**fields)


def test_a_dispute_naming_our_case_and_its_serial_is_linked_and_acknowledged_with_its_due_day(case):
    # given a case of ours, filed against on 1 June 2025 at noon in Shanghai
    # when the customer files a dispute with its number (as they type it) and its serial, in Chinese
    dispute = dispute_file(filing=filing(case_number=case.display_number.lower(), serial="hd000001",
                                         language="zh-hans"), actor=None, now=clock.now())
    # then it is linked to the case and its first answer is due a week later, on its clock
    assert dispute.case == case and dispute.state == State.FILED
    answer = clock_due(subject=("dispute", dispute.number), target="first-answer", now=clock.now())
    assert answer.deadline - dispute.filed_at == dt.timedelta(days=7)
    # and the customer is told at once, in Chinese, with the number and the day
    mail = Notification.objects.get(key=f"{dispute.number}:acknowledged")
    assert mail.recipient == "li.lei@example.com" and mail.language == "zh-hans"
    assert dispute.display_number in mail.subject and "2025年6月8日" in mail.body_text
    # and the case's staff timeline says so, not the customer's
    note = CaseEvent.objects.filter(case=case, data__dispute=dispute.number).get()
    assert note.customer_visible is False


def test_a_case_from_2011_is_named_by_its_old_number_and_stays_unlinked(centres):
    # when a customer names a case from before this product
    dispute = dispute_file(filing=filing(case_number=" na-2011-0042 ", serial="XYZ12345"), actor=None,
                           now=clock.now())
    # then the dispute keeps the number, tidied, and links no case
    assert dispute.case is None and dispute.case_number == "NA-2011-0042"
    assert "1 June" not in Notification.objects.get(key=f"{dispute.number}:acknowledged").body_text
    assert "8 June 2025" in Notification.objects.get(key=f"{dispute.number}:acknowledged").body_text


def test_one_of_our_numbers_with_another_serial_is_refused_without_saying_which_is_wrong(case):
    # when the serial does not belong to the case named
    with pytest.raises(AppError) as refused:
        dispute_file(filing=filing(case_number=case.number, serial="AI000001"), actor=None, now=clock.now())
    # then the answer is the same as for a number that does not exist, and nothing is kept
    with pytest.raises(AppError) as unknown:
        dispute_file(filing=filing(case_number="R0000-0000-000", serial="HD000001"), actor=None, now=clock.now())
    assert refused.value.code == unknown.value.code == "case-not-found"
    assert refused.value.en == unknown.value.en
    assert not Dispute.objects.exists() and not Notification.objects.filter(template="dispute-acknowledged").exists()


def test_every_problem_of_the_form_is_refused_at_once(centres):
    # when every field is wrong
    with pytest.raises(AppError) as refused:
        dispute_file(filing=Filing(customer_name=" ", case_number="<script>", serial="12", country="XX",
                                   what_happened="", email="not-an-address", feedback="x" * 20_001),
                     actor=None, now=clock.now())
    # then each is named at its field
    assert {e.field for e in each_error(refused.value)} == {"customer_name", "case_number", "serial", "country",
                                                            "what_happened", "email", "feedback"}


def test_supporting_files_go_through_the_evidence_checks_and_a_bad_one_keeps_nothing(centres, media_root):
    # when a customer sends a photo and a file that is not what it says it is
    with pytest.raises(AppError) as refused:
        dispute_file(filing=filing(case_number="NA-2011-0042"), actor=None, now=clock.now(),
                     files=[_upload("receipt.png", png()), _upload("invoice.pdf", b"MZ\x90\x00 not a pdf")])
    # then the whole filing is refused, with no dispute, no file row and no stored file
    assert refused.value.code == "unsupported-type"
    assert not Dispute.objects.exists() and not DisputeFile.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*")) if media_root.exists() else True
    # and a good photo alone is kept, its metadata removed
    dispute = dispute_file(filing=filing(case_number="NA-2011-0042"), actor=None, now=clock.now(),
                           files=[_upload("receipt.png", png())])
    kept = dispute.files.get()
    assert kept.original_name == "receipt.png" and kept.content_type == "image/png"


def test_only_executive_care_works_a_dispute_and_it_closes_only_after_a_resolution(centres, agent, colleague):
    dispute = dispute_file(filing=filing(case_number="NA-2011-0042"), actor=None, now=clock.now())
    from aftersales.repairs.testing import staff_member

    # when staff of a centre try to note or assign it, they are refused
    for attempt in (lambda: dispute_note_add(number=dispute.number, text="Looks fine", actor=staff_member(),
                                             now=clock.now()),
                    lambda: dispute_assign(number=dispute.number, assignee=agent, actor=staff_member(),
                                           now=clock.now())):
        with pytest.raises(AppError) as refused:
            attempt()
        assert refused.value.code == "forbidden"
    # and a member of staff cannot be given it
    with pytest.raises(AppError) as refused:
        dispute_assign(number=dispute.number, assignee=staff_member(), actor=agent, now=clock.now())
    assert refused.value.code == "not-executive-care"
    # when an agent gives it to a colleague, it is in review
    dispute = dispute_assign(number=dispute.number, assignee=colleague, actor=agent, now=clock.now())
    assert dispute.assignee == colleague and dispute.state == State.IN_REVIEW
    # and it cannot be closed before something was done
    with pytest.raises(AppError) as refused:
        dispute_resolve(number=dispute.number, actor=colleague, now=clock.now())
    assert refused.value.code == "no-resolution"


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_an_older_number_of_eleven_letters_and_digits_is_kept_as_an_older_case_not_refused_as_ours(centres):
    # when a customer names a case from 2019 whose number, without its dashes, is as long as ours
    dispute = dispute_file(filing=filing(case_number="SH-2019-00731", serial="HDCN09731"), actor=None,
                           now=clock.now())
    # then it is kept as typed, an older case, and not mistaken for one of ours without its R
    assert dispute.case is None and dispute.case_number == "SH-2019-00731"


def test_one_of_our_numbers_typed_without_its_r_still_finds_the_case(case):
    # when the customer leaves out the leading R of our number
    dispute = dispute_file(filing=filing(case_number=case.number[1:].lower()), actor=None, now=clock.now())
    # then the dispute is linked to the case all the same
    assert dispute.case == case


def test_a_number_beginning_rr_typed_without_our_r_still_finds_the_case(case):
    # given one of our cases whose first random symbol is itself an R
    Case.objects.filter(pk=case.pk).update(number="RR46XVE1CJ6V")
    case.refresh_from_db()
    # when the customer leaves out our leading R
    dispute = dispute_file(filing=filing(case_number="r46-xve1-cj6v"), actor=None, now=clock.now())
    # then the dispute is linked to the case all the same
    assert dispute.case == case


def test_an_older_number_beginning_with_r_is_kept_as_an_older_case(centres):
    # when an older case's number happens to begin with R and has eleven letters and digits
    dispute = dispute_file(filing=filing(case_number="R2019-007318", serial="HDCN09731"), actor=None,
                           now=clock.now())
    # then it is kept as typed, and not refused as one of ours that matches nothing
    assert dispute.case is None and dispute.case_number == "R2019-007318"
