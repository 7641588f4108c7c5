"""Fixtures shared by every test: database-vendor gating and a real browser.

``postgres_only`` tests are skipped unless the default database is PostgreSQL (``scripts/test.sh``
runs the suite a second time against a throwaway PostgreSQL server, where they run).

``browser`` tests drive Debian's Chromium (``/usr/bin/chromium``) through Playwright's sync API;
use them with pytest-django's ``live_server`` fixture.

``s3_media`` points the default file storage at a real S3 API (moto's server, on a free loopback
port) with a fresh bucket, as production does with ``MEDIA_BACKEND=s3``.

``smtp_server`` is a real SMTP server (aiosmtpd) on a free loopback port for one test, with
Django's SMTP backend pointed at it; the test reads the messages that arrived.
"""

from __future__ import annotations

import os
import uuid
from types import SimpleNamespace

import pytest

pytest_plugins = ["aftersales.onsite.fixtures"]  # centres on the map, technicians, on-site cases

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


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3-compatible server in a thread, on a free port of 127.0.0.1; yields its URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_media(s3_server, settings):
    """The default storage switched to django-storages' S3 backend against ``s3_server``, with a
    new bucket for this test. Yields the storage options, the bucket and a boto3 client."""
    import boto3

    bucket = f"media-{uuid.uuid4().hex[:16]}"
    options = {"bucket_name": bucket, "endpoint_url": s3_server, "access_key": "testing",
               "secret_key": "testing", "region_name": "us-east-1", "default_acl": None,
               "querystring_auth": True, "signature_version": "s3v4"}
    client = boto3.client("s3", endpoint_url=s3_server, aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="us-east-1")
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}}
    yield SimpleNamespace(options=options, bucket=bucket, client=client, endpoint_url=s3_server)


@pytest.fixture
def smtp_server(settings, django_mail_patch_dns):
    """An aiosmtpd server on 127.0.0.1 and a free port, with Django's SMTP backend pointed at it.
    Yields the list of messages received, in order of arrival, each parsed as an
    ``email.message.EmailMessage`` that also carries its envelope recipients as ``envelope_to``."""
    import email
    import email.policy
    import socket

    from aiosmtpd.controller import Controller

    received = []

    class Collect:
        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.original_content or envelope.content,
                                               policy=email.policy.default)
            message.envelope_to = list(envelope.rcpt_tos)
            received.append(message)
            return "250 Message accepted for delivery"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield received
    finally:
        controller.stop()
