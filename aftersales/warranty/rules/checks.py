"""The questions the warranty rules refuse to answer as asked, each refused with a code, the field
at fault and words in English and Chinese (``DecisionError``): words outside the vocabulary,
dates outside those the product accepts (an ``InvalidInput``), dates in an impossible order, dot counts that do not apply or were not taken properly, a finding
the line's terms do not know, a part they do not cover, a repair not made under warranty."""

from __future__ import annotations

import datetime as dt

from aftersales.policy.dates import accepted, out_of_range_words
from aftersales.policy.pack import Line, Pack
from aftersales.policy.vocabulary import PARTS, PRODUCT_LINES, REGIONS
from aftersales.warranty.rules.explain import EXCLUSION_FINDINGS
from aftersales.warranty.rules.facts import DecisionError, Facts, InvalidInput


def vocabulary(f: Facts) -> None:
    if f.product_line not in PRODUCT_LINES:
        raise DecisionError("unknown-product-line", f"Unknown product line {f.product_line!r}.",
                            f"未知产品线 {f.product_line!r}。", field="product_line")
    if f.part not in PARTS:
        raise DecisionError("unknown-part", f"Unknown part {f.part!r}.", f"未知部件 {f.part!r}。", field="part")
    for name in ("sold_in", "service_in"):
        code = getattr(f, name)
        if code not in REGIONS:
            raise DecisionError("unknown-region", f"Unknown region code {code!r} in {name}.",
                                f"{name} 中的地区代码 {code!r} 无效。", field=name)


_DATES = (("manufactured_on", "The manufacture date", "生产日期"), ("as_of", "The decision date", "判定日期"),
          ("purchased_on", "The invoice date", "发票日期"), ("registered_on", "The registration date", "注册日期"),
          ("shipped_on", "The ship date", "出货日期"), ("last_repair_on", "The earlier repair date", "上次保修维修日期"))


def date_range(f: Facts) -> None:
    """Every date one the product accepts (``aftersales.policy.dates``): a date far outside
    them is a slip of the keyboard, and periods counted from it would run off the calendar."""
    for name, en, zh in _DATES:
        day = getattr(f, name)
        if day is not None and not accepted(day):
            raise InvalidInput("date-out-of-range", *out_of_range_words(day, en, zh), field=name)
    for day in f.repairs_on:
        if not accepted(day):
            raise InvalidInput("date-out-of-range", *out_of_range_words(day, "An earlier repair date", "此前保修维修日期"),
                               field="repairs_on")


def _date_order(field: str, en: str, zh: str) -> DecisionError:
    return DecisionError("date-order", en, zh, field=field)


def dates(f: Facts, start: dt.date) -> None:
    """The dates in the order time gives them: made, then sold (or shipped), then registered or
    repaired, all by the decision date."""
    if f.purchased_on is not None and f.purchased_on < f.manufactured_on:
        raise _date_order("purchased_on", "The invoice date is before the manufacture date.", "发票日期早于生产日期。")
    if f.as_of < start:
        raise _date_order("as_of", f"The decision date {f.as_of} is before the warranty start {start}.",
                          f"判定日期 {f.as_of} 早于保修起始日期 {start}。")
    if f.registered_on is not None and not start <= f.registered_on <= f.as_of:
        raise _date_order("registered_on", "The registration date must fall between the start of the warranty "
                          "and the decision date.", "注册日期必须在保修起始日期与判定日期之间。")
    if f.last_repair_on is not None and not start <= f.last_repair_on <= f.as_of:
        raise _date_order("last_repair_on", "The earlier repair date must fall between the start of the "
                          "warranty and the decision date.", "上次维修日期必须在保修起始日期与判定日期之间。")
    if any(not start <= day <= f.as_of for day in f.repairs_on):
        raise _date_order("repairs_on", "Each earlier repair date must fall between the start of the warranty "
                          "and the decision date.", "每次维修日期都必须在保修起始日期与判定日期之间。")
    if f.shipped_on is not None and f.shipped_on < f.manufactured_on:
        raise _date_order("shipped_on", "The ship date is before the manufacture date.", "出货日期早于生产日期。")


