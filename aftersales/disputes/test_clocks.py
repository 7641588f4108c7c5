"""A dispute on the executive-care clocks: filing starts them and the customer is told the first
answer's due date from them; waiting for the customer pauses them, keeping the time consumed; the
queue follows them; a late dispute is escalated to its owner, team lead and manager."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.urls import reverse

from aftersales.conversation.services import message_post
from aftersales.core import clock
from aftersales.core.testing import NOW, role_user
from aftersales.disputes.questions import dispute_ask
from aftersales.disputes.selectors import dispute_queue
from aftersales.disputes.services import Filing, dispute_assign
from aftersales.disputes.services import dispute_file as _file
from aftersales.disputes.test_pages import agent_client
from aftersales.notifications.models import Notification
from aftersales.sla.models import Clock, Escalation
from aftersales.sla.selectors import clock_due

DAY = dt.timedelta(days=1)
WEEK = 7 * DAY


def filed(at: dt.datetime, *, case=None, **overrides):
    """A dispute filed at ``at``: about ``case``, or about a case from before this product."""
    fields = dict(customer_name="Li Lei", case_number=case.display_number if case else "CN-2019-0042",
                  serial="HD000001", country="CN", what_happened="The fan was never fixed.",
                  email="li.lei@example.com")
    fields.update(overrides)
    return _file(filing=Filing(**fields), actor=None, now=at)


def reading(dispute, target: str, at: dt.datetime):
    return clock_due(subject=("dispute", dispute.number), target=target, now=at)


def test_filing_starts_the_three_clocks_and_the_e_mail_gives_the_first_answer_clocks_date(case):
    # when a customer files a dispute about a Shanghai case on Sunday 1 June 2025 at noon, local time
    dispute = filed(NOW, case=case)
    # then the acknowledgement was made with it, the first answer runs for a calendar week, and the
    # resolution runs on the Shanghai centre's opening hours
    acknowledge, answer, resolution = (reading(dispute, t, NOW) for t in ("acknowledge", "first-answer", "resolution"))
    assert acknowledge.stopped and acknowledge.in_time
    assert (answer.state, answer.budget, answer.deadline) == ("running", 7 * 24 * 3600, NOW + WEEK)
    assert (resolution.state, resolution.business_hours, resolution.budget) == ("running", True, 80 * 3600)
    assert Clock.objects.get(subject_id=dispute.number, target="resolution").centre == case.centre
    # and the e-mail tells the customer the first-answer clock's day, Sunday 8 June in Shanghai
    assert answer.due_local.date() == dt.date(2025, 6, 8)
    assert "8 June 2025" in Notification.objects.get(key=f"{dispute.number}:acknowledged").body_text


def test_waiting_for_the_customer_keeps_the_time_consumed_and_moves_the_due_moment_by_the_pause(case, agent):
    # given a dispute filed on Sunday noon (Shanghai), in the middle of the Dragon Boat holiday
    dispute = filed(NOW, case=case)
    # when executive care asks the customer a question on Tuesday noon
    asked, replied = NOW + 2 * DAY, NOW + 5 * DAY
    dispute_ask(number=dispute.number, question="Which charge do you mean?", actor=agent, now=asked)
    # then the clocks stand still: two calendar days of the week are used, and three opening hours
    # of the resolution's eighty (Monday 2 June was a public holiday; Tuesday morning counted)
    waiting = reading(dispute, "first-answer", replied)
    assert (waiting.state, waiting.consumed, waiting.deadline) == ("paused", 2 * 24 * 3600, None)
    assert reading(dispute, "resolution", replied).consumed == 3 * 3600
    assert "Which charge do you mean?" in Notification.objects.get(key__startswith=f"{dispute.number}:question").body_text
    # when the customer answers in their case's conversation three days later
    message_post(case=case, author_kind="customer", actor=None, body="The diagnosis fee.", now=replied,
                 language="en")
    # then the dispute is back in review and the week runs on with what was left of it
    dispute.refresh_from_db()
    answer = reading(dispute, "first-answer", replied)
    assert dispute.state == "in-review" and answer.state == "running"
    assert answer.deadline == NOW + WEEK + 3 * DAY
    assert reading(dispute, "resolution", replied).consumed == 3 * 3600


def test_the_queue_follows_the_clocks_not_the_day_of_filing(centres, agent):
    # given three disputes filed a day apart, and the second one waiting for the customer
    first, second, third = (filed(NOW + n * DAY, serial=f"HD00000{n}") for n in range(3))
    dispute_ask(number=second.number, question="Which invoice?", actor=agent, now=NOW + 3 * DAY)
    # when a week and a half has passed
    with clock.frozen(NOW + 10 * DAY):
        queue = dispute_queue()
        page = agent_client(agent).get(reverse("console:disputes")).content.decode()
    # then the late ones come first, soonest due first, and the one waiting for the customer last
    assert [d.number for d in queue] == [first.number, third.number, second.number]
    shown = [page.index(d.display_number) for d in (first, third, second)]
    assert shown == sorted(shown)
    assert page.count("Overdue by") == 2 and "Paused" in page


def test_a_late_dispute_is_escalated_to_its_owner_team_lead_and_manager_and_shown_late(centres, agent, colleague):
    # given a dispute that a colleague handed to the agent, and an administrator who manages them
    manager = role_user("admin", username="care-manager")
    for person, language in ((agent, "en"), (colleague, "zh-hans"), (manager, "en")):
        person.email, person.preferred_language = f"{person.username}@service.example", language
        person.save()
    dispute = filed(NOW)
    dispute_assign(number=dispute.number, assignee=agent, actor=colleague, now=NOW + DAY)
    # when nobody answers it and the sweep runs a minute after the week ran out
    with clock.frozen(NOW + WEEK + dt.timedelta(minutes=1)):
        call_command("sla-sweep", stdout=io.StringIO())
    # then each step went to its person at its moment, and the breach is dated when the week ran out
    steps = list(Escalation.objects.filter(clock__target="first-answer").values_list("percent", "person__username",
                                                                                     "due_at"))
    assert steps == [(50, "care-agent", NOW + dt.timedelta(days=3, hours=12)),
                     (80, "care-colleague", NOW + dt.timedelta(days=5, hours=14, minutes=24)),
                     (100, "care-manager", NOW + WEEK)]
    assert Clock.objects.get(subject_id=dispute.number, target="first-answer").breached_at == NOW + WEEK
    told = Notification.objects.get(recipient="care-manager@service.example")
    assert told.subject == f"Overdue: Dispute {dispute.display_number} — first answer"
    # and executive care sees it late on the dispute's page
    with clock.frozen(NOW + WEEK + dt.timedelta(hours=2)):
        page = agent_client(agent).get(reverse("console:dispute", args=[dispute.number])).content.decode()
    assert "Overdue by 2 hours" in page


def test_the_customer_sees_on_their_case_the_day_the_answer_is_due_and_that_it_waits_for_them(case, agent):
    from aftersales.disputes.test_pages import portal

    # given a dispute filed about the customer's case, who follows the case on the portal
    dispute = filed(NOW, case=case)
    client = portal()
    client.post(reverse("portal:track"), {"number": case.number, "contact": case.email})
    # then the case's page gives the first-answer clock's day
    page = client.get(reverse("portal:case", args=[case.number])).content.decode()
    assert dispute.display_number in page and "Our answer is due by June 8, 2025." in page
    # and once executive care asks them a question, that the time waits for their reply
    dispute_ask(number=dispute.number, question="Which charge do you mean?", actor=agent, now=NOW + DAY)
    page = client.get(reverse("portal:case", args=[case.number])).content.decode()
    assert "While we wait for your reply" in page and "June 8, 2025" not in page
