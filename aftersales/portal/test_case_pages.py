"""The customer's case pages: apply, look up, follow, reply, answer a quotation, get the report."""

import datetime as dt
import html
import io
from decimal import Decimal

import pytest
from django.test import Client, override_settings
from PIL import Image

from aftersales.billing.models import PartPrice
from aftersales.centres.models import ServiceCentre
from aftersales.conversation.models import Message
from aftersales.core import clock
from aftersales.core.testing import NOW, role_user
from aftersales.repairs.diagnosis import finding_record, part_decide
from aftersales.repairs.models import Case
from aftersales.repairs.numbers import display
from aftersales.repairs.quotations import quotation_draft, quotation_send
from aftersales.repairs.services import case_move
from aftersales.repairs.status import Status


@pytest.fixture
def centre(db):
    return ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                        city="Shanghai", timezone="Asia/Shanghai")


def application(**overrides):
    data = {"centre": "sh-01", "kind": "carry-in", "customer_name": "Wang Fang", "email": "wang@example.com",
            "phone": "", "serial": "HD000002", "symptoms": "No picture on the screen\nClicking noise from the disk",
            "preference": "own-device", "ack_data_loss": "on", "ack_passwords": "on", "ack_peripherals": "on"}
    data.update(overrides)
    return data


def jpeg() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "side.jpg"
    return buffer


