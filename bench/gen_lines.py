"""Synthetic warranty-batch input: N JSONL lines over every product line, part group and rule."""

from __future__ import annotations

import datetime as dt
import random
import sys

import orjson

LINES = {
    "rog-desktop": (["cpu", "gpu", "fan", "keyboard", "preinstalled-os", "memory"], "CN"),
    "home-desktop": (["cpu", "fan", "hdd", "mouse", "bundled-software", "psu"], "CN"),
    "aio": (["battery", "lcd-panel", "mainboard", "remote", "ssd"], "CN"),
    "mini-pc": (["cpu", "ssd", "preinstalled-os", "ancillary"], "CN"),
    "nuc": (["cpu", "memory", "preinstalled-os"], "CN"),
    "notebook": (["battery", "ssd", "lcd-panel", "keyboard"], "US"),
}
EXCLUSIONS = ["liquid-damage", "physical-damage", "unauthorised-repair", "cosmetic-only"]


def line(i: int, rng: random.Random) -> dict:
    product_line = rng.choice(list(LINES))
    parts, region = LINES[product_line]
    made = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(0, 3000))
    purchased = made + dt.timedelta(days=rng.randrange(5, 200)) if rng.random() < 0.8 else None
    start = purchased or made
    as_of = max(start, dt.date(2024, 6, 1)) + dt.timedelta(days=rng.randrange(0, 700))
    if region == "US" and rng.random() < 0.3:
        region = "CA"
    obj = {
        "id": f"L{i}", "product_line": product_line, "manufactured_on": made.isoformat(),
        "part": rng.choice(parts),
        "purchased_on": purchased.isoformat() if purchased else None,
        "registered_on": (start + dt.timedelta(days=rng.randrange(0, 60))).isoformat()
        if rng.random() < 0.5 else None,
        "sold_in": region, "service_in": region if rng.random() < 0.97 else "HK",
        "as_of": as_of.isoformat(),
    }
    if rng.random() < 0.1:
        obj["last_repair_on"] = (as_of - dt.timedelta(days=rng.randrange(0, 60))).isoformat()
    if rng.random() < 0.05:
        obj["exclusions"] = [rng.choice(EXCLUSIONS)]
    if obj["part"] == "lcd-panel" and product_line == "aio" and rng.random() < 0.5:
        obj["lcd_dots"] = {"bright": rng.randrange(0, 6), "dark": rng.randrange(0, 8)}
    if rng.random() < 0.01:
        obj["manufactured_on"] = "2023-02-30"
    return obj


def write(path: str, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with open(path, "wb") as f:
        for i in range(n):
            f.write(orjson.dumps(line(i, rng)) + b"\n")


if __name__ == "__main__":
    write(sys.argv[1], int(sys.argv[2]))
