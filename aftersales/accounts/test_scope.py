"""Whose cases a person reads (``accounts.scope``), and the migration that turned the single
service centre of a user into a membership of one or more."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aftersales.accounts.roles import ACTIONS, EVERYONE, SYSTEM_ACTOR, Role
from aftersales.accounts.scope import AT_THEIR_CENTRES, EVERY_CENTRE_ROLES, may_act_at, readable_centres
from aftersales.centres.models import ServiceCentre
from aftersales.core.testing import role_user


@pytest.fixture
def shanghai_and_beijing(db):
    def centre(code, city):
        return ServiceCentre.objects.create(code=code, name_en=city, name_zh=city, region="CN", city=city,
                                            timezone="Asia/Shanghai")
    return centre("sh-01", "Shanghai"), centre("bj-01", "Beijing")


@pytest.mark.parametrize("role", sorted(AT_THEIR_CENTRES))
def test_those_who_work_cases_read_their_own_centres_and_with_none_read_nothing(shanghai_and_beijing, role):
    shanghai, beijing = shanghai_and_beijing
    member = role_user(role, username=f"{role}-sh", centres=[shanghai])
    nobody = role_user(role, username=f"{role}-none")
    assert readable_centres(member) == {shanghai.pk}
    assert may_act_at(member, shanghai.pk) and not may_act_at(member, beijing.pk)
    assert readable_centres(nobody) == frozenset()
    assert not may_act_at(nobody, shanghai.pk) and not may_act_at(nobody, beijing.pk)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN, Role.EXEC_CARE])
def test_auditors_administrators_and_executive_care_read_every_centre(shanghai_and_beijing, role):
    person = role_user(role)
    assert readable_centres(person) is None
    assert all(may_act_at(person, c.pk) for c in shanghai_and_beijing)


def test_a_person_who_also_works_across_centres_is_not_narrowed_by_a_membership(shanghai_and_beijing):
    shanghai, beijing = shanghai_and_beijing
    person = role_user("staff", centres=[shanghai])
    person.groups.add(*role_user("auditor", username="other").groups.all())
    person = type(person).objects.get(pk=person.pk)  # roles are read once per user object
    assert readable_centres(person) is None and may_act_at(person, beijing.pk)


def test_the_timers_act_on_every_centre_and_customers_are_not_limited_by_one(shanghai_and_beijing):
    _, beijing = shanghai_and_beijing
    assert may_act_at(SYSTEM_ACTOR, beijing.pk)
    assert may_act_at(None, beijing.pk) and may_act_at(role_user("customer"), beijing.pk)
    # but they read no centre's lists
    assert readable_centres(None) == frozenset() and readable_centres(role_user("customer", username="c2")) == set()


def test_a_removed_membership_ends_at_once(shanghai_and_beijing):
    shanghai, _ = shanghai_and_beijing
    technician = role_user("technician", centres=[shanghai])
    assert may_act_at(technician, shanghai.pk)
    technician.centres.remove(shanghai)
    assert not may_act_at(technician, shanghai.pk)


def test_an_auditor_may_view_and_never_write():
    """Auditors read everything and write only audit decisions: every action an auditor holds is
    reading, running the overcharge audit and deciding its findings, or one that anyone may take
    without signing in (checking a warranty, booking a repair, following a case)."""
    public = {action for action, roles in ACTIONS.items() if roles >= EVERYONE}
    held = {action for action, roles in ACTIONS.items() if Role.AUDITOR in roles}
    assert held - public - {"audit.run", "audit.review"} == {a for a in held if a.endswith(".view")}
    assert held - public == {"console.view", "devices.view", "packs.view", "prices.view", "evidence.view",
                             "case.view", "invoice.view", "dashboard.view", "audit.run", "audit.review"}
    assert EVERY_CENTRE_ROLES >= {Role.AUDITOR}


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_persons_single_centre_as_their_membership():
    executor = MigrationExecutor(connection)
    before, after = [("accounts", "0001_initial")], [("accounts", "0002_centre_membership")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        centre = old.get_model("centres", "ServiceCentre").objects.create(
            code="sh-01", name_en="Shanghai", name_zh="上海", region="CN", city="Shanghai", timezone="Asia/Shanghai")
        user_model = old.get_model("accounts", "User")
        user_model.objects.create(username="li", service_centre_id=centre.pk)
        user_model.objects.create(username="wang")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    new = MigrationExecutor(connection).loader.project_state(after).apps
    users = new.get_model("accounts", "User").objects
    assert list(users.get(username="li").centres.values_list("code", flat=True)) == ["sh-01"]
    assert not users.get(username="wang").centres.exists()
