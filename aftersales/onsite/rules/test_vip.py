"""The VIP counters: one cleaning in the first year, one software visit within the warranty."""

import datetime as dt

import pytest

from aftersales.core.errors import AppError
from aftersales.onsite.rules.vip import (
    CLEANING,
    SOFTWARE_VISIT,
    VipUse,
    entitlements,
    give_back,
    is_vip,
    use,
)

BOUGHT = dt.date(2025, 3, 15)
WHOLE_UNIT_UNTIL = dt.date(2028, 3, 14)


def test_only_the_high_end_desktop_line_has_vip_entitlements(vip_terms):
    assert is_vip(vip_terms, "rog-desktop") and not is_vip(vip_terms, "home-desktop")
    assert not is_vip(None, "rog-desktop")


def test_the_cleaning_is_open_through_the_day_before_the_first_anniversary(vip_terms):
    cleaning, software = entitlements(vip_terms, starts_on=BOUGHT, whole_unit_until=WHOLE_UNIT_UNTIL, used=VipUse())
    assert cleaning.until == dt.date(2026, 3, 14) and cleaning.remaining == 1
    assert cleaning.open_on(dt.date(2026, 3, 14)) and not cleaning.open_on(dt.date(2026, 3, 15))
    assert software.until == WHOLE_UNIT_UNTIL and software.open_on(dt.date(2028, 3, 14))


def test_a_cleaning_used_once_cannot_be_used_again(vip_terms):
    cleaning, _ = entitlements(vip_terms, starts_on=BOUGHT, whole_unit_until=WHOLE_UNIT_UNTIL, used=VipUse())
    after = use(VipUse(), cleaning, dt.date(2025, 6, 1))
    assert after == VipUse(cleaning=1, software_visit=0)
    cleaning, _ = entitlements(vip_terms, starts_on=BOUGHT, whole_unit_until=WHOLE_UNIT_UNTIL, used=after)
    with pytest.raises(AppError) as refused:
        use(after, cleaning, dt.date(2025, 7, 1))
    assert refused.value.code == "entitlement-used" and "已经使用过" in refused.value.zh


def test_a_cleaning_after_the_first_year_is_refused(vip_terms):
    cleaning, _ = entitlements(vip_terms, starts_on=BOUGHT, whole_unit_until=WHOLE_UNIT_UNTIL, used=VipUse())
    with pytest.raises(AppError) as refused:
        use(VipUse(), cleaning, dt.date(2026, 3, 15))
    assert refused.value.code == "entitlement-expired"


def test_no_software_visit_once_the_whole_unit_is_out_of_warranty(vip_terms):
    _, software = entitlements(vip_terms, starts_on=BOUGHT, whole_unit_until=None, used=VipUse())
    with pytest.raises(AppError) as refused:
        use(VipUse(), software, dt.date(2025, 4, 1))
    assert refused.value.code == "entitlement-expired"


def test_a_cancelled_visit_gives_its_use_back_and_counters_never_go_below_zero():
    assert give_back(VipUse(software_visit=1), SOFTWARE_VISIT) == VipUse()
    with pytest.raises(AppError) as refused:
        give_back(VipUse(), CLEANING)
    assert refused.value.code == "entitlement-not-used"
