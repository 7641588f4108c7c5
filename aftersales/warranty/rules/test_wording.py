"""The reasons' words: an end date is the last day covered, and the Chinese says so (截至 …（含）),
as the English "until" and "to" do."""

import re

from hypothesis import given, settings

from aftersales.warranty.rules.conftest import decide_for
from aftersales.warranty.rules.test_decision_properties import any_facts, decided


def zh_of(d, code: str) -> str:
    return next(r.zh for r in d.reasons if r.code == code)


def test_a_covered_period_reads_as_including_its_last_day_in_chinese():
    d = decide_for(line="home-desktop", part="cpu", purchased="2023-03-15", as_of="2024-06-01")
    assert zh_of(d, "in-period") == "家用台式机的CPU属于主要部件，保修期 36 个月：2023-03-15 至 2026-03-14（含）。"


def test_an_ended_period_reads_as_including_its_last_day_in_chinese():
    d = decide_for(line="home-desktop", part="cpu", made="2020-01-10", purchased="2020-03-15", as_of="2024-06-01")
    assert zh_of(d, "period-ended") == ("家用台式机的CPU属于主要部件，保修期 36 个月，为 2020-03-15 至 2023-03-14（含），"
                                        "在 2024-06-01 之前已结束。")


def test_free_on_site_repair_reads_as_available_through_its_last_day_in_chinese():
    d = decide_for(line="home-desktop", part="psu", made="2023-01-01", purchased="2023-02-01", as_of="2024-06-01")
    assert zh_of(d, "onsite-available") == "截至 2026-01-31（含），该硬件故障可在上门服务范围内享受免费上门维修。"


def test_an_ended_on_site_period_reads_as_including_its_last_day_in_chinese():
    d = decide_for(line="home-desktop", part="cpu", made="2015-06-01", purchased="2015-07-01", as_of="2017-08-01")
    assert zh_of(d, "onsite-ended").startswith("上门服务期截至 2017-06-30（含），现已结束")


def test_the_post_repair_cover_reads_as_including_its_last_day_in_chinese():
    d = decide_for(line="home-desktop", part="fan", purchased="2023-06-01", repaired="2024-05-20", as_of="2024-06-01")
    assert zh_of(d, "post-repair-extension") == ("该故障已于 2024-05-20 保修维修，同一故障自维修之日起至少保修 3 个月，"
                                                 "截至 2024-08-19（含）。")


def test_the_battery_registration_deadline_reads_as_including_its_last_day_in_chinese():
    unregistered = decide_for(line="aio", part="battery", purchased="2024-01-10", as_of="2024-03-01")
    late = decide_for(line="aio", part="battery", purchased="2024-01-10", registered="2024-02-10", as_of="2024-03-01")
    assert "如于 2024-02-09（含）之前注册产品" in zh_of(unregistered, "battery-unregistered")
    assert "已超过截至 2024-02-09（含）的一个月注册期" in zh_of(late, "battery-registered-late")


QUOTES_AN_END = {"in-period": "ends_on", "period-ended": "ends_on", "post-repair-extension": "ends_on",
                 "onsite-available": "onsite_ends_on", "onsite-ended": "onsite_ends_on"}


@settings(max_examples=300, deadline=None)
@given(any_facts())
def test_every_end_date_a_chinese_reason_quotes_is_marked_as_included(f):
    d = decided(f)
    for reason in d.reasons:
        if reason.code in QUOTES_AN_END:
            assert f"{getattr(d, QUOTES_AN_END[reason.code]).isoformat()}（含）" in reason.zh, reason.zh
        assert not re.search(r"\d{4}-\d{2}-\d{2} ?前", reason.zh), reason.zh  # "before" would leave the day out
