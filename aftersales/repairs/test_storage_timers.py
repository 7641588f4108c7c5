"""Storage timers on real cases: the notice at READY, the reminder on day 60, the fees notice,
disposal review on day 90, and the sweep that catches lost timers. E-mails go through a real
SMTP server; queued tasks run in django-tasks' database worker.

Day 0 is 3 March 2025 (the case becomes ready at 17:30 in Shanghai)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from aftersales.core import clock
from aftersales.core.money import Money
from aftersales.core.testing import shipped_packs_loaded
from aftersales.notifications.testing import occasion_mail, occasion_notifications, run_due_tasks
from aftersales.repairs.conftest import NOW, intake
from aftersales.repairs.models import Case, CaseEvent
from aftersales.repairs.returns import case_collect
from aftersales.repairs.services import case_book
from aftersales.repairs.status import Status
from aftersales.repairs.storage import storage_fees
from aftersales.repairs.tasks import storage_check
from aftersales.repairs.testing import drive, staff_member
from aftersales.repairs.timers import storage_check_run

CHECK_TASK = "aftersales.repairs.tasks.storage_check"
UTC = dt.timezone.utc


@pytest.fixture
def packs(db):
    shipped_packs_loaded()


def moment(n: int) -> dt.datetime:
    return NOW + dt.timedelta(days=n)


def ready_case(**overrides) -> Case:
    case = case_book(intake=intake(**overrides), actor=None, now=clock.now())
    return drive(case, Status.READY, now=clock.now())


def check(case: Case, n: int) -> str:
    with clock.frozen(moment(n)):
        return storage_check.call(case.number)


def status(case: Case) -> str:
    return Case.objects.get(pk=case.pk).status


def subjects(messages) -> list[str]:
    return [str(m["Subject"]).strip().split("（")[0] for m in messages]


@pytest.mark.django_db(transaction=True)
def test_the_timer_queued_at_ready_fires_through_the_task_queue_on_day_sixty(centre, device, packs, smtp_server):
    with clock.frozen(moment(0)):
        case = ready_case()
    timer = DBTaskResult.objects.get(task_path=CHECK_TASK)
    assert timer.run_after == dt.datetime(2025, 5, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai on day 60
    assert timer.args_kwargs["args"] == [case.number]

    with clock.frozen(moment(60)):
        run_due_tasks()

    assert status(case) == Status.IN_STORAGE
    assert subjects(occasion_mail(smtp_server)) == ["您的产品已可取回", "提醒：您的产品仍在等您取回"]
    # The reminder queued the next two timers (day 61, day 90); run now, on day 60, they wait.
    timers = DBTaskResult.objects.filter(task_path=CHECK_TASK).order_by("run_after")
    assert [(t.run_after, t.return_value) for t in timers] == [
        (dt.datetime(2025, 5, 2, 1, 0, tzinfo=UTC), "remind"),
        (dt.datetime(2025, 5, 3, 1, 0, tzinfo=UTC), "wait"),
        (dt.datetime(2025, 6, 1, 1, 0, tzinfo=UTC), "wait"),
    ]


@pytest.mark.django_db(transaction=True)
def test_nothing_on_day_59_one_reminder_on_day_60_fees_notice_on_day_61_and_disposal_review_on_day_90(
        centre, device, packs, smtp_server):
    with clock.frozen(moment(0)):
        case = ready_case()
        run_due_tasks()  # the collect notice; the day-60 timer also runs now, too early, and waits
    assert subjects(occasion_mail(smtp_server)) == ["您的产品已可取回"]

    assert check(case, 59) == "wait" and status(case) == Status.READY

    assert check(case, 60) == "remind" and status(case) == Status.IN_STORAGE
    assert check(case, 60) == "wait"
    with clock.frozen(moment(60)):
        run_due_tasks()
    assert len(occasion_mail(smtp_server)) == 2
    reminder = occasion_mail(smtp_server)[1].get_body(preferencelist=("plain",)).get_content()
    assert "2025年5月1日" in reminder and "2025年5月2日" in reminder and "2025年6月1日" in reminder

    assert check(case, 61) == "fees-started" and check(case, 61) == "wait"
    with clock.frozen(moment(61)):
        run_due_tasks()
    assert "5.00 元" in occasion_mail(smtp_server)[2].get_body(preferencelist=("plain",)).get_content()

    assert check(case, 89) == "wait" and status(case) == Status.IN_STORAGE
    assert check(case, 90) == "review" and status(case) == Status.DISPOSAL_REVIEW
    assert check(case, 90) == "wait" and check(case, 120) == "wait"
    with clock.frozen(moment(120)):
        run_due_tasks()

    assert subjects(occasion_mail(smtp_server)) == ["您的产品已可取回", "提醒：您的产品仍在等您取回", "您的产品已开始计收保管费",
                                     "您的产品尚未取回，我们正在审核此维修单"]
    assert "150.00 元" in occasion_mail(smtp_server)[3].get_body(preferencelist=("plain",)).get_content()  # days 60..89
    moves = CaseEvent.objects.filter(case=case, kind="status-changed", actor=None, to_status__in=[
        Status.IN_STORAGE, Status.DISPOSAL_REVIEW]).order_by("at")
    assert [(m.to_status, m.at) for m in moves] == [(Status.IN_STORAGE, moment(60)),
                                                    (Status.DISPOSAL_REVIEW, moment(90))]
    assert "60" in moves[0].summary_en and "60" in moves[0].summary_zh and "cn-desktop" not in moves[0].summary_en
    assert "Desktop and all-in-one warranty terms — Greater China" in moves[0].summary_en


@pytest.mark.django_db(transaction=True)
def test_a_case_collected_on_day_40_gets_no_reminder_when_the_timer_fires(centre, device, packs, smtp_server):
    with clock.frozen(moment(0)):
        case = ready_case()
    with clock.frozen(moment(40)):
        case_collect(number=case.number, actor=staff_member(), now=moment(40))

    with clock.frozen(moment(60)):
        run_due_tasks()  # sends the collect notice and runs the day-60 timer
        assert storage_check.call(case.number) == "wait"

    assert status(case) == Status.COLLECTED
    assert subjects(occasion_mail(smtp_server)) == ["您的产品已可取回"]
    assert list(occasion_notifications().values_list("template", flat=True)) == ["collect-ready"]
    assert DBTaskResult.objects.get(task_path=CHECK_TASK).return_value == "wait"
    assert storage_fees(Case.objects.get(pk=case.pk), now=moment(60)).total == Money.zero("CNY")


def test_fees_so_far_count_each_stored_day_and_stop_on_the_day_the_device_leaves(centre, device, packs):
    with clock.frozen(moment(0)):
        case = ready_case()
    storage_check_run(number=case.number, now=moment(60))

    so_far = storage_fees(case, now=moment(75))
    assert (so_far.ready_since, so_far.first_fee_day, so_far.until) == (
        dt.date(2025, 3, 3), dt.date(2025, 5, 2), dt.date(2025, 5, 17))
    assert (so_far.days, so_far.daily_fee, so_far.total) == (15, Money("5.00", "CNY"), Money("75.00", "CNY"))
    assert so_far.pack.startswith("cn-desktop@") and so_far.clause == "storage"

    case = case_collect(number=case.number, actor=staff_member(), now=moment(80))
    final = storage_fees(case, now=moment(200))
    assert (final.until, final.days, final.total) == (dt.date(2025, 5, 22), 20, Money("100.00", "CNY"))


def test_a_device_whose_second_notice_never_went_out_owes_no_storage_fees(centre, device, packs):
    with clock.frozen(moment(0)):
        case = ready_case()
    fees = storage_fees(case, now=moment(100))  # the timer was lost; nobody reminded the customer
    assert (fees.first_fee_day, fees.days, fees.total) == (None, 0, Money.zero("CNY"))


def test_the_storage_sweep_takes_the_due_steps_once_and_leaves_the_rest(centre, device, packs):
    with clock.frozen(moment(0)):
        overdue = ready_case()             # reminder due since day 60
        stored = ready_case()              # in storage since day 60, review due on day 90
        collected = ready_case()
    storage_check_run(number=stored.number, now=moment(60))
    case_collect(number=collected.number, actor=staff_member(), now=moment(10))
    with clock.frozen(moment(50)):
        recent = ready_case()              # reminder due on day 110

    def sweep() -> str:
        out, err = io.StringIO(), io.StringIO()
        with clock.frozen(moment(95)):
            call_command("storage-sweep", stdout=out, stderr=err)
        return out.getvalue().strip()

    assert sweep() == "2 due (remind 1, review 1)"
    assert [status(c) for c in (overdue, stored, collected, recent)] == [
        Status.IN_STORAGE, Status.DISPOSAL_REVIEW, Status.COLLECTED, Status.READY]
    written = occasion_notifications().count()
    assert written == 4 + 3  # one collect notice each, two reminders, one review notice

    assert sweep() == "0 due"
    assert occasion_notifications().count() == written
    assert [status(c) for c in (overdue, stored, collected, recent)] == [
        Status.IN_STORAGE, Status.DISPOSAL_REVIEW, Status.COLLECTED, Status.READY]
