"""Demo repairs of past years, for the overcharge audit: six desktop repairs done in Shanghai and
Beijing between 2021 and 2023, four of them overcharged in the ways the audit looks for, and the
parts price list of those years. Imported through the ordinary importers (nothing twice when the
demo is loaded again).

What each case is, written out so the demo can be checked by hand against the published fee
schedule (part replacement 50 yuan of labour, disassembly and diagnosis 100 yuan when a quotation
is declined, deep cleaning 199 yuan, power supplies 36 months on these desktops):

- SH-2021-00101  out of warranty, charged the schedule and the list: nothing to find;
- SH-2021-00102  power supply replaced in warranty, yet charged 50 + 320: charged under warranty;
- SH-2022-00103  quotation declined, 150 charged for the inspection: above the 100 due;
- SH-2022-00104  out of warranty, 80 of labour: above the 50 of the schedule;
- SH-2019-00731  out of warranty, the power supply charged 380 against 350 on the list;
- BJ-2020-00088  power supply free in warranty, deep cleaning charged as due: nothing to find.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from aftersales.audit.history import history_import
from aftersales.audit.rules.rows import PRICE_COLUMNS
from aftersales.audit.tables import Table
from aftersales.billing.pricelist import part_prices_import

CASES = """case_number,region,centre,product_line,model,serial,manufactured_on,purchased_on,opened_on,closed_on,part,exclusions,quotation_rejected,currency
SH-2021-00101,CN,Shanghai Xuhui,home-desktop,S500SE,HDCN09101,2019-08-01,2019-08-20,2023-03-01,2023-03-06,psu,,false,CNY
SH-2021-00102,CN,Shanghai Xuhui,home-desktop,S500SE,HDCN09102,2020-05-01,2020-05-10,2021-06-01,2021-06-04,psu,,false,CNY
SH-2022-00103,CN,Shanghai Xuhui,home-desktop,D700MC,HDCN09103,2019-09-01,2019-09-15,2022-11-02,2022-11-04,psu,,true,CNY
SH-2022-00104,CN,Shanghai Xuhui,home-desktop,D700MC,HDCN09104,2019-10-01,2019-10-12,2023-02-01,2023-02-03,psu,,false,CNY
SH-2019-00731,CN,Shanghai Xuhui,home-desktop,M700ME,HDCN09731,2019-07-15,2019-08-01,2023-05-01,2023-05-05,psu,,false,CNY
BJ-2020-00088,CN,Beijing Haidian,home-desktop,S500SE,HDCN09088,2020-03-01,2020-03-20,2021-09-01,2021-09-03,psu,,false,CNY
"""
LINES = """case_number,line_no,service,part,labour_charged,parts_charged,currency
SH-2021-00101,1,part-replacement,psu,50.00,350.00,CNY
SH-2021-00102,1,part-replacement,psu,50.00,320.00,CNY
SH-2021-00102,2,deep-cleaning,,199.00,0.00,CNY
SH-2022-00103,1,disassembly-diagnosis,,150.00,0.00,CNY
SH-2022-00104,1,part-replacement,psu,80.00,350.00,CNY
SH-2019-00731,1,part-replacement,psu,50.00,380.00,CNY
BJ-2020-00088,1,part-replacement,psu,0.00,0.00,CNY
BJ-2020-00088,2,deep-cleaning,,199.00,0.00,CNY
"""
PAYMENTS = """case_number,paid_on,amount,currency,reference
SH-2021-00101,2023-03-06,400.00,CNY,SH-P-230306-01
SH-2021-00102,2021-06-04,569.00,CNY,SH-P-210604-07
SH-2022-00103,2022-11-04,150.00,CNY,SH-P-221104-02
SH-2022-00104,2023-02-03,430.00,CNY,SH-P-230203-05
SH-2019-00731,2023-05-05,430.00,CNY,SH-P-230505-03
BJ-2020-00088,2021-09-03,199.00,CNY,BJ-P-210903-11
"""
PRICES = """part,product_line,region,currency,price,effective_from
psu,home-desktop,CN,CNY,320.00,2015-01-01
psu,home-desktop,CN,CNY,350.00,2022-01-01
"""
DISPUTED = ("SH-2019-00731", "HDCN09731")  # the older repair a demo dispute is about


def demo_history() -> list[str]:
    """Import the demo history and its price list; returns lines to print."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in (("cases", CASES), ("lines", LINES), ("payments", PAYMENTS), ("prices", PRICES)):
            (folder / f"{name}.csv").write_text(text)
        refused: list = []
        table = Table(str(folder / "prices.csv"), PRICE_COLUMNS, optional=("model",))
        try:
            part_prices_import(rows=[r for chunk in table.chunks() for r in chunk],
                               refuse=lambda n, exc: refused.append((n, exc)))
        finally:
            table.close()
        result = history_import(cases=str(folder / "cases.csv"), lines=str(folder / "lines.csv"),
                                payments=str(folder / "payments.csv"))
    if refused or result.error_count:
        first = result.errors[0] if result.errors else refused[0][1]
        return [f"the history of past years was not wholly imported: {first.en}"]
    return ["6 repairs of 2021-2023, 4 of them overcharged: run `aftersales audit-overcharges` to find them"]
