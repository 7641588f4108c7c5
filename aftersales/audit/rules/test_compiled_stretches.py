"""The date stretches the columnar audit decides once each: within one, the warranty engine picks
the same pack and the same coverage window on every day, so deciding on its first day is
deciding on any of its days."""

import dataclasses
import datetime as dt

from aftersales.audit.rules.compiled import made_cuts, opened_cuts, stretch_expression
from aftersales.policy.pack import parse_pack
from aftersales.policy.testing import SHIPPED
from aftersales.warranty.rules.engine import PackSet

SHIPPED_PACKS = [parse_pack(t) for t in SHIPPED.values()]
DESKTOP = next(p for p in SHIPPED_PACKS if "home-desktop" in p.lines)
# given a later version of the desktop pack, in force from 2025-07-01
LATER = dataclasses.replace(DESKTOP, version="2025.07.01", effective_from=dt.date(2025, 7, 1))
PACKS = PackSet(SHIPPED_PACKS + [LATER])
KEYS = sorted({(line, region) for p in PACKS.packs for line in p.lines for region in p.regions})


def stretches(cuts):
    edges = [dt.date(1, 1, 1)] + [c for c in cuts if c > dt.date(1, 1, 1)]
    return [(start, end - dt.timedelta(days=1)) for start, end in zip(edges, edges[1:])]


def test_a_newer_pack_version_starts_a_stretch_of_opening_days():
    # when the opening days are cut; then the later version's first day is a cut
    assert dt.date(2025, 7, 1) in opened_cuts(PACKS)


def test_every_opening_day_of_a_stretch_gets_the_pack_its_first_and_last_days_get():
    # when the packs are cut into stretches of opening days
    for start, end in stretches(opened_cuts(PACKS)):
        for line, region in KEYS:
            # then the engine picks one pack on the stretch's first, middle and last day
            middle = start + (end - start) / 2
            picked = {getattr(PACKS.select(line, region, day), "label", None) for day in (start, middle, end)
                      if dt.date(2000, 1, 1) <= day <= dt.date(2099, 12, 31)}
            assert len(picked) <= 1, (line, region, start, end, picked)


def test_every_manufacture_date_of_a_stretch_gets_the_window_its_first_and_last_days_get():
    for pack in PACKS.packs:
        for line in pack.lines.values():
            for start, end in stretches(made_cuts(PACKS)):
                # then the first window holding the date is the same at both ends of the stretch
                first = [next((i for i, w in enumerate(line.coverage) if w.covers(day)), None) for day in (start, end)]
                assert first[0] == first[1], (pack.label, start, end)


def test_a_date_is_put_in_the_stretch_that_starts_on_or_before_it():
    # given cuts on 2019-06-01 and 2019-08-15; when a date's stretch is written as SQL
    sql = stretch_expression("d", [dt.date(2019, 6, 1), dt.date(2019, 8, 15)])
    # then the latest cut is tried first, a date before every cut falls to the earliest day, and
    # a missing date to no stretch (so no pack decides it, as none would decide it by date)
    assert sql == ("CASE WHEN d >= DATE '2019-08-15' THEN DATE '2019-08-15' WHEN d >= DATE '2019-06-01' "
                   "THEN DATE '2019-06-01' WHEN d IS NOT NULL THEN DATE '0001-01-01' END")