def test_applying_books_a_case_with_each_fault_and_the_customers_photos_and_opens_it(registry, centre):
    client = Client()
    response = client.post("/repair/apply/", {**application(), "photos": [jpeg()]})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/track/{case.number}/"
    assert [s.text for s in case.symptoms.all()] == ["No picture on the screen", "Clicking noise from the disk"]
    assert list(case.evidence.values_list("kind", flat=True)) == ["customer"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and display(case.number) in page.content.decode()


def test_a_proof_of_purchase_is_kept_with_the_case(registry, centre):
    Client().post("/repair/apply/", {**application(purchased_on="2024-04-01"), "proof": jpeg()})
    case = Case.objects.get()
    assert list(case.evidence.values_list("kind", flat=True)) == ["proof"]
    assert str(case.purchased_on) == "2024-04-01"


def test_an_application_without_the_acknowledgements_is_refused_and_books_nothing(registry, centre):
    response = Client().post("/repair/apply/", application(ack_passwords=""), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "missing-acknowledgement" in response.content.decode() and "密码" in response.content.decode()
    assert not Case.objects.exists()


def test_a_bad_photo_refuses_the_whole_application(registry, centre):
    fake = io.BytesIO(b"MZ\x90\x00 this is a program")
    fake.name = "photo.jpg"
    response = Client().post("/repair/apply/", {**application(), "photos": [fake]})
    assert response.status_code == 400 and "unsupported-type" in response.content.decode()
    assert not Case.objects.exists()


@pytest.fixture
def booked_case(registry, centre):
    client = Client()
    client.post("/repair/apply/", application())
    return Case.objects.get()


def test_a_case_opens_with_its_number_and_the_email_on_file(booked_case):
    client = Client()
    response = client.post("/track/", {"number": display(booked_case.number).lower(), "contact": "WANG@example.com"})
    assert response.status_code == 302
    assert "No picture on the screen" in client.get(response["Location"]).content.decode()


def test_a_wrong_contact_and_a_wrong_number_get_the_same_answer(booked_case):
    wrong_contact = Client().post("/track/", {"number": booked_case.number, "contact": "x@example.com"})
    wrong_number = Client().post("/track/", {"number": "R" + "X" * 11, "contact": "wang@example.com"})
    assert wrong_contact.status_code == wrong_number.status_code == 404
    assert "case-not-found" in wrong_contact.content.decode() and "case-not-found" in wrong_number.content.decode()


@override_settings(CASE_LOOKUPS_PER_MINUTE=3)
def test_look_ups_are_rate_limited_per_address(booked_case):
    client = Client()
    with clock.frozen(NOW):  # one rate-limit window, however slow the machine
        answers = [client.post("/track/", {"number": booked_case.number, "contact": "guess@example.com"})
                   for _ in range(4)]
    assert [a.status_code for a in answers] == [404, 404, 404, 429]
    assert answers[-1]["Retry-After"] == "60"  # the clock is frozen at the start of a minute


def test_a_case_page_is_closed_to_anyone_who_has_not_opened_it(booked_case):
    assert Client().get(f"/track/{booked_case.number}/").status_code == 404
    assert Client().get(f"/track/{booked_case.number}/report.pdf").status_code == 404


def test_a_long_reply_is_kept_whole(booked_case):
    client = Client()
    client.post("/track/", {"number": booked_case.number, "contact": "wang@example.com"})
    text = "The noise happens every time I copy large files. " * 30
    assert client.post(f"/track/{booked_case.number}/message/", {"body": text}).status_code == 302
    assert Message.objects.get().body == text.strip()


@pytest.fixture
def quoted(booked_case):
    staff = role_user("staff", centres=[booked_case.centre])
    PartPrice.objects.create(part="hdd", product_line="home-desktop", region="CN", price=Decimal("299.00"),
                             currency="CNY", valid_from=dt.date(2024, 1, 1))
    with clock.frozen(NOW):
        for step in (Status.RECEIVED, Status.DIAGNOSING):
            case_move(number=booked_case.number, to=step, actor=staff, now=NOW)
        for position in (1, 2):
            finding_record(number=booked_case.number, position=position, text="The disk has bad sectors.",
                           outcome="confirmed", part="hdd", actor=staff, now=NOW)
        part_decide(number=booked_case.number, part="hdd", actor=staff, now=NOW)  # made 2020: out of warranty
        q = quotation_draft(number=booked_case.number, author=staff, now=NOW, lines=[
            {"service": "part-replacement", "part": "hdd", "text_en": "Replace the failing hard disk.",
             "text_zh": "更换故障硬盘。"}])
        _, token = quotation_send(quotation_id=q.pk, actor=staff, now=NOW)
    return booked_case, token


def test_the_quotation_link_shows_each_line_in_plain_words_with_its_price(quoted):
    case, token = quoted
    page = Client().get(f"/q/{token}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "更换故障硬盘。" in page and "349.00" in page and 'value="decline"' in page


def test_accepting_on_the_page_sends_the_repair_ahead(quoted):
    case, token = quoted
    response = Client().post(f"/q/{token}/", {"line-1": "accept"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.REPAIRING


def test_an_unanswered_line_is_asked_for_again(quoted):
    case, token = quoted
    response = Client().post(f"/q/{token}/", {})
    assert response.status_code == 400 and "answer-every-line" in response.content.decode()


def test_i_dont_understand_writes_to_the_centre_in_the_cases_conversation(quoted):
    case, token = quoted
    Client().post(f"/q/{token}/unclear/", {"message": "Why does a disk cost this much?"})
    assert Message.objects.get(case=case).body == "Why does a disk cost this much?"


def test_a_forged_quotation_link_is_not_found(quoted):
    _, token = quoted
    assert Client().get(f"/q/{token[:-3]}abc/").status_code == 404


def test_the_report_downloads_once_the_work_is_done(quoted):
    case, token = quoted
    Client().post(f"/q/{token}/", {"line-1": "decline"})
    client = Client()
    client.post("/track/", {"number": case.number, "contact": "wang@example.com"})
    response = client.get(f"/track/{case.number}/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.fixture
def disk_and_system(booked_case):
    """A sent quotation: a new disk, and the factory system installed on it (which needs the disk)."""
    staff = role_user("staff", centres=[booked_case.centre])
    PartPrice.objects.create(part="hdd", product_line="home-desktop", region="CN", price=Decimal("299.00"),
                             currency="CNY", valid_from=dt.date(2024, 1, 1))
    with clock.frozen(NOW):
        for step in (Status.RECEIVED, Status.DIAGNOSING):
            case_move(number=booked_case.number, to=step, actor=staff, now=NOW)
        for position in (1, 2):
            finding_record(number=booked_case.number, position=position, text="The disk has bad sectors.",
                           outcome="confirmed", part="hdd", actor=staff, now=NOW)
        part_decide(number=booked_case.number, part="hdd", actor=staff, now=NOW)  # made 2020: out of warranty
        q = quotation_draft(number=booked_case.number, author=staff, now=NOW, lines=[
            {"service": "part-replacement", "part": "hdd", "text_en": "Replace the failing hard disk.",
             "text_zh": "更换故障硬盘。"},
            {"service": "os-recovery", "needs": 1, "text_en": "Install the factory system on the new disk.",
             "text_zh": "在新硬盘上安装出厂系统。"}])
        _, token = quotation_send(quotation_id=q.pk, actor=staff, now=NOW)
    return booked_case, token


def test_the_quotation_page_says_which_line_needs_another_in_both_languages(disk_and_system):
    _, token = disk_and_system
    page = html.unescape(Client().get(f"/q/{token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Needs line 1, “Replace the failing hard disk”: if you accept this line, accept line 1 too." in page
    page = html.unescape(Client().get(f"/q/{token}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert "需要第 1 项“更换故障硬盘”：如接受此项，请同时接受第 1 项。" in page


def test_accepting_the_system_but_declining_the_disk_is_refused_in_plain_words_and_nothing_changes(disk_and_system):
    case, token = disk_and_system
    response = Client().post(f"/q/{token}/", {"line-1": "decline", "line-2": "accept"},
                             HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = html.unescape(response.content.decode())
    assert response.status_code == 400 and "needed-line-declined" in page
    assert "您接受了第 2 项“在新硬盘上安装出厂系统”，却拒绝了它所需要的第 1 项“更换故障硬盘”。" in page
    assert Case.objects.get(pk=case.pk).status == Status.AWAITING_CUSTOMER
    assert not case.charges.exists()


def test_an_application_with_a_purchase_date_in_the_year_9999_is_refused_and_books_nothing(registry, centre):
    response = Client().post("/repair/apply/", {**application(purchased_on="9999-01-01"), "proof": jpeg()},
                             HTTP_ACCEPT_LANGUAGE="en")
    page = html.unescape(response.content.decode())
    assert "The date 9999-01-01 is outside the dates we accept" in page  # the form again, with the words
    assert not Case.objects.exists()
