"""Serving in production: the web server command (granian), the secret key the settings require, and the
deployment check with the production environment docs/deployment.md gives."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aftersales.core.management.commands.serve import default_workers, host_and_port, server_argv

ROOT = Path(__file__).resolve().parents[2]
DEPLOYMENT = ROOT / "docs" / "deployment.md"


def aftersales(*args, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aftersales.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def production_environment() -> dict[str, str]:
    """The variables of the block marked ``production-environment`` in docs/deployment.md, with a
    real random key in place of the placeholder."""
    text = DEPLOYMENT.read_text()
    block = re.search(r"<!-- production-environment -->\s*```[a-z]*\n(.*?)```", text, re.S).group(1)
    variables = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(\S*)", block, re.M))
    variables["SECRET_KEY"] = secrets.token_urlsafe(50)
    return variables


def bare_environment(**extra) -> dict[str, str]:
    """This process's environment without the settings the suite and the deployment set (the
    browser tests allow Django's async-unsafe calls, which the deployment check refuses)."""
    dropped = {"SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "ALLOWED_HOSTS", "PROXY_COUNT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    keep = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("SECURE_")}
    return {**keep, "DJANGO_SETTINGS_MODULE": "aftersales.settings", **extra}


def test_the_deployment_check_passes_with_the_documented_production_environment(tmp_path):
    env = bare_environment(AFTERSALES_VAR_DIR=str(tmp_path), **production_environment())
    done = aftersales("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_deployment_check_fails_without_https_hsts_and_secure_cookies(tmp_path):
    env = bare_environment(AFTERSALES_VAR_DIR=str(tmp_path), SECRET_KEY=secrets.token_urlsafe(50))
    done = aftersales("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


def test_with_debug_off_and_no_secret_key_every_command_refuses_to_start_and_says_what_to_set(tmp_path):
    done = aftersales("check", env=bare_environment(AFTERSALES_VAR_DIR=str(tmp_path)))
    assert done.returncode == 2
    assert "SECRET_KEY is not set" in done.stderr and "Traceback" not in done.stderr


def test_the_secret_key_may_come_from_a_file(tmp_path):
    key = tmp_path / "key"
    key.write_text(secrets.token_urlsafe(50) + "\n")
    done = aftersales("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)",
                      env=bare_environment(AFTERSALES_VAR_DIR=str(tmp_path), SECRET_KEY_FILE=str(key)))
    assert done.stdout.strip() == key.read_text().strip()


def test_workers_default_to_two_per_cpu_unless_web_concurrency_says_otherwise(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert default_workers() == 2 * os.cpu_count()
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    assert default_workers() == 7


def test_options_after_the_separator_reach_the_server_after_the_defaults():
    argv = server_argv(bind="0.0.0.0:8000", workers=4, threads=1, extra=["--workers-kill-timeout", "90"])
    assert argv[-1] == "aftersales.wsgi:application"
    assert argv.index("90") > argv.index("30")  # granian keeps the last value given


def test_the_bind_address_becomes_the_servers_host_and_port():
    argv = server_argv(bind="0.0.0.0:8000", workers=4, threads=2, extra=[])
    assert argv[argv.index("--host") + 1] == "0.0.0.0" and argv[argv.index("--port") + 1] == "8000"
    assert argv[argv.index("--workers") + 1] == "4" and argv[argv.index("--blocking-threads") + 1] == "2"


@pytest.mark.parametrize("bind, expected", [
    ("127.0.0.1:8080", ("127.0.0.1", "8080")),
    ("[::1]:8080", ("::1", "8080")),
    ("localhost", ("localhost", "8000")),
    ("[::1]", ("::1", "8000")),
])
def test_a_bind_address_gives_the_host_and_port_and_port_8000_when_it_names_none(bind, expected):
    assert host_and_port(bind) == expected


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(port: int, deadline: float) -> tuple | None:
    """``GET /healthz``'s status, body and ``Server-Timing``, asked until the deadline."""
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            answer = (response.status, response.read(), response.getheader("Server-Timing"))
            conn.close()
            return answer
        except OSError:
            time.sleep(0.3)
    return None


def workers_of(pid: int) -> set[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return {int(child) for child in children}


def test_serve_runs_granian_which_answers_renews_its_workers_on_hup_and_stops_on_term(tmp_path):
    port = free_port()
    env = bare_environment(AFTERSALES_VAR_DIR=str(tmp_path), SECRET_KEY=secrets.token_urlsafe(50))
    server = subprocess.Popen([sys.executable, "-m", "aftersales.cli", "serve", "--bind", f"127.0.0.1:{port}",
                               "--workers", "1"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    try:
        answer = health(port, time.monotonic() + 90)
        assert answer is not None, server.stdout.read().decode() if server.poll() is not None else "no answer"
        assert answer[:2] == (200, b"ok") and answer[2].startswith("app;dur=")
        # The command became granian's main process (so that signals reach it), no wrapper in between.
        assert b"granian" in Path(f"/proc/{server.pid}/cmdline").read_bytes()
        first = workers_of(server.pid)

        server.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not workers_of(server.pid) or workers_of(server.pid) & first):
            time.sleep(0.2)
        renewed = workers_of(server.pid)
        assert renewed and not renewed & first
        assert health(port, time.monotonic() + 30)[:2] == (200, b"ok")

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=40) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_a_variable_folder_that_does_not_exist_yet_is_made_for_the_sqlite_database(tmp_path):
    # given a variable folder two levels below one that exists, and no database named
    folder = tmp_path / "new" / "var"
    env = {k: v for k, v in bare_environment(AFTERSALES_VAR_DIR=str(folder), DEBUG="1").items() if k != "DATABASE_URL"}
    # when a command that opens the database runs
    done = aftersales("check", env=env)
    # then it runs, with the folder made for it
    assert done.returncode == 0, done.stdout + done.stderr
    assert folder.is_dir()
