"""The plain-language reasons a decision gives, in English and Chinese, side by side.

Each function returns one ``Reason``; the wording is for a customer reading on a phone, so it
says what applies to *their* device and dates, and leaves clause numbers to the citation. An end
date is the last day covered, and the Chinese says so (截至 …（含）).

The reasons that quote a line's own dates are written as a ``Wording``, words with blanks for
the dates, filled in by ``Wording.reason``: the batch keeps the words of each wording encoded
once and fills in only the dates.
"""

from __future__ import annotations

import datetime as dt

from aftersales.policy.pack import Clause, Lcd
from aftersales.policy.vocabulary import GROUPS, PARTS, PRODUCT_LINES, REGIONS
from aftersales.warranty.rules.facts import Reason

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

SINGLE_PART_GROUPS = frozenset({"battery", "preinstalled-os", "bundled-software"})


class Wording:
    """A reason's words with a blank (``%s``) for each date it quotes, the same dates in the same
    order in English and in Chinese (``%%`` is a per cent sign, not a blank)."""

    __slots__ = ("code", "en", "zh", "blanks")

    def __init__(self, code: str, en: str, zh: str):
        self.code, self.en, self.zh = code, en, zh
        self.blanks = en.replace("%%", "").count("%s")

    def reason(self, days: tuple[dt.date, ...], clause: str | None) -> Reason:
        """The reason these words give for ``days``, the dates in the blanks' order."""
        spelled = tuple(day.isoformat() for day in days)
        return Reason(self.code, self.en % spelled, self.zh % spelled, clause)


def what_words(line: str, part: str, group: str) -> tuple[str, str]:
    """The subject of the period reason: 'On your home desktop, the fan falls under the non-major
    parts and' — or, for a group that is the part itself (battery, system, software), just 'On
    your all-in-one PC, the battery'."""
    ln_en, ln_zh = PRODUCT_LINES[line]
    pt_en, pt_zh = PARTS[part]
    pt_en = pt_en.removeprefix("the ")  # 'the bundled software' already has its article
    if group in SINGLE_PART_GROUPS:
        return f"On your {ln_en}, the {pt_en}", f"{ln_zh}的{pt_zh}"
    gr_en, gr_zh = GROUPS[group]
    return f"On your {ln_en}, the {pt_en} falls under {gr_en} and", f"{ln_zh}的{pt_zh}属于{gr_zh}，"


NO_PERIOD, COVERED, ENDED, NOT_COVERED = range(4)


def period_kind(months: int, covered: bool, as_of: dt.date, end: dt.date) -> int:
    """Which period wording applies: no period at all, covered, ended before the decision date,
    or a period that runs but does not cover (the part is excluded, or serviced out of its
    region)."""
    if months == 0:
        return NO_PERIOD
    if covered:
        return COVERED
    return ENDED if as_of > end else NOT_COVERED


def period_wording(what: tuple[str, str], months: int, kind: int) -> Wording:
    """The words of the period reason for a subject (``what_words``), a length and a kind
    (``period_kind``); the blanks are the start, the end and, for a period that ended, the
    decision date."""
    what_en, what_zh = what[0].replace("%", "%%"), what[1].replace("%", "%%")
    if kind == NO_PERIOD:
        return Wording("no-coverage-period", f"{what_en} has no warranty period.", f"{what_zh}不提供保修期。")
    if kind == COVERED:
        return Wording("in-period", f"{what_en} is covered for {months} months: %s to %s.",
                       f"{what_zh}保修期 {months} 个月：%s 至 %s（含）。")
    if kind == ENDED:
        return Wording("period-ended",
                       f"{what_en} was covered for {months} months (%s to %s); that period ended before %s.",
                       f"{what_zh}保修期 {months} 个月，为 %s 至 %s（含），在 %s 之前已结束。")
    return Wording("in-period", f"{what_en} has a {months}-month period, %s to %s.",
                   f"{what_zh}保修期 {months} 个月：%s 至 %s（含）。")


def period(what: tuple[str, str], months: int, kind: int, start: dt.date, end: dt.date, as_of: dt.date,
           clause: str) -> Reason:
    wording = period_wording(what, months, kind)
    return wording.reason((start, end, as_of)[:wording.blanks], clause)


BASIS = {
    True: Wording("basis-invoice", "The period starts on %s, the date on your valid purchase invoice.",
                  "保修期从有效购机发票日期 %s 起算。"),
    False: Wording("basis-manufacture",
                   "Without a valid purchase invoice, the period starts on %s, the manufacture date behind "
                   "the serial number.",
                   "未提供有效购机发票，保修期从机身序列号对应的生产日期 %s 起算。"),
}


def basis(invoice: bool, start: dt.date, clause: str) -> Reason:
    return BASIS[invoice].reason((start,), clause)


