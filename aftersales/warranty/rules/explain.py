"""The plain-language reasons a decision gives, in English and Chinese, side by side.

Builders whose answers repeat across a batch (basis, on-site, battery, region...) are memoised,
and a ``Reason`` is never changed once made; ``period`` depends on each line's own dates, so only
its words around them are.

Each function returns one ``Reason``; the wording is for a customer reading on a phone, so it
says what applies to *their* device and dates, and leaves clause numbers to the citation.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache, wraps

from aftersales.warranty.rules.dates import ISO_BYTES, Memo, iso
from aftersales.warranty.rules.facts import Reason, Wording, compact, worded
from aftersales.policy.pack import Clause, Lcd
from aftersales.policy.vocabulary import GROUPS, PARTS, PRODUCT_LINES, REGIONS

EXCLUSION_FINDINGS: dict[str, tuple[str, str]] = {
    "no-valid-proof": ("no valid proof of purchase or warranty card", "无有效三包凭证或凭证无法识别"),
    "scrapped": ("the product has been scrapped", "产品已报废"),
    "liquid-damage": ("liquid damage", "进液损坏"),
    "physical-damage": ("physical damage (a drop, impact, foreign object or scratch)", "外力损坏（跌落、撞击、异物进入或划伤）"),
    "natural-disaster": ("damage from a natural disaster, animals or insects", "天灾或动物、昆虫造成的损坏"),
    "unauthorised-repair": ("signs of repair or disassembly outside an authorised service centre", "曾自行拆装或在非授权维修点维修"),
    "unauthorised-modification": ("unauthorised modification or non-original parts", "擅自改装或加装非原厂配件"),
    "external-power": ("a fault caused by the external power supply", "外接电源问题导致的故障"),
    "user-software": ("a problem caused by software the user installed or settings the user changed", "用户自行安装软件或设置不当造成的问题"),
    "software-service": ("a request for software installation, password removal or third-party software support", "要求安装软件、清除密码或第三方软件支持"),
    "virus": ("a fault caused by a computer virus", "计算机病毒造成的故障"),
    "tampered-label": ("a torn, altered or unreadable warranty label or serial number", "保修标签或序列号被撕毁、涂改或无法辨识"),
    "cosmetic-only": ("cosmetic wear that does not affect operation", "不影响使用的外观变化"),
    "misuse": ("use not following the user manual", "未按使用手册操作或使用不当"),
    "fraud-theft": ("fraud, theft or unexplained disappearance", "欺诈、偷盗或无故消失"),
    "unlock-tool": ("an unlocking tool was installed or used", "安装或使用了解锁程序"),
    "battery-wear": ("normal battery wear", "电池正常损耗"),
    "improper-installation": ("a peripheral that was installed or connected incorrectly", "外接设备安装或连接不当"),
    "lost-password": ("a forgotten or lost password", "忘记或遗失密码"),
    "contamination": ("contamination by toxic substances, pests or radiation", "有毒物质、虫害或辐射污染"),
}


_d = iso


def _memoised(build):
    """``lru_cache`` for a reason builder, the reason's JSON kept in a bytes object of its own
    size: orjson hands its output back in a buffer of about 4 KB, too much to keep by the
    thousand (a batch memoises tens of thousands of reasons)."""
    @wraps(build)
    def compacted(*args, **kwargs) -> Reason:
        reason = build(*args, **kwargs)
        if reason._wording is None:  # a worded reason's JSON is made to size already
            reason.json = compact(reason.json)
        return reason
    return lru_cache(maxsize=65536)(compacted)


_what_cache: dict[tuple[str, str, str], tuple[str, str]] = {}


def what_words(line: str, part: str, group: str) -> tuple[str, str]:
    """The subject of the period reason in English and Chinese (memoised)."""
    key = (line, part, group)
    what = _what_cache.get(key)
    if what is None:
        what = _what_cache[key] = _what_words(line, part, group)
    return what


def _what_words(line: str, part: str, group: str) -> tuple[str, str]:
    """'On your home desktop, the fan falls under the non-major parts' — or, for a group that is
    the part itself (battery, system, software), just 'On your all-in-one PC, the battery'."""
    ln_en, ln_zh = PRODUCT_LINES[line]
    pt_en, pt_zh = PARTS[part]
    if group in SINGLE_PART_GROUPS:
        return f"On your {ln_en}, the {pt_en}", f"{ln_zh}的{pt_zh}"
    gr_en, gr_zh = GROUPS[group]
    return (f"On your {ln_en}, the {pt_en} falls under {gr_en} and", f"{ln_zh}的{pt_zh}属于{gr_zh}，")


SINGLE_PART_GROUPS = frozenset({"battery", "preinstalled-os", "bundled-software"})


def period_kind(months: int, covered: bool, ended_by: dt.date | None) -> int:
    """Which period wording applies: 0 no period, 1 covered, 2 ended before the decision date,
    3 a period that does not cover (the part is excluded, or serviced out of its region)."""
    if months == 0:
        return 0
    if covered:
        return 1
    return 2 if ended_by is not None else 3


def period_of(what: tuple[str, str], covered: bool, months: int, start: dt.date, end: dt.date,
              ended_by: dt.date | None, clause: str) -> Reason:
    """The reason about the warranty period. ``what`` is the subject (``what_words``), which
    ``decide`` keeps with the terms of a line, manufacture date and part; ``ended_by`` is the
    decision date when it falls after the end, else None. The words around the dates are
    worded once per subject, length and outcome (``period_wording``); each line only fills in
    its dates (``period_reason``)."""
    kind = period_kind(months, covered, ended_by)
    return period_reason(period_wording(what, months, kind), clause, start, end, ended_by)


def period_reason(wording: Wording, clause: str, start: dt.date, end: dt.date, ended_by: dt.date | None) -> Reason:
    """The period reason ``wording`` gives for a line's dates: the body of ``worded``, written
    out for the three shapes of period wording (this runs once for every line of a batch)."""
    reason = _new_reason(Reason)
    reason.code, reason.clause, reason._wording = wording.code, clause, wording
    if wording.blanks == 0:
        reason._days, reason.json = (), wording.json
        return reason
    s = ISO_BYTES[start]
    e = ISO_BYTES[end]
    if wording.blanks == 3:
        a = ISO_BYTES[ended_by]
        reason._days, reason.json = (start, end, ended_by), wording.json % (s, e, a, s, e, a)
    else:
        reason._days, reason.json = (start, end), wording.json % (s, e, s, e)
    return reason


_new_reason = object.__new__


_period_wordings: dict[tuple, Wording] = {}


def period_wording(what: tuple[str, str], months: int, kind: int) -> Wording:
    """The words of the period reason (``period_kind``) for a subject and a length, memoised."""
    key = (what, months, kind)
    found = _period_wordings.get(key)
    if found is not None:
        return found
    what_en, what_zh = what
    what_en, what_zh = what_en.replace("%", "%%"), what_zh.replace("%", "%%")  # blanks are %s
    if kind == 0:
        wording = Wording("no-coverage-period", f"{what_en} has no warranty period.",
                          f"{what_zh}不提供保修期。")
    elif kind == 1:
        wording = Wording("in-period", f"{what_en} is covered for {months} months: %s to %s.",
                          f"{what_zh}保修期 {months} 个月：%s 至 %s。")
    elif kind == 2:
        wording = Wording("period-ended",
                          f"{what_en} was covered for {months} months (%s to %s); that period ended before %s.",
                          f"{what_zh}保修期 {months} 个月（%s 至 %s），在 %s 之前已结束。")
    else:
        wording = Wording("in-period", f"{what_en} has a {months}-month period, %s to %s.",
                          f"{what_zh}保修期 {months} 个月：%s 至 %s。")
    if len(_period_wordings) > 10_000:
        _period_wordings.clear()
    _period_wordings[key] = wording
    return wording


# Reasons that quote a date are worded once, with blanks (``Wording``): a batch meets thousands
# of dates, and filling one in costs far less than writing the reason out afresh.
_BASIS_INVOICE = Wording("basis-invoice", "The period starts on %s, the date on your valid purchase invoice.",
                         "保修期从有效购机发票日期 %s 起算。")
_BASIS_MANUFACTURE = Wording("basis-manufacture",
                             "Without a valid purchase invoice, the period starts on %s, the manufacture "
                             "date behind the serial number.",
                             "未提供有效购机发票，保修期从机身序列号对应的生产日期 %s 起算。")


@_memoised
def basis(invoice: bool, start: dt.date, clause: str) -> Reason:
    return worded(_BASIS_INVOICE if invoice else _BASIS_MANUFACTURE, (start,), clause)


@_memoised
def battery(*, registered_on: dt.date | None, deadline: dt.date, in_time: bool, months: int,
            registered_months: int, clause: str) -> Reason:
    if in_time:
        return worded(_battery_wording("battery-registered", months, registered_months), (registered_on,), clause)
    if registered_on is None:
        return worded(_battery_wording("battery-unregistered", months, registered_months), (deadline,), clause)
    return worded(_battery_wording("battery-registered-late", months, registered_months),
                  (registered_on, deadline), clause)


@lru_cache(maxsize=256)
def _battery_wording(code: str, months: int, registered_months: int) -> Wording:
    if code == "battery-registered":
        return Wording(code,
                       f"The battery is covered for {registered_months} months instead of {months}, "
                       f"because the product was registered on %s, within one month of purchase.",
                       f"产品于 %s 注册（购机后一个月内），电池保修期由 {months} 个月"
                       f"延长至 {registered_months} 个月。")
    if code == "battery-unregistered":
        return Wording(code,
                       f"The battery is covered for {months} months from sale; registering the product "
                       f"by %s would have extended it to {registered_months} months.",
                       f"电池自售出之日起保修 {months} 个月；如在 %s 前注册产品，"
                       f"可延长至 {registered_months} 个月。")
    return Wording(code,
                   f"The battery is covered for {months} months: the product was registered on "
                   f"%s, after the one-month window that ended on %s.",
                   f"电池保修期为 {months} 个月：产品于 %s 注册，已超过 %s 截止的一个月注册期。")


@_memoised
def post_repair(*, repaired_on: dt.date, months: int, end: dt.date, clause: str) -> Reason:
    return Reason("post-repair-extension",
                  f"This fault was repaired under warranty on {_d(repaired_on)}, so the same fault stays "
                  f"covered for at least {months} months after that repair, until {_d(end)}.",
                  f"该故障已于 {_d(repaired_on)} 保修维修，同一故障自维修之日起至少保修 {months} 个月，"
                  f"至 {_d(end)}。", clause)


@_memoised
def region(*, sold_in: str, service_in: str, area: frozenset[str], clause: str) -> Reason:
    area_en = " or ".join(REGIONS[r][0] for r in sorted(area))
    area_zh = "或".join(REGIONS[r][1] for r in sorted(area))
    return Reason("region-mismatch",
                  f"Products bought in {REGIONS[sold_in][0]} are serviced only in {area_en}; this "
                  f"request is for service in {REGIONS[service_in][0]}.",
                  f"在{REGIONS[sold_in][1]}购买的产品仅在{area_zh}提供保修服务，本次申请的服务地为"
                  f"{REGIONS[service_in][1]}。", clause)


@_memoised
def exclusion(*, code: str, clause: Clause) -> Reason:
    found_en, found_zh = EXCLUSION_FINDINGS[code]
    return Reason(code,
                  f"Inspection found {found_en}, which free warranty service does not cover. {clause.en}",
                  f"检测发现{found_zh}，不属于免费保修范围。{clause.zh}", clause.id)


@_memoised
def lcd(*, bright: int, dark: int, rule: Lcd) -> Reason:
    conditions_en = (f"checked from at least {rule.min_distance_cm} cm, at {rule.temperature_c[0]}–"
                     f"{rule.temperature_c[1]} °C and {rule.lux[0]}–{rule.lux[1]} lux")
    conditions_zh = (f"检查距离不小于 {rule.min_distance_cm} 厘米，室温 {rule.temperature_c[0]}–"
                     f"{rule.temperature_c[1]} ℃，照度 {rule.lux[0]}–{rule.lux[1]} lux")
    if bright > rule.bright_max or dark > rule.dark_max:
        return Reason("lcd-beyond-tolerance",
                      f"The panel shows {bright} bright and {dark} dark dots, more than the tolerance "
                      f"(up to {rule.bright_max} bright and {rule.dark_max} dark), so it qualifies for "
                      f"replacement ({conditions_en}).",
                      f"屏幕有 {bright} 个亮点、{dark} 个暗点，超出允许范围（亮点不超过 {rule.bright_max} 个、"
                      f"暗点不超过 {rule.dark_max} 个），符合更换条件（{conditions_zh}）。", rule.clause)
    return Reason("lcd-within-tolerance",
                  f"The panel shows {bright} bright and {dark} dark dots, within the industry tolerance "
                  f"of up to {rule.bright_max} bright and {rule.dark_max} dark dots, so the panel is not "
                  f"replaced under warranty ({conditions_en}).",
                  f"屏幕有 {bright} 个亮点、{dark} 个暗点，在行业允许范围内（亮点不超过 {rule.bright_max} 个、"
                  f"暗点不超过 {rule.dark_max} 个），不予保修更换（{conditions_zh}）。", rule.clause)


_ONSITE_AVAILABLE = Wording("onsite-available",
                            "Free on-site repair is available until %s for this hardware fault, at "
                            "sites within the on-site service area.",
                            "在 %s 之前，该硬件故障可在上门服务范围内享受免费上门维修。")
_ONSITE_ENDED = Wording("onsite-ended",
                        "The on-site period ended on %s; repairs are free at a service centre (carry-in "
                        "or mail-in), or on site for a fee.",
                        "上门服务期已于 %s 结束；可送修至服务中心免费维修，或付费上门。")


@_memoised
def onsite(eligible: bool, offered: bool, end: dt.date | None, covered: bool, clause: str | None) -> Reason:
    if not offered:
        return Reason("onsite-not-offered",
                      "On-site service is not part of these terms for this part; bring or send the "
                      "device to a service centre.",
                      "该部件不提供上门服务，请将产品送至或寄至服务中心。", clause)
    if eligible:
        return worded(_ONSITE_AVAILABLE, (end,), clause)
    if not covered:
        return Reason("onsite-not-covered",
                      "Free on-site repair needs the fault to be covered by the warranty.",
                      "免费上门维修仅适用于保修范围内的故障。", clause)
    return worded(_ONSITE_ENDED, (end,), clause)


# -- memos by date ---------------------------------------------------------------------------
# For the reasons ``decide`` gives on every line (basis, on-site), every argument but one date is
# fixed by the terms; ``Terms`` holds a memo of each by that date, shared by all terms citing the
# same clause. A look-up is then one dictionary subscript: no key to build and hash.
_by_date: dict[tuple, Memo] = {}


def _memo(key: tuple, build) -> Memo:
    memo = _by_date.get(key)
    if memo is None:
        memo = _by_date[key] = Memo(build, limit=50_000)
    return memo


def basis_by_start(invoice: bool, clause: str) -> Memo:
    """``basis(invoice, start, clause)`` by start."""
    return _memo(("basis", invoice, clause), lambda day: basis.__wrapped__(invoice, day, clause))


def onsite_by_end(eligible: bool, clause: str | None) -> Memo:
    """``onsite(eligible, True, end, True, clause)`` by end: on-site repair available until the
    end, or ended on it (for a covered fault)."""
    return _memo(("onsite", eligible, clause), lambda day: onsite.__wrapped__(eligible, True, day, True, clause))
