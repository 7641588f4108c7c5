"""Benchmark: the server's memory while it refuses a decompression bomb posted as a customer's
photo on the repair application page, over real HTTP.

    uv run python bench/upload_bomb.py [--rounds 5 --limit-mb 200] [--no-pixel-limit]

Self-contained; everything it starts it stops, and everything it writes is in one temporary
directory it removes, on success, on failure and on Ctrl-C alike.

1. A scratch project directory (``AFTERSALES_VAR_DIR``): SQLite database migrated, the demo data
   loaded (service centres and a serial registry), an empty media folder.
2. Serves the project (``aftersales.wsgi``) with gunicorn on 127.0.0.1: one sync worker, so that
   one process serves every request and is the one watched; DEBUG off; the booking limit raised
   out of the way.
3. Builds the bomb: a real PNG of 12000 x 12000 transparent pixels (about 560 KB on the wire,
   576 MB once decoded; ``aftersales.evidence.conftest.png_bomb``).
4. Samples the worker's resident set (VmRSS) and proportional set (PSS) every 5 ms from a
   thread, while it: (a) books an application with a small photo (warm-up: every module loaded,
   every template compiled), (b) is posted the same application with the bomb as the photo,
   ``--rounds`` times, (c) books once more with a small photo.
5. Prints the worker's memory before the first bomb and its peak while the bombs were posted,
   and the peak's ratio to the limit (``--limit-mb``, 200 MB by default).

It reports figures and checks only that it measured what it meant to: the bomb must be refused
with 413 and the code ``image-too-large``, no case may be booked by it, and the media folder
must hold only the two small photos afterwards; anything else stops the run.

``--no-pixel-limit`` raises ``EVIDENCE_MAX_IMAGE_PIXELS`` and ``EVIDENCE_MAX_IMAGE_DECODED_BYTES``
out of the way, to show what the same post costs when the picture is decoded (Pillow's own
guard stops only pictures of more than 179 megapixels): the bomb is then accepted as a photo,
and the checks above are not made.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sampler(threading.Thread):
    """Reads a process's VmRSS and PSS (kB) every ``interval`` seconds until stopped."""

    def __init__(self, pid: int, interval: float = 0.005):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, int, int]] = []  # (time, rss kB, pss kB)
        self.running = True

    def read(self) -> tuple[int, int]:
        rss = int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{self.pid}/status").read_text()).group(1))
        pss = int(re.search(r"Pss:\s+(\d+)", Path(f"/proc/{self.pid}/smaps_rollup").read_text()).group(1))
        return rss, pss

    def run(self):
        while self.running:
            self.samples.append((time.perf_counter(), *self.read()))
            time.sleep(self.interval)

    def peak_between(self, start: float, end: float) -> tuple[int, int]:
        inside = [(rss, pss) for at, rss, pss in self.samples if start <= at <= end]
        return max(rss for rss, _ in inside), max(pss for _, pss in inside)


