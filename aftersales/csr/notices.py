"""What the customer is told at each step of a self-repair order, in English and Chinese.

Each message is written once per occasion (its key), in the same transaction as the step it
reports, and sent after that transaction commits (``notifications.person_notify``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from aftersales.core.money import Money
from aftersales.notifications.compose import Words, day_text, money_text
from aftersales.notifications.services import person_notify
from aftersales.policy.vocabulary import PARTS


def _texts(occasion: str, order, invoice: str = "") -> tuple[Words, Words]:
    deposit = Money(order.deposit, order.currency)
    part_en, part_zh = PARTS[order.part]
    due_en, due_zh = day_text(order.return_due_on, "en"), day_text(order.return_due_on, "zh-hans")
    pay_en, pay_zh = money_text(deposit, "en"), money_text(deposit, "zh-hans")
    texts = {
        "applied": (("We have your application", "我们已收到您的申请"),
                    (f"We have received your application for a replacement {part_en} and charged the deposit of "
                     f"{pay_en}. The part will reach you in about 3 to 5 business days, with a repair form and a "
                     f"return label. Please send the defective part back by {due_en}; once we receive it, the "
                     f"deposit is refunded in full.",
                     f"我们已收到您更换{part_zh}的申请，并已收取押金 {pay_zh}。部件约 3 至 5 个工作日内送达，随附维修单"
                     f"和退件标签。请在 {due_zh} 前寄回故障部件；我们收到后会全额退还押金。")),
        "shipped": (("Your part is on its way", "您的部件已寄出"),
                    (f"Your replacement {part_en} has been shipped (tracking number {order.outbound_tracking}). "
                     f"Keep the box: send the defective part back in it with the return label by {due_en}.",
                     f"您的{part_zh}已寄出（运单号 {order.outbound_tracking}）。请保留包装盒：在 {due_zh} 前用它"
                     f"装好故障部件并贴上退件标签寄回。")),
        "reminder": (("Please send the defective part back", "请寄回故障部件"),
                     (f"This is a reminder: please send the defective {part_en} back by {due_en}. If it does not "
                      f"reach the carrier by then, you keep the part and the deposit of {pay_en} is kept as its "
                      f"price. The return label can be printed again from the status page.",
                      f"温馨提醒：请在 {due_zh} 前寄回故障的{part_zh}。若届时仍未交寄，部件归您所有，押金 {pay_zh} "
                      f"将作为部件价款。退件标签可在查询页面重新打印。")),
        "refunded": (("Your deposit has been refunded", "您的押金已退还"),
                     (f"We have received the part you sent back and refunded the deposit of {pay_en} to the card "
                      f"you paid with. Depending on your bank, it shows on your statement within 3 to 5 days.",
                      f"我们已收到您寄回的部件，并已将押金 {pay_zh} 退回您付款所用的银行卡。视银行处理速度，"
                      f"3 至 5 天内会显示在您的账单上。")),
        "purchased": (("The part is now yours", "部件现归您所有"),
                      (f"The defective part was not sent back by {due_en}, so, as the programme's terms say, you "
                       f"have bought the replacement {part_en}: the deposit of {pay_en} is kept as its price."
                       f"{f' Invoice {invoice} can be downloaded from the status page.' if invoice else ''}",
                       f"故障部件未在 {due_zh} 前寄回。按照自助维修条款，您已购买该{part_zh}：押金 {pay_zh} 作为部件价款，"
                       f"不再退还。{f'发票 {invoice} 可在查询页面下载。' if invoice else ''}")),
        "cancelled": (("Your application is cancelled", "您的申请已取消"),
                      (f"Your application is cancelled before anything was shipped. The deposit of {pay_en} is "
                       f"being refunded to the card you paid with.",
                       f"您的申请已在寄出前取消。押金 {pay_zh} 正退回您付款所用的银行卡。")),
        "cancel-requested": (("Your cancellation", "您的取消申请"),
                             (f"Your self-repair is cancelled. Please pack every component you received and every "
                              f"part you removed, screws included, in the box the part came in and send it back "
                              f"with the return label by {due_en}. Once it is received, the deposit of {pay_en} is "
                              f"refunded.",
                              f"您的自助维修已取消。请将收到的所有部件和拆下的所有零件（包括螺丝）装入原包装盒，贴上退件"
                              f"标签，在 {due_zh} 前寄回。收到后我们会退还押金 {pay_zh}。")),
    }
    (subject_en, subject_zh), (text_en, text_zh) = texts[occasion]
    return Words(subject_en, subject_zh), Words(text_en, text_zh)


def tell(order, occasion: str, *, now: dt.datetime, key: str | None = None, invoice: str = "") -> None:
    """Write the message for ``occasion`` to the order's customer (once per key), naming the
    ``invoice`` number when there is one."""
    subject, text = _texts(occasion, order, invoice)
    person_notify(key=f"csr:{order.number}:{key or occasion}", email=order.email, phone=order.phone,
                  language=order.language, template="csr-update", now=now,
                  context={"subject": subject, "text": text, "number": order.number,
                           "customer_name": order.customer_name,
                           "status_page": settings.SITE_URL.rstrip("/") + reverse("csr:find")})
