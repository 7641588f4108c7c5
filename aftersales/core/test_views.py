"""The health endpoint: up and serving, without the database."""

from __future__ import annotations


def test_healthz_answers_ok_without_touching_the_database(client):
    # No ``db`` fixture: pytest-django refuses any query here, so a query would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_healthz_answers_head_and_refuses_writes(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