class Server:
    def __init__(self, env: dict, log: Path):
        self.env, self.log, self.proc, self.port = env, log, None, free_port()

    def start(self):
        cmd = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
               "--worker-class", "sync", "--timeout", "120", "--no-control-socket", "--chdir", str(ROOT),
               "aftersales.wsgi:application"]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT, stdout=log, stderr=log)
        deadline = time.perf_counter() + 90
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                status, _, _ = request(self.port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer /healthz within 90 s")

    def worker_pid(self) -> int:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        if len(children) != 1:
            raise SystemExit(f"expected one gunicorn worker, found {children}")
        return int(children[0])

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def multipart(fields: dict, files: list[tuple[str, str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n').encode()
             for name, value in fields.items()]
    parts += [(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
               f"Content-Type: {content_type}\r\n\r\n").encode() + data + b"\r\n"
              for name, filename, content_type, data in files]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Applicant:
    """One browser: fetches the form (session and CSRF cookies), then posts applications."""

    def __init__(self, port: int, centre: str, serial: str):
        self.port, self.centre, self.serial = port, centre, serial
        status, headers, body = request(port, "GET", "/repair/apply/")
        if status != 200:
            raise SystemExit(f"GET /repair/apply/ answered {status}")
        cookies = [value.split(";")[0] for name, value in headers if name.lower() == "set-cookie"]
        self.cookie = "; ".join(cookies)
        self.token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def apply(self, photo_name: str, photo: bytes, content_type: str) -> tuple[int, bytes]:
        fields = {"csrfmiddlewaretoken": self.token, "centre": self.centre, "kind": "carry-in",
                  "customer_name": "Bench Customer", "email": "bench@example.com", "serial": self.serial,
                  "symptoms": "No picture on the screen", "preference": "own-device", "ack_data_loss": "on",
                  "ack_passwords": "on", "ack_peripherals": "on"}
        body, content = multipart(fields, [("photos", photo_name, content_type, photo)])
        status, _, answer = request(self.port, "POST", "/repair/apply/", body, {
            "Content-Type": content, "Cookie": self.cookie, "Accept-Language": "en"})
        return status, answer


def setup_project(env: dict) -> tuple[str, str]:
    """Migrate and load the demo data; return a centre and a serial number of the same region."""
    for command in (["migrate", "--no-input", "-v", "0"], ["demo-data"]):
        subprocess.run([sys.executable, "-m", "aftersales.cli", *command], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    os.environ.update(env)
    import django

    django.setup()
    from aftersales.centres.models import ServiceCentre
    from aftersales.warranty.models import Device

    for centre in ServiceCentre.objects.order_by("code"):
        device = Device.objects.filter(sold_in=centre.region).order_by("serial").first()
        if device is not None:
            return centre.code, device.serial
    raise SystemExit("the demo data has no centre with a device of its region")


def small_photo() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((640, 480), 64).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def run(args, work: Path) -> None:
    env = {**os.environ, "AFTERSALES_VAR_DIR": str(work), "MEDIA_ROOT": str(work / "media"), "DEBUG": "false",
           "CASE_LOOKUPS_PER_MINUTE": "100000", "DJANGO_SETTINGS_MODULE": "aftersales.settings",
           "LOG_LEVEL": "ERROR"}
    if args.no_pixel_limit:
        env.update(EVIDENCE_MAX_IMAGE_PIXELS=str(10 ** 12), EVIDENCE_MAX_IMAGE_DECODED_BYTES=str(10 ** 15))
    centre, serial = setup_project(env)
    from aftersales.evidence.conftest import png_bomb
    from aftersales.repairs.models import Case

    bomb = png_bomb()
    server = Server(env, work / "gunicorn.log")
    server.start()
    try:
        pid = server.worker_pid()
        sampler = Sampler(pid)
        sampler.start()
        applicant = Applicant(server.port, centre, serial)
        status, _ = applicant.apply("warm-up.jpg", small_photo(), "image/jpeg")
        if status != 302:
            raise SystemExit(f"the warm-up application answered {status}")
        time.sleep(0.2)
        before_rss, before_pss = sampler.read()
        cases_before, started = Case.objects.count(), time.perf_counter()
        seconds = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            status, answer = applicant.apply("dent.png", bomb, "image/png")
            seconds.append(time.perf_counter() - t0)
            if not args.no_pixel_limit and (status != 413 or b"image-too-large" not in answer):
                raise SystemExit(f"the bomb was answered {status}, not refused as image-too-large")
        ended = time.perf_counter()
        status, _ = applicant.apply("after.jpg", small_photo(), "image/jpeg")
        time.sleep(0.05)
        sampler.running = False
        sampler.join()
        stored = [p for p in (work / "media").rglob("*") if p.is_file()]
        if not args.no_pixel_limit and (status != 302 or Case.objects.count() != cases_before + 1):
            raise SystemExit("the bomb booked a case, or the application after it was not booked")
        if not args.no_pixel_limit and len(stored) != 2:
            raise SystemExit(f"the media folder holds {len(stored)} files, not the two small photos")
        peak_rss, peak_pss = sampler.peak_between(started, ended)
    finally:
        server.stop()
    report(args, bomb, before_rss, before_pss, peak_rss, peak_pss, seconds, len(sampler.samples), status)


def report(args, bomb, before_rss, before_pss, peak_rss, peak_pss, seconds, samples, status):
    mb = 1024  # kB in a MB (MiB)
    print(f"date {dt.date.today()}; {platform.node()}: {os.cpu_count()} CPUs, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 1024 ** 3} GiB, "
          f"Python {platform.python_version()}")
    answered = f"last answered {status}" if args.no_pixel_limit else "each refused 413 image-too-large"
    print(f"bomb: PNG 12000 x 12000 RGBA, {len(bomb) / 1024:.0f} KB, {12000 * 12000 * 4 / 1024 ** 2:.0f} MB "
          f"decoded; {args.rounds} posts, {answered}, in {min(seconds) * 1000:.0f}-{max(seconds) * 1000:.0f} ms; "
          f"{samples} samples{'; pixel limit off' if args.no_pixel_limit else ''}")
    print(f"worker before the bombs: RSS {before_rss / mb:.1f} MB, PSS {before_pss / mb:.1f} MB")
    print(f"worker peak while the bombs were posted: RSS {peak_rss / mb:.1f} MB (+{(peak_rss - before_rss) / mb:.1f}), "
          f"PSS {peak_pss / mb:.1f} MB (+{(peak_pss - before_pss) / mb:.1f})")
    print(f"peak RSS against the {args.limit_mb} MB limit: {peak_rss / mb / args.limit_mb:.2f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="times the bomb is posted")
    ap.add_argument("--limit-mb", type=int, default=200, help="the worker's peak RSS must stay under this")
    ap.add_argument("--no-pixel-limit", action="store_true", help="decode the bomb, to compare")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="aftersales-bomb."))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
