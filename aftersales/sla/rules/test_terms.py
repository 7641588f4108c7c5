"""The service-level policy file: the shipped one reads as published, and a wrong file is refused
naming the field, in English and Chinese."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aftersales.sla.rules.terms import PolicyError, Step, parse_policy

SHIPPED = Path(__file__).resolve().parents[3] / "policies" / "sla" / "executive-care.toml"


def test_the_shipped_policy_answers_disputes_within_one_week_of_calendar_days():
    policy = parse_policy(SHIPPED.read_text("utf-8"))
    first = policy.targets["first-answer"]
    assert policy.effective_from == dt.date(2024, 6, 14)
    assert first.budgets == {"normal": 7 * 86400, "urgent": 7 * 86400} and not first.calendar.business
    assert first.steps == (Step(50, "owner"), Step(80, "lead"), Step(100, "manager"))
    assert policy.pause_states == {"waiting-for-customer"}
    cite = policy.clauses[first.clause].cites[0]
    assert cite.text(zh=False) == "How to File a Dispute with ASUS Customer Support (2024-06-14), After submitting your claim"


def test_the_shipped_resolution_counts_the_centres_working_week():
    resolution = parse_policy(SHIPPED.read_text("utf-8")).targets["resolution"]
    assert resolution.calendar.hours == ((9 * 60, 12 * 60), (13 * 60, 18 * 60))
    assert resolution.calendar.open_days == {0, 1, 2, 3, 4} and resolution.calendar.public_holidays
    assert resolution.budgets == {"normal": 80 * 3600, "urgent": 16 * 3600}


@pytest.mark.parametrize(("change", "field"), [
    (('budget = { normal = "80h", urgent = "16h" }', 'budget = "2d"'), "targets.resolution.budget.normal"),
    (('hours = ["09:00-12:00", "13:00-18:00"]', 'hours = ["09:00-12:00", "11:00-18:00"]'), "calendars.centre-hours.hours"),
    (("at = 80", "at = 40"), "escalation"),
    (('at = 80\ntell = "lead"', 'at = 80\ntell = "boss"'), "escalation[1].tell"),
    (('clause = "first-answer"', 'clause = "nowhere"'), "targets.first-answer.clause"),
    (('budget = "7d"', 'budget = { normal = "7d" }'), "targets.first-answer.budget"),
])
def test_a_wrong_policy_is_refused_naming_the_field(change, field):
    text = SHIPPED.read_text("utf-8")
    assert change[0] in text
    with pytest.raises(PolicyError) as refused:
        parse_policy(text.replace(change[0], change[1], 1))
    assert refused.value.field == field and refused.value.en and refused.value.zh