def battery(*, registered_on: dt.date | None, deadline: dt.date, in_time: bool, months: int,
            registered_months: int, clause: str) -> Reason:
    if in_time:
        return Reason("battery-registered",
                      f"The battery is covered for {registered_months} months instead of {months}, because "
                      f"the product was registered on {registered_on}, within one month of purchase.",
                      f"产品于 {registered_on} 注册（购机后一个月内），电池保修期由 {months} 个月"
                      f"延长至 {registered_months} 个月。", clause)
    if registered_on is None:
        return Reason("battery-unregistered",
                      f"The battery is covered for {months} months from sale; registering the product by "
                      f"{deadline} would have extended it to {registered_months} months.",
                      f"电池自售出之日起保修 {months} 个月；如于 {deadline}（含）之前注册产品，"
                      f"可延长至 {registered_months} 个月。", clause)
    return Reason("battery-registered-late",
                  f"The battery is covered for {months} months: the product was registered on {registered_on}, "
                  f"after the one-month window that ended on {deadline}.",
                  f"电池保修期为 {months} 个月：产品于 {registered_on} 注册，已超过截至 {deadline}（含）"
                  f"的一个月注册期。", clause)


def post_repair(*, last_repair: dt.date, repairs: int, months: int, end: dt.date, clause: str) -> Reason:
    """The cover a chain of ``repairs`` warranty repairs gives the same fault, the last on
    ``last_repair``."""
    if repairs == 1:
        return Reason("post-repair-extension",
                      f"This fault was repaired under warranty on {last_repair}, so the same fault stays "
                      f"covered for at least {months} months after that repair, until {end}.",
                      f"该故障已于 {last_repair} 保修维修，同一故障自维修之日起至少保修 {months} 个月，"
                      f"截至 {end}（含）。", clause)
    return Reason("post-repair-extension",
                  f"This fault was repaired under warranty {repairs} times, most recently on {last_repair}, "
                  f"so the same fault stays covered for at least {months} months after that repair, until {end}.",
                  f"该故障已保修维修 {repairs} 次，最近一次为 {last_repair}；同一故障自该次维修之日起"
                  f"至少保修 {months} 个月，截至 {end}（含）。", clause)


def region(*, sold_in: str, service_in: str, area: frozenset[str], clause: str) -> Reason:
    area_en = " or ".join(REGIONS[r][0] for r in sorted(area))
    area_zh = "或".join(REGIONS[r][1] for r in sorted(area))
    return Reason("region-mismatch",
                  f"Products bought in {REGIONS[sold_in][0]} are serviced only in {area_en}; this "
                  f"request is for service in {REGIONS[service_in][0]}.",
                  f"在{REGIONS[sold_in][1]}购买的产品仅在{area_zh}提供保修服务，本次申请的服务地为"
                  f"{REGIONS[service_in][1]}。", clause)


def exclusion(*, code: str, clause: Clause) -> Reason:
    found_en, found_zh = EXCLUSION_FINDINGS[code]
    return Reason(code,
                  f"Inspection found {found_en}, which free warranty service does not cover. {clause.en}",
                  f"检测发现{found_zh}，不属于免费保修范围。{clause.zh}", clause.id)


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


ONSITE_AVAILABLE = Wording("onsite-available",
                           "Free on-site repair is available until %s for this hardware fault, at sites within "
                           "the on-site service area.",
                           "截至 %s（含），该硬件故障可在上门服务范围内享受免费上门维修。")
ONSITE_ENDED = Wording("onsite-ended",
                       "The on-site period ended on %s; repairs are free at a service centre (carry-in or "
                       "mail-in), or on site for a fee.",
                       "上门服务期截至 %s（含），现已结束；可送修至服务中心免费维修，或付费上门。")


VIP_SOFTWARE_VISIT = Wording("vip-software-visit",
                               "Your VIP service includes one free software on-site visit while the whole unit is "
                               "under warranty, until %s. It has not been used yet, so a technician can come to you "
                               "for this operating system fault.",
                               "您的 VIP 服务包含整机保修期内 1 次免费软件上门服务，截至 %s（含）。该服务尚未使用，"
                               "此次操作系统故障可安排工程师上门处理。")


def onsite_not_offered(clause: str | None) -> Reason:
    return Reason("onsite-not-offered",
                  "On-site service is not part of these terms for this part; bring or send the device to a "
                  "service centre.",
                  "该部件不提供上门服务，请将产品送至或寄至服务中心。", clause)


def onsite_not_covered(clause: str | None) -> Reason:
    return Reason("onsite-not-covered", "Free on-site repair needs the fault to be covered by the warranty.",
                  "免费上门维修仅适用于保修范围内的故障。", clause)


def onsite(*, offered: bool, covered: bool, eligible: bool, end: dt.date | None, clause: str | None) -> Reason:
    """On-site service: not part of the terms, not for a fault that is not covered, available
    until its end, or ended."""
    if not offered:
        return onsite_not_offered(clause)
    if not covered:
        return onsite_not_covered(clause)
    return (ONSITE_AVAILABLE if eligible else ONSITE_ENDED).reason((end,), clause)
