"""The columnar audit, compiled from the packs, gives what the scalar engine gives, on random
history: random products, dates, parts, findings, declined quotations, charges and price lists."""

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.audit.rules.reprice import PriceRow
from aftersales.audit.rules.rows import CaseRow, LineRow, PaymentRow
from aftersales.audit.testing import columnar_findings, scalar_findings
from aftersales.policy.pack import parse_pack
from aftersales.policy.testing import SHIPPED
from aftersales.policy.vocabulary import EXCLUSION_CODES, PARTS, SERVICES
from aftersales.warranty.rules.engine import PackSet

PACKS = PackSet([parse_pack(t) for t in SHIPPED.values()])
LINES = ["home-desktop", "aio", "rog-desktop", "mini-pc", "nuc", "notebook"]
PRICED_PARTS = ["psu", "fan", "mainboard", "keyboard", "battery"]
AMOUNTS = [Decimal(a) for a in ("0.00", "50.00", "80.00", "100.00", "150.00", "199.00", "320.00", "350.00")]
days = st.integers(min_value=0, max_value=2500).map(lambda n: dt.timedelta(days=n))


@st.composite
def a_case(draw, number: str):
    made = draw(st.dates(dt.date(2009, 1, 1), dt.date(2024, 12, 31)))
    bought = draw(st.none() | days.map(lambda d: made + d % dt.timedelta(days=400)))
    region = draw(st.sampled_from(["CN", "CN", "CN", "HK", "US"]))
    currency = draw(st.sampled_from([{"US": "USD"}.get(region, "CNY")] * 5 + ["USD"]))
    exclusions = draw(st.lists(st.sampled_from(sorted(EXCLUSION_CODES)), max_size=2) | st.just([]))
    case = CaseRow(number, region, "", draw(st.sampled_from(LINES)), draw(st.sampled_from(["", "D500"])), "", made,
                   bought, (bought or made) + draw(days), None,
                   draw(st.sampled_from(PRICED_PARTS * 3 + sorted(PARTS))), ";".join(dict.fromkeys(exclusions)),
                   draw(st.booleans()), currency)
    lines = []
    for no in range(1, draw(st.integers(0, 4)) + 1):
        service = draw(st.sampled_from(sorted(SERVICES) + ["part-replacement", "disassembly-diagnosis"]))
        part = draw(st.sampled_from(PRICED_PARTS)) if service == "part-replacement" else draw(
            st.sampled_from(["", "", "fan"]))
        lines.append(LineRow(number, no, service, part, draw(st.sampled_from(AMOUNTS)), draw(st.sampled_from(AMOUNTS)),
                             currency))
    payments = [PaymentRow(number, case.opened_on, amount, currency, str(i))
                for i, amount in enumerate(draw(st.lists(st.sampled_from(AMOUNTS + [Decimal("600.00")]), max_size=2)))]
    return case, lines, payments


@st.composite
def a_price_list(draw):
    rows, split = [], dt.date(2019, 1, 1)
    for part in PRICED_PARTS:
        for line in ("home-desktop", "aio", "rog-desktop"):
            for model in ("", "D500"):
                shape = draw(st.sampled_from(["none", "open", "split"] if not model else ["none", "none", "open"]))
                first, second = draw(st.sampled_from(AMOUNTS)), draw(st.sampled_from(AMOUNTS))
                if shape == "open":
                    rows.append((part, line, model, first, dt.date(2012, 1, 1), None))
                elif shape == "split":
                    rows += [(part, line, model, first, dt.date(2012, 1, 1), split - dt.timedelta(days=1)),
                             (part, line, model, second, split, None)]
    return [PriceRow(i, p, ln, m, "CN", price, "CNY", start, end) for i, (p, ln, m, price, start, end) in
            enumerate(rows, 1)]


@st.composite
def a_history(draw):
    cases, lines, payments = [], [], []
    for n in range(draw(st.integers(1, 15))):
        case, mine, paid = draw(a_case(f"C{n:03d}"))
        cases.append(case)
        lines += mine
        payments += paid
    return cases, lines, payments, draw(a_price_list())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(a_history())
def test_the_columnar_audit_finds_what_the_scalar_engine_finds(history):
    # given random history and price lists; when both engines audit it
    columnar = columnar_findings(PACKS, *history)
    scalar = scalar_findings(PACKS, *history)
    # then they give the same findings, with the same evidence, and refuse the same cases
    assert columnar == scalar
