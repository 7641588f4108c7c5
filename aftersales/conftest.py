"""Fixtures shared by every test: database-vendor gating and a real browser.

``postgres_only`` tests are skipped unless the default database is PostgreSQL (``scripts/test.sh``
runs the suite a second time against a throwaway PostgreSQL server, where they run).

``browser`` tests drive Debian's Chromium (``/usr/bin/chromium``) through Playwright's sync API;
use them with pytest-django's ``live_server`` fixture.
"""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL; the default database is {connection.vendor}")
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread; Django's async-safety check
    # would otherwise refuse ORM calls made by the test while the browser is open.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing; install the Debian package 'chromium'")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser, request):
    """A fresh page in its own browser context (own cookies and storage), closed afterwards.

    The viewport defaults to 1280x800; parametrize indirectly to change it::

        @pytest.mark.parametrize("page", [{"width": 390, "height": 844}], indirect=True)
    """
    viewport = getattr(request, "param", None) or {"width": 1280, "height": 800}
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()
