"""Writes on disputes: filing one, assigning it, internal notes, asking the customer, and closing it.

Filing checks every field at once (``AppErrors``, each naming its field), keeps the supporting
files through the evidence pipeline's rules, links the dispute to our case when its number names
one of ours with the same serial (or the signed-in customer's own case), and writes the
acknowledgement e-mail — the dispute number and the date the answer is due, read from the
first-answer clock it starts (``clocks``) — to go out when the transaction commits. A refusal anywhere leaves nothing: no dispute, no file, no e-mail.

The case number of a case from before this product is kept as typed and stays unlinked; a
number in our format that matches none of our cases with that serial is refused with the same
words whether the number or the serial was wrong, so the form tells nobody which numbers exist.

Only executive-care agents work disputes (``dispute.work``); the resolutions are in ``resolutions``.
Every change of state here moves the dispute's clocks with it (``clocks``): a question to the
customer pauses them until the customer answers, assignment names who escalations go to.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from aftersales.accounts.roles import Role, require, roles_of
from aftersales.core.errors import AppError, Conflict, NotFound, raise_all
from aftersales.disputes import clocks
from aftersales.disputes.due import answer_due_day
from aftersales.disputes.files import dispute_files_add
from aftersales.disputes.models import Dispute, DisputeNote, State
from aftersales.disputes.numbers import legacy_case_number, new_dispute_number, normalise_dispute_number
from aftersales.notifications.services import address_notify
from aftersales.policy.vocabulary import REGIONS
from aftersales.repairs import events
from aftersales.repairs.models import Case, EventKind
from aftersales.repairs.numbers import normalise_case_number
from aftersales.warranty.rules.intake import normalise_serial

MAX_TEXT = 20_000
NO_SUCH_CASE = ("None of our cases has that number with that serial number. Check both on our e-mails, or, for "
                "a case from before 2025, type the number as it was given to you.",
                "我们没有与该单号和序列号相符的维修单。请核对邮件中的两项信息；若是较早的维修单，请按当时获得的单号填写。")


@dataclass
class Filing:
    customer_name: str
    case_number: str
    serial: str
    country: str
    what_happened: str
    email: str
    feedback: str = ""
    language: str = "en"


def _bad(field: str, code: str, en: str, zh: str) -> AppError:
    return AppError(code, en, zh, field=field)


def _text(filing: Filing, field: str, en: str, zh: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (getattr(filing, field) or "").strip()
    if required and not value:
        raise _bad(field, "missing-field", en, zh)
    if len(value) > limit:
        raise _bad(field, "text-too-long", f"Please keep this to {limit:,} characters; attach a document for more.",
                   f"此项请勿超过 {limit} 个字符；更多内容请以附件形式提交。")
    return value


def _checked_email(filing: Filing) -> str:
    email = (filing.email or "").strip()
    if not email:
        raise _bad("email", "missing-contact", "Give the e-mail address our answer should go to.",
                   "请填写接收答复的电子邮箱。")
    try:
        validate_email(email)
    except ValidationError:
        raise _bad("email", "invalid-email", "That e-mail address is not valid.", "电子邮箱地址无效。") from None
    return email


def _checked_country(filing: Filing) -> str:
    if filing.country not in REGIONS:
        raise _bad("country", "unknown-country", "Choose the country or region where you applied for the repair.",
                   "请选择您申请维修的国家或地区。")
    return filing.country


def _checked_serial(filing: Filing) -> str:
    if not (filing.serial or "").strip():
        raise _bad("serial", "missing-field", "Enter the serial number printed on the device's label.",
                   "请输入机身标签上印制的序列号。")
    return normalise_serial(filing.serial)


def _checked(filing: Filing, actor) -> dict:
    """Every field checked; everything wrong refused at once."""
    checks = {
        "customer_name": lambda: _text(filing, "customer_name", "Your name as it is on the case is required.",
                                       "请填写维修单上的姓名。", limit=120),
        "serial": lambda: _checked_serial(filing),
        "country": lambda: _checked_country(filing),
        "what_happened": lambda: _text(filing, "what_happened", "Tell us what happened with your repair.",
                                       "请描述您的维修经过及问题。"),
        "feedback": lambda: _text(filing, "feedback", "", "", required=False),
        "email": lambda: _checked_email(filing),
    }
    found, errors = {}, []
    for name, check in checks.items():
        try:
            found[name] = check()
        except AppError as exc:
            errors.append(exc)
    try:
        found["case"] = _linked_case(filing, found.get("serial"), actor)
    except AppError as exc:
        errors.append(exc)
    raise_all(errors)
    return found


def _our_case_number(text: str) -> str | None:
    """One of our case numbers, as typed. Typed without our leading R, eleven letters and digits
    are ours only when such a case exists: older numbers (``SH-2019-00731``) can have as many."""
    ours = normalise_case_number(text)
    if ours is None or len(re.sub(r"[\s\-]", "", text)) == len(ours):
        return ours
    return ours if Case.objects.filter(number=ours).exists() else None


def _linked_case(filing: Filing, serial: str | None, actor) -> Case | None:
    """Our case with that number, if it is this serial's (or the signed-in customer's own);
    None for an older case's number. Refuses one of our numbers that matches nothing."""
    if not (filing.case_number or "").strip():
        raise _bad("case_number", "missing-field", "Enter the case number from our e-mails.",
                   "请填写邮件中的维修单号。")
    ours = _our_case_number(filing.case_number)
    if ours is None:
        if legacy_case_number(filing.case_number) is None:
            raise _bad("case_number", "invalid-case-number",
                       "That does not look like a case number: use the letters and digits on our e-mails.",
                       "这不像是维修单号：请填写邮件中的字母和数字。")
        return None
    case = Case.objects.filter(number=ours).first()
    own = case is not None and actor is not None and case.customer_id == getattr(actor, "pk", None)
    if serial is None and not own:
        return None  # the serial's own error refuses the form
    if case is None or not (own or case.serial.upper() == serial):
        raise _bad("case_number", "case-not-found", *NO_SUCH_CASE)
    return case


