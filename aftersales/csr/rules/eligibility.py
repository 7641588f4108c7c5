"""Who may replace a part themselves: the self-repair programme's eligibility, as pure rules.

From the Customer Self-Repair (CSR) questions and answers: the programme serves the United
States and Canada; notebooks shipped and sold after 2019, in warranty, with the maker's
diagnostic app pre-installed, and not of an excluded model; the diagnostic tool must have
confirmed the fault of the part asked for; only hard disks, SSDs, memory and power adapters are
sent; and one part per application — when the tool confirmed several faults, the computer goes
to a regular repair instead.

``csr_eligibility`` checks every rule and gives every refusal, not only the first, so a customer
learns at once all that stands in the way. Each refusal is a ``Reason`` with a stable code and
words for people in English and Chinese. No database, no clock: the caller passes the dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aftersales.policy.vocabulary import PARTS

COUNTRIES = ("US", "CA")
PARTS_SENT = ("hdd", "ssd", "memory", "power-adapter")
FIRST_DAY = dt.date(2020, 1, 1)  # "shipped and sold after 2019"
RETURN_DAYS = 14  # from the day of application to send the defective part back


@dataclass(frozen=True)
class Reason:
    code: str
    en: str
    zh: str
    regular_repair: bool = False  # the way forward is a regular repair: offer to book one


@dataclass(frozen=True)
class Facts:
    country: str
    product_line: str
    shipped_on: dt.date
    sold_on: dt.date
    in_warranty: bool
    diagnostic_app: bool
    model_excluded: bool
    confirmed_faults: tuple[str, ...]
    requested_part: str
    applied_on: dt.date


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    reasons: tuple[Reason, ...]
    return_due_on: dt.date | None  # the last day to send the defective part back, when eligible


def _part(part: str) -> tuple[str, str]:
    return PARTS.get(part, (part, part))


def _place(f: Facts) -> list[Reason]:
    out = []
    if f.country not in COUNTRIES:
        out.append(Reason("not-in-programme-country",
                          "Self-repair is offered only in the United States and Canada.",
                          "自助维修服务目前仅在美国和加拿大提供。", regular_repair=True))
    if f.product_line != "notebook":
        out.append(Reason("not-a-notebook", "Self-repair is offered for notebook computers only.",
                          "自助维修服务仅适用于笔记本电脑。", regular_repair=True))
    return out


def _device(f: Facts) -> list[Reason]:
    out = []
    if f.shipped_on < FIRST_DAY:
        out.append(Reason("shipped-before-2020", "Self-repair is offered for computers shipped from 2020 on; "
                                                 "this one was shipped earlier.",
                          "自助维修服务适用于 2020 年及以后出货的电脑；这台电脑出货时间更早。", regular_repair=True))
    if f.sold_on < FIRST_DAY:
        out.append(Reason("sold-before-2020", "Self-repair is offered for computers bought from 2020 on; "
                                              "this one was bought earlier.",
                          "自助维修服务适用于 2020 年及以后购买的电脑；这台电脑购买时间更早。", regular_repair=True))
    if not f.in_warranty:
        out.append(Reason("warranty-ended", "The computer's warranty has ended; self-repair is for computers "
                                             "still in warranty. A paid repair is still possible.",
                          "这台电脑已过保修期；自助维修仅适用于保修期内的电脑。您仍可申请付费维修。",
                          regular_repair=True))
    if not f.diagnostic_app:
        out.append(Reason("no-diagnostic-app", "Self-repair needs the maker's diagnostic app, pre-installed on the "
                                               "computer, to confirm the fault; this computer did not come with it.",
                          "自助维修需要电脑预装的原厂诊断应用程序确认故障；这台电脑出厂时未预装该程序。",
                          regular_repair=True))
    if f.model_excluded:
        out.append(Reason("model-excluded", "This model is not part of the self-repair programme.",
                          "此型号不在自助维修服务范围内。", regular_repair=True))
    return out


def _fault(f: Facts) -> list[Reason]:
    out = []
    en, zh = _part(f.requested_part)
    if f.requested_part not in PARTS_SENT:
        out.append(Reason("part-not-in-programme", f"The {en} cannot be replaced by self-repair; only hard disks, "
                                                   f"solid-state drives, memory and power adapters can.",
                          f"{zh}不能通过自助维修更换；仅硬盘、固态硬盘、内存和电源适配器可以。", regular_repair=True))
    if f.requested_part not in f.confirmed_faults:
        out.append(Reason("fault-not-confirmed", f"The diagnostic tool has not confirmed a fault in the {en}. "
                                                 f"Run the diagnostic test for it first; if it finds no fault but "
                                                 f"you still suspect one, book a regular repair.",
                          f"诊断工具尚未确认{zh}有故障。请先对其运行诊断测试；如果未发现故障但您仍怀疑有问题，"
                          f"请预约常规维修。", regular_repair=True))
    if len(set(f.confirmed_faults)) > 1:
        out.append(Reason("several-faults", "The diagnostic tool confirmed more than one fault. Self-repair sends "
                                            "one part per application, so please book a regular repair: the "
                                            "service centre will check and repair the whole computer.",
                          "诊断工具确认了不止一处故障。自助维修每次申请只寄送一个部件，请预约常规维修："
                          "服务中心会对整台电脑进行检查和维修。", regular_repair=True))
    return out


def csr_eligibility(facts: Facts) -> Verdict:
    """Every rule of the programme checked; eligible only when none refuses."""
    reasons = tuple(_place(facts) + _device(facts) + _fault(facts))
    if reasons:
        return Verdict(False, reasons, None)
    return Verdict(True, (), return_due_on(facts.applied_on))


def return_due_on(applied_on: dt.date) -> dt.date:
    """The last day to send the defective part back: 14 days from the application."""
    return applied_on + dt.timedelta(days=RETURN_DAYS)