def lcd(f: Facts, pack: Pack, line: Line) -> None:
    """Dot counts only for an LCD panel under an LCD rule, both of them, counted under the
    rule's inspection conditions when those are given."""
    if f.lcd_bright is None and f.lcd_dark is None and f.lcd_inspection is None:
        return
    if f.part != "lcd-panel" or not line.lcd or pack.lcd is None:
        raise DecisionError("lcd-not-applicable", "Bright and dark dot counts apply only to the LCD panel of a "
                            "product with an LCD rule.", "亮点、暗点数量仅适用于适用液晶屏规则的产品的液晶屏。",
                            field="lcd_dots")
    if f.lcd_bright is None or f.lcd_dark is None or f.lcd_bright < 0 or f.lcd_dark < 0:
        raise DecisionError("invalid-lcd-dots", "Give both bright and dark dot counts, as whole numbers of zero "
                            "or more.", "请同时提供亮点和暗点数量（不小于 0 的整数）。", field="lcd_dots")
    ins, rule = f.lcd_inspection, pack.lcd
    if ins is not None and not (
            ins.distance_cm >= rule.min_distance_cm
            and rule.temperature_c[0] <= ins.temperature_c <= rule.temperature_c[1]
            and rule.lux[0] <= ins.lux <= rule.lux[1]):
        raise DecisionError(
            "lcd-inspection-conditions",
            f"The dot count was not taken under the required conditions (at least {rule.min_distance_cm} cm, "
            f"{rule.temperature_c[0]}–{rule.temperature_c[1]} °C, {rule.lux[0]}–{rule.lux[1]} lux); inspect again.",
            f"亮暗点检查未在规定条件下进行（距离不小于 {rule.min_distance_cm} 厘米，"
            f"{rule.temperature_c[0]}–{rule.temperature_c[1]} ℃，{rule.lux[0]}–{rule.lux[1]} lux），请重新检查。",
            field="lcd_inspection")


def exclusions(f: Facts, line: Line) -> None:
    """Every finding is one the line's terms know (its own list, and the general terms for a
    line that takes them): a finding no terms name is refused, not guessed."""
    for code in f.exclusions:
        if code not in line.exclusions:
            found_en, found_zh = EXCLUSION_FINDINGS.get(code, (code, code))
            raise DecisionError("exclusion-not-applicable",
                                f"The {PRODUCT_LINES[line.id][0]} terms name no exclusion for {found_en}.",
                                f"{PRODUCT_LINES[line.id][1]}的保修条款中没有关于“{found_zh}”的除外条款。",
                                field="exclusions")


def not_applicable(pack: Pack, line: Line, part: str) -> DecisionError:
    ln_en, ln_zh = PRODUCT_LINES[line.id]
    pt_en, pt_zh = PARTS[part]
    ref = line.not_covered.get(part)
    extra_en = f" {pack.clauses[ref].en}" if ref else ""
    extra_zh = pack.clauses[ref].zh if ref else ""
    return DecisionError("part-not-applicable",
                         f"The {ln_en} terms do not cover the {pt_en.removeprefix('the ')}.{extra_en}",
                         f"{ln_zh}保修条款不包含{pt_zh}。{extra_zh}", field="part")


def not_under_warranty(repaired: dt.date, cover_end: dt.date, field: str) -> DecisionError:
    """A repair made after the cover in force on its day had ended: not a warranty repair, so it
    extends nothing."""
    return DecisionError(
        "repair-not-under-warranty",
        f"The repair on {repaired} was not a warranty repair: the cover in force that day ended on {cover_end}. "
        f"Only a repair made under warranty extends the cover of the same fault.",
        f"{repaired} 的维修不属于保修维修：当时的保修期截至 {cover_end}（含），维修时已经结束。"
        f"只有在保修期内进行的维修，才会延长同一故障的保修期。",
        field=field)
