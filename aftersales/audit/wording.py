"""What each audit rule means, in plain words for the customer's letter and the auditor's page,
in English and Chinese. No code of ours reaches either: the page and the letter say these."""

from __future__ import annotations

from aftersales.notifications.compose import Words

RULES: dict[str, tuple[Words, Words]] = {  # rule -> (short name for the page, the letter's sentence)
    "charged-under-warranty": (
        Words("Charged while under warranty", "保修期内收费"),
        Words("Your warranty covered this repair, so it should have been free of charge, but we charged you for it.",
              "这次维修在保修范围内，本应免费，我们却向您收取了费用。")),
    "inspection-fee-above-cap": (
        Words("Inspection fee above the published fee", "检测费高于公布标准"),
        Words("You declined the repair we quoted. For the inspection alone we may charge no more than our published "
              "fee, but we charged you more than that.",
              "您没有接受我们的维修报价。此时我们只能按公布的标准收取检测费，但实际收费超过了这个标准。")),
    "charged-after-rejection": (
        Words("Charged after the quotation was declined", "拒绝报价后仍收费"),
        Words("You declined the repair we quoted, so apart from the inspection nothing was due, but we charged you "
              "for repair work.",
              "您没有接受我们的维修报价，除检测费外不应再收任何费用，我们却收取了维修费用。")),
    "labour-above-schedule": (
        Words("Labour above the fee schedule", "工时费高于收费标准"),
        Words("The labour we charged was more than our published fee schedule sets for this work.",
              "我们收取的工时费高于公布的收费标准。")),
    "parts-above-list": (
        Words("Parts above the list price", "备件价格高于价目表"),
        Words("The part we charged for cost more than our price list gave on the day your repair began.",
              "我们收取的备件费用高于维修开始当天价目表上的价格。")),
    "paid-more-than-charged": (
        Words("Paid more than was charged", "付款多于收费"),
        Words("You paid us more than the repair cost.", "您支付的金额多于维修费用。")),
}


def rule_name(rule: str) -> Words:
    return RULES[rule][0] if rule in RULES else Words(rule, rule)


def rule_sentence(rule: str) -> Words:
    return RULES[rule][1] if rule in RULES else Words("", "")
