"""Progress lines for the benchmarks: each stamped with the seconds since the run began."""

from __future__ import annotations

import time

START = time.perf_counter()


def say(text: str) -> None:
    print(f"[{time.perf_counter() - START:7.1f} s] {text}", flush=True)


class step:
    """``with step("what"):`` says what starts, then how long it took (not when it fails)."""

    def __init__(self, text: str):
        self.text = text

    def __enter__(self):
        say(self.text + " …")
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            say(f"{self.text}: done in {time.perf_counter() - self.t0:.1f} s")
