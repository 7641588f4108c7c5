"""Invariants of the warranty decision over generated devices, parts and dates."""

import dataclasses
import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aftersales.warranty.rules.conftest import PACKS
from aftersales.warranty.rules.engine import decide
from aftersales.warranty.rules.facts import DecisionError, Facts

LINES = {
    "rog-desktop": ["cpu", "fan", "keyboard", "preinstalled-os", "bundled-software", "ancillary"],
    "home-desktop": ["cpu", "fan", "mouse", "preinstalled-os", "bundled-software", "ancillary"],
    "aio": ["battery", "lcd-panel", "mainboard", "remote", "preinstalled-os"],
    "mini-pc": ["ssd", "preinstalled-os", "ancillary"],
    "nuc": ["cpu", "preinstalled-os"],
    "notebook": ["battery", "ssd", "lcd-panel"],
}


@st.composite
def any_facts(draw):
    line = draw(st.sampled_from(sorted(LINES)))
    part = draw(st.sampled_from(LINES[line]))
    made = draw(st.dates(dt.date(2012, 1, 1), dt.date(2025, 12, 31)))
    purchased = draw(st.one_of(st.none(), st.dates(made, made + dt.timedelta(days=400))))
    start = purchased or made
    as_of = draw(st.dates(start, start + dt.timedelta(days=2000)))
    registered = draw(st.one_of(st.none(), st.dates(start, as_of)))
    repaired = draw(st.one_of(st.none(), st.dates(start, as_of)))
    region = "US" if line == "notebook" else draw(st.sampled_from(["CN", "HK", "TW"]))
    return Facts(product_line=line, manufactured_on=made, part=part, as_of=as_of, sold_in=region,
                 service_in=region, purchased_on=purchased, registered_on=registered, last_repair_on=repaired)


def decided(facts):
    try:
        return decide(facts, PACKS)
    except DecisionError:
        assume(False)


@settings(max_examples=300, deadline=None)
@given(any_facts())
def test_a_covered_decision_lies_inside_its_own_period(f):
    d = decided(f)
    assert d.covered == (d.starts_on <= f.as_of <= d.ends_on)


@settings(max_examples=300, deadline=None)
@given(any_facts())
def test_on_site_service_ends_no_later_than_the_warranty_and_needs_cover(f):
    d = decided(f)
    if d.onsite_ends_on is not None:
        assert d.onsite_ends_on <= d.ends_on
    assert not d.onsite_eligible or d.covered


@settings(max_examples=300, deadline=None)
@given(any_facts())
def test_an_earlier_warranty_repair_never_shortens_the_cover(f):
    d = decided(f)
    without = decided(dataclasses.replace(f, last_repair_on=None))
    assert d.ends_on >= without.ends_on
    assert d.covered or not without.covered


@settings(max_examples=300, deadline=None)
@given(any_facts())
def test_registering_the_product_never_shortens_the_cover(f):
    d = decided(f)
    unregistered = decided(dataclasses.replace(f, registered_on=None))
    assert d.ends_on >= unregistered.ends_on


@settings(max_examples=300, deadline=None)
@given(any_facts(), st.sampled_from(["liquid-damage", "physical-damage", "unauthorised-repair"]))
def test_an_exclusion_never_turns_a_refusal_into_cover(f, code):
    d = decided(f)
    excluded = decided(dataclasses.replace(f, exclusions=(code,)))
    assert not excluded.covered
    assert (excluded.starts_on, excluded.ends_on) == (d.starts_on, d.ends_on)


@settings(max_examples=300, deadline=None)
@given(any_facts())
def test_a_later_decision_date_never_brings_cover_back(f):
    d = decided(f)
    later = decided(dataclasses.replace(f, as_of=f.as_of + dt.timedelta(days=30)))
    assert d.covered or not later.covered or later.ends_on == d.ends_on


@settings(max_examples=200, deadline=None)
@given(any_facts())
def test_every_decision_names_its_pack_and_explains_every_reason_in_both_languages(f):
    d = decided(f)
    assert d.pack in {"cn-desktop@2026.11.30", "na-notebook@2026.11.30"}
    assert d.reasons and all(r.en and r.zh for r in d.reasons)
    assert d.reasons[0].code in {"in-period", "period-ended", "no-coverage-period"}
