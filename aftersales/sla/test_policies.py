"""Service-level policies load as versions, each in force from its date; a clock keeps the version
it started under until it is moved to another, keeping the time consumed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from aftersales.sla.models import SlaPolicy
from aftersales.sla.policies import sla_policy_load
from aftersales.sla.rules.test_terms import SHIPPED
from aftersales.sla.selectors import clock_due
from aftersales.sla.services import clock_change, clock_start

UTC = dt.timezone.utc
LOADED = dt.datetime(2025, 12, 1, tzinfo=UTC)


def _five_day_version() -> str:
    return (SHIPPED.read_text("utf-8").replace('version = "2026.11.30"', 'version = "2026.12.01"')
            .replace("effective_from = 2024-06-14", "effective_from = 2026-01-01")
            .replace('budget = "7d"', 'budget = "5d"'))


def test_loading_the_shipped_policies_twice_loads_them_once(db):
    out = io.StringIO()
    call_command("load-sla-policies", stdout=out)
    call_command("load-sla-policies", stdout=out)
    assert SlaPolicy.objects.count() == 1 and "already loaded" in out.getvalue()


def test_a_wrong_file_is_refused_and_nothing_of_it_is_stored(db, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(SHIPPED.read_text("utf-8").replace('budget = "7d"', 'budget = "a week"'), "utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("load-sla-policies", str(bad), stdout=io.StringIO(), stderr=err)
    assert failed.value.returncode == 1 and not SlaPolicy.objects.exists()
    assert "targets.first-answer.budget.normal" in err.getvalue() and "时长" in err.getvalue()


def test_a_clock_keeps_its_version_until_moved_to_the_new_one(toronto):
    sla_policy_load(text=_five_day_version(), now=LOADED)
    old = ("dispute", "D-OLD1")
    start = dt.datetime(2025, 12, 29, 15, 0, tzinfo=UTC)
    clock_start(subject=old, policy="executive-care", target="first-answer", centre=toronto, now=start)
    new = ("dispute", "D-NEW1")
    clock_start(subject=new, policy="executive-care", target="first-answer", centre=toronto,
                now=dt.datetime(2026, 1, 5, 15, 0, tzinfo=UTC))
    assert clock_due(subject=old, target="first-answer", now=start).policy == "executive-care@2026.11.30"
    assert clock_due(subject=new, target="first-answer", now=start).budget == 5 * 86400
    # moved to the new version after four days: four of its five days are used
    clock_change(subject=old, policy="executive-care", now=start + dt.timedelta(days=4))
    moved = clock_due(subject=old, target="first-answer", now=start + dt.timedelta(days=4))
    assert moved.policy == "executive-care@2026.12.01" and moved.consumed == 4 * 86400
    assert moved.deadline == start + dt.timedelta(days=5)


def test_a_folder_without_policy_files_cannot_be_read(db, tmp_path):
    with pytest.raises(CommandError) as failed:
        call_command("load-sla-policies", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    assert failed.value.returncode == 2
