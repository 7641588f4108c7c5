"""Who may open an evidence file: every role, read from ``roles.ACTIONS["evidence.view"]``."""

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.accounts.roles import ACTIONS, ANONYMOUS
from aftersales.core.testing import ROLE_NAMES, role_user
from aftersales.evidence.conftest import pdf, photo
from aftersales.evidence.test_evidence_add import add
from aftersales.evidence.views import evidence_file


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_opens_an_evidence_file_exactly_when_the_table_allows(cn_case, role):
    # given a photo on a case, and a user in the role (or nobody signed in)
    evidence = add(cn_case, photo(), name="lid.jpg").evidence
    user = role_user(role)
    client = Client()
    if user is not None:
        client.force_login(user)
    # when they open it
    response = client.get(reverse("evidence:file", kwargs={"pk": evidence.pk}))
    # then staff-side roles get the file, the anonymous are sent to sign in, customers are refused
    if role in ACTIONS["evidence.view"]:
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == evidence.file.open("rb").read()
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"] == 'inline; filename="lid.jpg"'
        assert response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
    elif role == ANONYMOUS:
        assert response.status_code == 302 and response["Location"].startswith("/console/login/")
    else:
        assert response.status_code == 403, role


def test_the_view_names_the_action_and_only_staff_side_roles_hold_it():
    assert evidence_file.required_action == "evidence.view"
    assert ACTIONS["evidence.view"] == {"staff", "technician", "verifier", "exec-care", "auditor", "admin"}


def test_a_pdf_is_served_in_a_sandbox_and_unknown_evidence_is_not_found(cn_case, staff_user):
    evidence = add(cn_case, pdf(), kind="proof", name="invoice.pdf").evidence
    client = Client()
    client.force_login(staff_user)
    response = client.get(reverse("evidence:file", kwargs={"pk": evidence.pk}))
    assert response.status_code == 200 and response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == "application/pdf"
    assert client.get(reverse("evidence:file", kwargs={"pk": evidence.pk + 1000})).status_code == 404
