"""Who may open an evidence file: every role, from the case's own centre and from another, read
from ``roles.ACTIONS["evidence.view"]`` and ``accounts.scope``. Files are addressed by a random
public id; the row's sequential id opens nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.accounts.roles import ACTIONS, ANONYMOUS
from aftersales.accounts.scope import EVERY_CENTRE_ROLES
from aftersales.centres.models import ServiceCentre
from aftersales.core.testing import ROLE_NAMES, role_user
from aftersales.evidence.conftest import pdf, photo, two_tone
from aftersales.evidence.test_evidence_add import add
from aftersales.evidence.views import evidence_file


@pytest.fixture
def beijing(db):
    return ServiceCentre.objects.create(code="bj-01", name_en="Beijing Haidian", name_zh="北京海淀", region="CN",
                                        city="Beijing", timezone="Asia/Shanghai")


@pytest.mark.parametrize("where", ["case's centre", "another centre"])
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_opens_an_evidence_file_exactly_when_the_table_and_the_centre_allow(cn_case, beijing, role, where):
    # given a photo on a Shanghai case, and a user in the role (or nobody signed in) working at
    # Shanghai or at Beijing
    evidence = add(cn_case, photo(), name="lid.jpg").evidence
    user = role_user(role, centres=[cn_case.centre if where == "case's centre" else beijing])
    client = Client()
    if user is not None:
        client.force_login(user)
    # when they open it
    response = client.get(reverse("evidence:file", kwargs={"public_id": evidence.public_id}))
    # then staff-side roles of the case's centre, and those who read every centre, get the file;
    # staff-side roles of another centre are told there is no such file; the anonymous are sent
    # to sign in; customers are refused
    if role in ACTIONS["evidence.view"] and (where == "case's centre" or role in EVERY_CENTRE_ROLES):
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == evidence.file.open("rb").read()
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"] == 'inline; filename="lid.jpg"'
        assert response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
    elif role in ACTIONS["evidence.view"]:
        assert response.status_code == 404, role
    elif role == ANONYMOUS:
        assert response.status_code == 302 and response["Location"].startswith("/console/login/")
    else:
        assert response.status_code == 403, role


def test_a_beijing_technician_cannot_walk_shanghai_evidence_by_number(cn_case, beijing):
    # given Shanghai photos, and a technician of Beijing
    first = add(cn_case, photo(), name="front.jpg").evidence
    add(cn_case, pdf(), kind="proof", name="invoice.pdf")
    client = Client()
    client.force_login(role_user("technician", centres=[beijing]))
    # then neither the photo's public id nor any sequential number opens a file
    assert client.get(f"/evidence/{first.public_id}/").status_code == 404
    for pk in range(1, 5):
        assert client.get(f"/evidence/{pk}/").status_code == 404


def test_public_ids_are_random_and_distinct(cn_case):
    items = [add(cn_case, photo(picture=two_tone(size)), name=f"{n}.jpg").evidence
             for n, size in enumerate([(30, 20), (40, 20)])]
    assert items[0].public_id != items[1].public_id
    assert all(item.public_id.version == 4 for item in items)


def test_the_view_names_the_action_and_only_staff_side_roles_hold_it():
    assert evidence_file.required_action == "evidence.view"
    assert ACTIONS["evidence.view"] == {"staff", "technician", "verifier", "exec-care", "auditor", "admin"}


def test_a_pdf_is_served_in_a_sandbox_and_unknown_evidence_is_not_found(cn_case, staff_user):
    evidence = add(cn_case, pdf(), kind="proof", name="invoice.pdf").evidence
    client = Client()
    client.force_login(staff_user)
    response = client.get(reverse("evidence:file", kwargs={"public_id": evidence.public_id}))
    assert response.status_code == 200 and response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == "application/pdf"
    assert client.get("/evidence/00000000-0000-4000-8000-000000000000/").status_code == 404
