import datetime as dt

import pytest

from aftersales.warranty.rules.engine import PackSet, decide
from aftersales.warranty.rules.facts import Facts
from aftersales.policy.pack import parse_pack
from aftersales.policy.testing import SHIPPED

PACKS = PackSet([parse_pack(text) for text in SHIPPED.values()])

D = dt.date.fromisoformat


def facts(line="home-desktop", part="cpu", *, made="2023-01-10", as_of="2024-06-01", sold_in=None,
          service_in=None, purchased=None, registered=None, shipped=None, repaired=None, bright=None,
          dark=None, inspection=None, exclusions=(), repairs=()) -> Facts:
    region = sold_in or ("US" if line == "notebook" else "CN")
    return Facts(
        product_line=line, manufactured_on=D(made), part=part, as_of=D(as_of), sold_in=region,
        service_in=service_in or region, purchased_on=D(purchased) if purchased else None,
        registered_on=D(registered) if registered else None, shipped_on=D(shipped) if shipped else None,
        last_repair_on=D(repaired) if repaired else None, lcd_bright=bright, lcd_dark=dark,
        lcd_inspection=inspection, exclusions=tuple(exclusions), repairs_on=tuple(D(day) for day in repairs),
    )


def decide_for(**kwargs):
    return decide(facts(**kwargs), PACKS)


@pytest.fixture
def shipped_pack_texts():
    return dict(SHIPPED)
