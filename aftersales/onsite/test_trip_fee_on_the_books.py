"""The trip fee of a paid visit reaches the ledger when the visit is checked out: owed by the
customer on the (first) case of the visit, earned as trip fees, keyed by the visit."""

from decimal import Decimal

from aftersales.billing.case_money import case_money
from aftersales.ledger.models import Purpose, Transfer
from aftersales.ledger.selectors import balance
from aftersales.ledger.services import account_for
from aftersales.onsite.on_the_day import visit_check_in, visit_check_out
from aftersales.onsite.test_on_the_day import ARRIVED, LEFT, snap, visit  # noqa: F401  (the fixture)
from aftersales.repairs.models import Case
from aftersales.repairs.testing import findings_for_all


def test_checking_out_a_paid_visit_posts_its_trip_fee_to_the_case(visit, tech):
    # given a paid visit (100.00) whose technician found every fault
    visit_check_in(public_id=visit.public_id, photos=[snap()], actor=tech, now=ARRIVED)
    case = Case.objects.get(visit_lines__visit=visit)
    findings_for_all(case, staff=tech, now=LEFT)
    # when the customer confirms the visit
    visit_check_out(public_id=visit.public_id, confirmed_by="Li Lei", photos=[snap()], actor=tech, now=LEFT)
    # then the fee is owed on the case and earned as trip fees, once, keyed by the visit
    transfer = Transfer.objects.get()
    assert (transfer.key, transfer.reference) == (f"trip:visit:{visit.public_id}", case.number)
    assert balance(account_for(Purpose.REVENUE_TRIPS, "CNY")).credit_posted_net == Decimal("100.00")
    assert [(m.currency, m.owed) for m in case_money(case.number)] == [("CNY", Decimal("100.00"))]
