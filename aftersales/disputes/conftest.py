"""Fixtures for dispute tests: the console's centres and registry, a case in diagnosis with a
damage decision, executive-care agents, and a private media folder."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from aftersales.console.conftest import book, centres, frozen_now, moved, registry  # noqa: F401 (fixtures)
from aftersales.core import clock
from aftersales.core.testing import role_user
from aftersales.repairs.diagnosis import damage_decide, damage_propose
from aftersales.repairs.testing import staff_member


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def service_levels(request):
    """The shipped service levels, under which every filed dispute starts its clocks."""
    if {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db" if "live_server" in request.fixturenames else "db")
        call_command("load-sla-policies", stdout=io.StringIO())


@pytest.fixture
def agent(db):
    return role_user("exec-care", username="care-agent")


@pytest.fixture
def colleague(db):
    return role_user("exec-care", username="care-colleague")


@pytest.fixture
def case(centres):  # noqa: F811
    return moved(book(), "received", "diagnosing")


@pytest.fixture
def damage(case):
    """Liquid damage proposed by a technician's look and confirmed by a member of staff."""
    decider = staff_member("decider")
    proposal = damage_propose(number=case.number, code="liquid-damage", part="mainboard",
                              explanation="Corrosion on the mainboard.", actor=decider, now=clock.now())
    return damage_decide(determination_id=proposal.pk, confirm=True, note="Liquid marks under the keyboard.",
                         considered=[], actor=decider, now=clock.now())
