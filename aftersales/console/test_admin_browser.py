"""The console's administration in a real browser, in English and in Chinese, on a phone (390×844)
and on a desktop (1280×800): from the overview, each page an administrator looks after — the
policy packs, the parts price list and fair market values, the service centres, and the staff and
their roles — opens under its own title, shows what it lists, and fits the screen.

One test run four times (language × size), one page load a page. Screenshots are kept in
``AFTERSALES_SCREENSHOTS`` when set, else in the test's own folder."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.billing.models import FairMarketValue, PartPrice
from aftersales.console.test_journeys_browser import IDS, RUNS, journey, sign_in  # noqa: F401 (fixture)
from aftersales.core.testing import role_user
from aftersales.portal.test_browser import fits_the_screen, screenshot

pytestmark = pytest.mark.browser
PAGES = [  # the page, what one of its rows shows, and its title in each language
    ("/console/packs/", None, {"en": "Policy packs", "zh-hans": "政策包"}),
    ("/console/prices/", "300.00", {"en": "Parts price list", "zh-hans": "备件价目表"}),
    ("/console/values/", "2000.00", {"en": "Fair market values", "zh-hans": "公允市场价值"}),
    ("/console/admin/centres/", "sh-01", {"en": "Service centres", "zh-hans": "服务中心"}),
    ("/console/admin/people/", "boss", {"en": "Staff and roles", "zh-hans": "员工与角色"}),
]
TITLE = {"en": "Administration", "zh-hans": "系统管理"}


@pytest.mark.parametrize("journey", RUNS, indirect=True, ids=IDS)
def test_an_administrator_opens_each_administration_page_from_the_overview(journey, centres, tmp_path):
    page, base, language, size = journey
    name = f"{language}-{size}"
    # given a part's list price and a model's fair market value, and an administrator signed in on
    # the administration overview
    PartPrice.objects.create(part="psu", product_line="home-desktop", region="CN", price=Decimal("300.00"),
                             currency="CNY", valid_from=dt.date(2024, 1, 1))
    FairMarketValue.objects.create(model="D700MA", region="CN", value=Decimal("2000.00"), currency="CNY",
                                   valid_from=dt.date(2024, 1, 1))
    role_user("admin", username="boss")
    sign_in(page, base, "boss", "/console/admin/")
    assert page.locator("h1").inner_text().strip() == TITLE[language] and fits_the_screen(page)
    screenshot(page, tmp_path, f"admin-overview-{name}")
    # then every page is offered there under its title
    offered = page.locator("main .card h2 a").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.textContent.trim()])")
    for path, _, titles in PAGES:
        assert [path, titles[language]] in offered, path
    # and each opens under that title, lists what it holds, and fits the screen
    for path, row, titles in PAGES:
        page.goto(f"{base}{path}")
        assert page.locator("h1").inner_text().strip() == titles[language], path
        assert page.locator("main tbody tr").count() >= 1, path
        if row:
            assert row in page.locator("main tbody").inner_text(), path
        assert fits_the_screen(page), path
        screenshot(page, tmp_path, f"admin{path.replace('/console', '').replace('/', '-').rstrip('-')}-{name}")