def _customer(actor):
    return actor if Role.CUSTOMER in roles_of(actor) else None


@transaction.atomic
def dispute_file(*, filing: Filing, files: list | tuple = (), actor, now: dt.datetime) -> Dispute:
    """File a dispute from the portal form, keep its files and acknowledge it by e-mail at once."""
    require(actor, "dispute.file")
    found = _checked(filing, actor)
    case = found["case"]
    case_number = case.number if case else legacy_case_number(filing.case_number)
    dispute = _created(filing, found, case, case_number, _customer(actor), now)
    dispute_files_add(dispute=dispute, uploads=list(files), now=now)
    clocks.clocks_start(dispute=dispute, now=now)
    if case is not None:
        events.record(case, EventKind.NOTE, at=now, actor=actor, visible=False,
                      en=f"The customer filed dispute {dispute.display_number} with executive care.",
                      zh=f"客户向高级客户关怀提交了争议 {dispute.display_number}。",
                      data={"dispute": dispute.number})
    address_notify(email=dispute.email, language=dispute.language, template="dispute-acknowledged",
                   key=f"{dispute.number}:acknowledged", case=case, now=now, context={
                       "customer_name": dispute.customer_name, "number": dispute.display_number,
                       "case_number": case.display_number if case else dispute.case_number,
                       "due": answer_due_day(dispute, now)})
    return dispute


def _created(filing: Filing, found: dict, case: Case | None, case_number: str, customer, now) -> Dispute:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Dispute.objects.create(
                    number=new_dispute_number(), filed_at=now,
                    customer_name=found["customer_name"], case_number=case_number, serial=found["serial"],
                    country=found["country"], what_happened=found["what_happened"], feedback=found["feedback"],
                    email=found["email"], language="zh-hans" if filing.language.startswith("zh") else "en",
                    case=case, customer=customer)
        except IntegrityError:  # a number already taken: draw another
            continue
    raise AppError("number-exhausted", "Could not issue a dispute number; try again.", "无法生成争议编号，请重试。",
                   status=503)


# --- working a dispute ------------------------------------------------------------------------------
def locked_dispute(number: str, *, actor, open_only: bool = True) -> Dispute:
    """The dispute, locked for the rest of the transaction, for someone who works disputes."""
    require(actor, "dispute.work")
    dispute = Dispute.objects.select_for_update().filter(number=normalise_dispute_number(number) or "").first()
    if dispute is None:
        raise NotFound("unknown-dispute", "No such dispute.", "没有该争议。")
    if open_only and dispute.state == State.RESOLVED:
        raise Conflict("dispute-resolved", "This dispute is already resolved.", "该争议已解决。")
    return dispute


def under_review(dispute: Dispute, now: dt.datetime) -> None:
    """Executive care is working the dispute: it leaves "filed" or "waiting", and its clocks run."""
    if dispute.state in (State.FILED, State.WAITING):
        dispute.state = State.IN_REVIEW
        dispute.save(update_fields=["state"])
        clocks.clocks_follow_state(dispute=dispute, now=now)


@transaction.atomic
def dispute_assign(*, number: str, assignee, actor, now: dt.datetime) -> Dispute:
    """Give the dispute to an executive-care agent (themselves or a colleague)."""
    dispute = locked_dispute(number, actor=actor)
    if assignee is None or Role.EXEC_CARE not in roles_of(assignee) or not assignee.is_active:
        raise _bad("assignee", "not-executive-care",
                   "Disputes are worked by executive-care agents; choose one of them.",
                   "争议由高级客户关怀专员处理；请从中选择。")
    dispute.assignee = assignee
    dispute.save(update_fields=["assignee"])
    clocks.clocks_assigned(dispute=dispute, assignee=assignee, actor=actor)
    if dispute.state == State.FILED:
        under_review(dispute, now)
    return dispute


@transaction.atomic
def dispute_note_add(*, number: str, text: str, actor, now: dt.datetime) -> DisputeNote:
    """An internal note on the dispute; the customer never sees it."""
    dispute = locked_dispute(number, actor=actor, open_only=False)
    text = (text or "").strip()
    if not text:
        raise _bad("text", "missing-field", "Write the note first.", "请先填写备注内容。")
    if len(text) > MAX_TEXT:
        raise _bad("text", "text-too-long", f"A note holds at most {MAX_TEXT:,} characters.",
                   f"备注最多 {MAX_TEXT} 个字符。")
    return DisputeNote.objects.create(dispute=dispute, author=actor, text=text, at=now)


@transaction.atomic
def dispute_resolve(*, number: str, actor, now: dt.datetime) -> Dispute:
    """Close the dispute once at least one resolution has been made and the customer told."""
    dispute = locked_dispute(number, actor=actor)
    if not dispute.resolutions.exists():
        raise Conflict("no-resolution", "Record at least one resolution before closing the dispute.",
                       "请先记录至少一项解决方案，再结案。")
    dispute.state, dispute.resolved_at = State.RESOLVED, now
    dispute.save(update_fields=["state", "resolved_at"])
    clocks.clocks_resolved(dispute=dispute, now=now)
    return dispute
