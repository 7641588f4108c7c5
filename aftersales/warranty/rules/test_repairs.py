"""The same fault after warranty repairs (台式机&一体机保修政策, 2024-01-15, overview (7); SPEC
§1): only a repair made under warranty extends the cover, and a chain of them extends it from the
last one.

The worked examples use a home-desktop fan (non-major part, 12 months) bought on 2023-06-01:
its period runs to 2024-05-31, and each warranty repair keeps the fault covered at least 3
months from the repair."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aftersales.warranty.rules.conftest import PACKS, D, decide_for, facts
from aftersales.warranty.rules.dates import period_end
from aftersales.warranty.rules.engine import decide
from aftersales.warranty.rules.facts import DecisionError

FAN = {"line": "home-desktop", "part": "fan", "purchased": "2023-06-01"}


def refused(**kwargs) -> DecisionError:
    with pytest.raises(DecisionError) as err:
        decide_for(**kwargs)
    return err.value


def test_a_repair_inside_the_cover_extends_it_three_months_from_the_repair():
    d = decide_for(**FAN, repaired="2024-05-20", as_of="2024-07-01")
    assert (d.covered, d.ends_on) == (True, D("2024-08-19"))
    reason = next(r for r in d.reasons if r.code == "post-repair-extension")
    assert reason.clause == "post-repair"
    assert "2024-05-20" in reason.en and "until 2024-08-19" in reason.en


def test_a_major_part_replaced_two_months_before_its_period_ends_stays_covered_three_months_from_the_repair():
    # given a home-desktop CPU (major part, 36 months) bought 2021-09-15: covered to 2024-09-14
    cpu = {"line": "home-desktop", "part": "cpu", "made": "2021-09-01", "purchased": "2021-09-15"}
    # when it is replaced under warranty on 2024-07-14, two months before that
    last_day = decide_for(**cpu, repaired="2024-07-14", as_of="2024-10-13")
    day_after = decide_for(**cpu, repaired="2024-07-14", as_of="2024-10-14")
    # then the same fault is covered through 2024-10-13 (3 months from the repair, less a day)
    assert (last_day.covered, last_day.ends_on, last_day.months) == (True, D("2024-10-13"), 36)
    assert (day_after.covered, day_after.ends_on) == (False, D("2024-10-13"))
    assert "post-repair-extension" in last_day.reason_codes()
    assert "post-repair" in last_day.clauses


def test_a_repair_on_the_last_day_of_the_cover_is_a_warranty_repair():
    d = decide_for(**FAN, repaired="2024-05-31", as_of="2024-07-01")
    assert (d.covered, d.ends_on) == (True, D("2024-08-30"))


def test_a_repair_after_the_cover_ended_is_repair_not_under_warranty():
    err = refused(**FAN, repaired="2024-06-01", as_of="2024-07-01")
    assert (err.code, err.field) == ("repair-not-under-warranty", "last_repair_on")
    assert "2024-06-01" in err.en and "2024-05-31" in err.en
    assert "截至 2024-05-31（含）" in err.zh


def test_a_repair_not_made_under_warranty_extends_nothing_even_when_the_decision_falls_inside_three_months_of_it():
    # given the fan's period ended 2024-05-31 and it was repaired (paid) on 2024-06-10
    # when the fault is asked about on 2024-07-01, inside three months of that repair
    err = refused(**FAN, repaired="2024-06-10", as_of="2024-07-01")
    # then the repair is refused as a warranty repair rather than extending the cover to 2024-09-09
    assert err.code == "repair-not-under-warranty"
    assert "2024-06-10" in err.en and "2024-06-10" in err.zh


def test_a_repair_dated_before_the_purchase_is_refused():
    err = refused(**FAN, repaired="2023-05-20", as_of="2024-01-01")
    assert (err.code, err.field) == ("date-order", "last_repair_on")


def test_a_repair_in_the_list_after_the_cover_ended_names_the_list():
    err = refused(**FAN, repairs=["2024-06-01"], as_of="2024-07-01")
    assert (err.code, err.field) == ("repair-not-under-warranty", "repairs_on")


def test_a_chain_of_warranty_repairs_extends_the_cover_from_the_last_one():
    d = decide_for(**FAN, repairs=["2024-05-20", "2024-08-10"], as_of="2024-11-01")
    assert (d.covered, d.ends_on) == (True, D("2024-11-09"))
    reason = next(r for r in d.reasons if r.code == "post-repair-extension")
    assert "2 times, most recently on 2024-08-10" in reason.en and "until 2024-11-09" in reason.en
    assert "2 次" in reason.zh and "截至 2024-11-09（含）" in reason.zh


def test_a_repair_made_inside_a_cover_that_only_an_earlier_repair_extended_counts():
    # 2024-08-10 is after the period (2024-05-31) but inside the cover the 2024-05-20 repair gave
    alone = refused(**FAN, repairs=["2024-08-10"], as_of="2024-11-01")
    chained = decide_for(**FAN, repairs=["2024-05-20", "2024-08-10"], as_of="2024-11-01")
    assert alone.code == "repair-not-under-warranty"
    assert chained.covered


def test_a_repair_after_the_cover_an_earlier_repair_extended_had_ended_breaks_the_chain():
    err = refused(**FAN, repairs=["2024-05-20", "2024-08-20"], as_of="2024-11-01")
    assert err.code == "repair-not-under-warranty" and "2024-08-19" in err.en


def test_the_repairs_may_be_given_in_any_order():
    forwards = decide_for(**FAN, repairs=["2024-05-20", "2024-08-10"], as_of="2024-11-01")
    backwards = decide_for(**FAN, repairs=["2024-08-10", "2024-05-20"], as_of="2024-11-01")
    assert forwards == backwards


def test_the_last_repair_and_the_list_given_together_are_one_chain():
    together = decide_for(**FAN, repairs=["2024-05-20"], repaired="2024-08-10", as_of="2024-11-01")
    listed = decide_for(**FAN, repairs=["2024-05-20", "2024-08-10"], as_of="2024-11-01")
    assert together.ends_on == listed.ends_on == D("2024-11-09")


def test_a_day_given_both_as_the_last_repair_and_in_the_list_counts_once():
    d = decide_for(**FAN, repairs=["2024-05-20"], repaired="2024-05-20", as_of="2024-07-01")
    reason = next(r for r in d.reasons if r.code == "post-repair-extension")
    assert "repaired under warranty on 2024-05-20" in reason.en


def test_a_repair_early_in_the_period_extends_nothing_and_says_nothing():
    d = decide_for(**FAN, repairs=["2023-09-01"], as_of="2024-01-01")
    assert d.ends_on == D("2024-05-31") and "post-repair-extension" not in d.reason_codes()


def test_a_part_with_no_warranty_period_has_no_warranty_repair():
    err = refused(line="home-desktop", part="ancillary", purchased="2023-06-01", repaired="2023-06-01",
                  as_of="2023-07-01")
    assert err.code == "repair-not-under-warranty"


def test_a_repair_before_the_start_or_after_the_decision_date_is_a_date_order_error():
    early = refused(**FAN, repairs=["2023-05-31"], as_of="2024-01-01")
    late = refused(**FAN, repairs=["2024-02-01"], as_of="2024-01-01")
    assert (early.code, early.field) == (late.code, late.field) == ("date-order", "repairs_on")


def test_the_battery_cover_a_registration_extended_takes_a_repair_made_in_it():
    # AIO battery bought 2024-01-10: 6 months (to 2024-07-09), 12 when registered in time
    registered = decide_for(line="aio", part="battery", purchased="2024-01-10", registered="2024-01-20",
                            repaired="2024-12-20", as_of="2025-02-01")
    assert (registered.covered, registered.ends_on) == (True, D("2025-03-19"))
    with pytest.raises(DecisionError):
        decide_for(line="aio", part="battery", purchased="2024-01-10", repaired="2024-12-20", as_of="2025-02-01")


# --- properties of chains ----------------------------------------------------------------------
@st.composite
def chains(draw):
    """A part, its period, and a chain of warranty repairs, each inside the cover the repairs
    before it left (drawn step by step from the worked-out end), and a decision date after the
    last repair."""
    line, part = draw(st.sampled_from([("home-desktop", "fan"), ("home-desktop", "cpu"), ("aio", "keyboard"),
                                       ("nuc", "ssd"), ("notebook", "ssd"), ("rog-desktop", "mouse")]))
    start = draw(st.dates(dt.date(2016, 1, 1), dt.date(2024, 12, 31)))
    months = PACKS.terms(PACKS.select(line, "US" if line == "notebook" else "CN", start), line, start, part).group.months
    end, day, repairs = period_end(start, months), start, []
    for _ in range(draw(st.integers(1, 4))):
        day = draw(st.dates(day, end))
        repairs.append(day)
        end = max(end, period_end(day, 3))
    as_of = draw(st.dates(repairs[-1], repairs[-1] + dt.timedelta(days=200)))
    f = facts(line, part, made=start.isoformat(), purchased=start.isoformat(), as_of=as_of.isoformat())
    return dataclasses.replace(f, repairs_on=tuple(draw(st.permutations(repairs)))), end


@settings(max_examples=300, deadline=None)
@given(chains())
def test_a_chain_of_warranty_repairs_covers_to_three_months_after_the_last_at_least(chain):
    f, end = chain
    d = decide(f, PACKS)
    last = max(f.repairs_on)
    assert d.ends_on == end == max(period_end(d.starts_on, d.months), period_end(last, 3))
    assert d.covered == (f.as_of <= d.ends_on)


@settings(max_examples=300, deadline=None)
@given(chains())
def test_dropping_the_latest_repair_of_a_chain_never_lengthens_the_cover(chain):
    f, _ = chain
    assume(len(f.repairs_on) > 1)
    shorter = dataclasses.replace(f, repairs_on=tuple(sorted(f.repairs_on)[:-1]))
    assert decide(shorter, PACKS).ends_on <= decide(f, PACKS).ends_on


@settings(max_examples=300, deadline=None)
@given(chains(), st.integers(1, 400))
def test_a_repair_after_the_cover_the_chain_left_is_refused(chain, days_late):
    f, end = chain
    late = end + dt.timedelta(days=days_late)
    with pytest.raises(DecisionError) as err:
        decide(dataclasses.replace(f, repairs_on=(*f.repairs_on, late), as_of=max(f.as_of, late)), PACKS)
    assert err.value.code == "repair-not-under-warranty"


@settings(max_examples=200, deadline=None)
@given(chains())
def test_giving_the_last_repair_alone_in_the_one_date_form_changes_nothing(chain):
    f, _ = chain
    ordered = sorted(f.repairs_on)
    split = dataclasses.replace(f, repairs_on=tuple(ordered[:-1]), last_repair_on=ordered[-1])
    assert decide(split, PACKS) == decide(f, PACKS)
