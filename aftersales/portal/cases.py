"""The customer's case pages: apply for a repair, look a case up, follow it, reply, answer a
quotation line by line, and download the repair report.

A case opens to whoever gives its number with the e-mail or phone on file (or signs in as the
customer who booked it); the session then remembers that case. Look-ups are rate-limited per
address and answer the same whether the number or the contact detail was wrong; so are
applications, messages and "I don't understand" (``throttle``). The customer's files are served
in a sandbox, and anything but a photo as a download (``evidence.views.evidence_response``).

The signed quotation link sent by e-mail opens that quotation (its lines, its damage photos, the
answer form) and nothing more: it does not open the case's pages, and once the quotation is
answered, replaced or out of time it opens a plain page saying so (``billing.links``). Its "I don't
understand this" is a message in the case's conversation (``quotation_questions``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.core.ratelimit import client_address, rate_limit_hit, with_retry_after
from aftersales.evidence.services import uploads_within_limit
from aftersales.evidence.sniff import DOCUMENT, IMAGE
from aftersales.evidence.views import evidence_response
from aftersales.portal.account import contact_initial
from aftersales.portal.case_forms import ApplyForm, LookupForm, MessageForm
from aftersales.portal.case_visit import visit_context
from aftersales.portal.throttle import BOOKINGS, throttle
from aftersales.repairs.lookup import case_found
from aftersales.repairs.models import Case, Kind
from aftersales.repairs.numbers import display
from aftersales.repairs.selectors import customer_timeline
from aftersales.repairs.services import Intake, case_book
from aftersales.repairs.status import CLOSED, Status, status_label

SESSION_KEY = "portal_cases"
REPORT_READY = {Status.READY, Status.SHIPPED, Status.COLLECTED, Status.IN_STORAGE, Status.DISPOSAL_REVIEW}


def remember(request, number: str) -> None:
    numbers = [n for n in request.session.get(SESSION_KEY, []) if n != number]
    request.session[SESSION_KEY] = (numbers + [number])[-10:]


def has_opened(request, case: Case) -> bool:
    """Whether this visitor opened the case (number and contact) or is the customer who booked it."""
    return (case.number in request.session.get(SESSION_KEY, [])
            or (request.user.is_authenticated and case.customer_id == request.user.pk))


def opened_case(request, number: str) -> Case:
    """The case, if this visitor has opened it; 404 otherwise (never says whether it exists)."""
    case = Case.objects.select_related("centre").filter(number=number).first()
    if case is None or not has_opened(request, case):
        raise Http404
    return case


@require_http_methods(["GET", "POST"])
def track(request):
    language = get_language()
    form = LookupForm(request.POST or None)
    status, error = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            rate_limit_hit(scope="case-lookup", client=client_address(request),
                           limit=settings.CASE_LOOKUPS_PER_MINUTE)
            case = case_found(number=form.cleaned_data["number"], contact=form.cleaned_data["contact"])
        except AppError as exc:
            form.add_app_error(exc, language)
            status, error = exc.status, exc
        else:
            remember(request, case.number)
            return redirect("portal:case", number=case.number)
    return with_retry_after(render(request, "portal/track.html", {"form": form}, status=status), error)


def case_page(request, number: str, message_form=None):
    case = opened_case(request, number)
    language = get_language()
    quotation = case.quotations.filter(status__in=["sent", "answered"]).order_by("-sent_at").first()
    token = None
    if quotation is not None and quotation.status == "sent":
        from aftersales.billing.links import quotation_token

        token = quotation_token(quotation)
    return render(request, "portal/case.html", {
        "case": case, "number": display(case.number), "status": status_label(case.status, language),
        "events": customer_timeline(case), "symptoms": case.symptoms.select_related("finding"),
        "quotation": quotation, "token": token, "report": case.status in REPORT_READY,
        "closed": case.status in CLOSED, "message_form": message_form or MessageForm(), "charges": case.charges.all(),
        "zh": language.startswith("zh"), **visit_context(case, language),
    })


def case_report(request, number: str):
    case = opened_case(request, number)
    if case.status not in REPORT_READY:
        raise Http404
    from aftersales.repairs.report import report_pdf

    language = request.GET.get("lang") or get_language()
    data = report_pdf(case, language)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="repair-report-{case.number}.pdf"'
    return response


def case_evidence(request, number: str, public_id):
    """A file the customer may see (their own, and the centre's customer-visible ones)."""
    case = opened_case(request, number)
    item = case.evidence.filter(public_id=public_id, customer_visible=True).first()
    if item is None:
        raise Http404
    return evidence_response(item)


@transaction.atomic
def _book_with_photos(request, intake: Intake) -> Case:
    """Book the case and keep the customer's own photos beside it (seed 000); a refused photo
    refuses the whole application, so nothing is half-written: no case, no row, no file (the
    files already stored go when the transaction rolls back)."""
    from aftersales.repairs.evidence import case_evidence_add

    now = clock.now()
    photos = request.FILES.getlist("photos")
    uploads_within_limit(photos)
    case = case_book(intake=intake, actor=request.user, now=now)
    for upload in photos:
        case_evidence_add(case=case, kind="customer", upload=upload, actor=request.user, now=now, media=PHOTOS)
    if "proof" in request.FILES:
        case_evidence_add(case=case, kind="proof", upload=request.FILES["proof"], actor=request.user, now=now,
                          description="Proof of purchase from the customer", media=PROOF)
    return case


PHOTOS, PROOF = frozenset({IMAGE}), frozenset({IMAGE, DOCUMENT})  # what the two file fields take


@require_http_methods(["GET", "POST"])
def apply(request):
    language = get_language()
    form = ApplyForm(request.POST or None, request.FILES or None, language=language,
                     initial={"serial": request.GET.get("serial", "").strip()[:40], **contact_initial(request.user)})
    status, error = (400 if request.method == "POST" else 200), None  # a refused form unless it books
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        intake = Intake(centre=data["centre"], kind=data["kind"], customer_name=data["customer_name"],
                        email=data["email"], phone=data["phone"], language=language, serial=data["serial"],
                        purchased_on=data["purchased_on"], operating_system=data["operating_system"],
                        bios_version=data["bios_version"], symptoms=data["symptoms"].splitlines(),
                        preference=data["preference"], ack_data_loss=data["ack_data_loss"],
                        return_address=data["return_address"] if data["kind"] == Kind.MAIL_IN else "",
                        ack_passwords=data["ack_passwords"], ack_peripherals=data["ack_peripherals"])
        try:
            throttle(request, BOOKINGS)
            case = _book_with_photos(request, intake)
        except AppError as exc:
            form.add_app_error(exc, language)
            status, error = (exc.status if exc.status != 404 else 422), exc
        else:
            remember(request, case.number)
            return redirect("portal:case", number=case.number)
    return with_retry_after(render(request, "portal/apply.html", {
        "form": form, "max_files": settings.EVIDENCE_MAX_FILES_PER_FIELD}, status=status), error)


# --- the quotation, reached by the signed link in the e-mail -------------------------------------
def _quotation(request, token: str):
    """The quotation the link opens, or the plain page that says why it opens nothing now."""
    from aftersales.billing.links import LinkClosed, quotation_from_token

    try:
        return quotation_from_token(token, now=clock.now()), None
    except LinkClosed as exc:
        return None, render(request, "portal/quotation_closed.html", {"message": exc.message(get_language())},
                            status=exc.status)
    except AppError:
        raise Http404


def _after_answer(request, q):
    """The case page for a visitor who has it open; otherwise back to the link, which now says
    the quotation was answered (the link alone never opens the case)."""
    if has_opened(request, q.case):
        return redirect("portal:case", number=q.case.number)
    return redirect(request.path)


@require_http_methods(["GET", "POST"])
def quotation(request, token: str):
    from aftersales.repairs.quotations import quotation_answer

    q, closed = _quotation(request, token)
    if closed:
        return closed
    answers, error = {}, None
    if request.method == "POST":
        answers = {line.position: request.POST.get(f"line-{line.position}", "")
                   for line in q.lines.all() if not line.covered}
        try:
            quotation_answer(token=token, answers=answers, now=clock.now())
        except AppError as exc:
            error = exc
        else:
            return _after_answer(request, q)
    return _quotation_page(request, q, token, answers, error)


def _quotation_page(request, q, token: str, answers: dict, error: AppError | None, unclear: str = ""):
    language = get_language()
    lines = list(q.lines.all())
    by_position = {line.position: line for line in lines}
    for line in lines:  # the line each one needs, named beside it in the reader's language
        line.needed = by_position.get(line.needs)
        if line.needed is not None:
            text = line.needed.text_zh if language.startswith("zh") else line.needed.text_en
            line.needed_text = text.strip().rstrip(".。")
    return with_retry_after(render(request, "portal/quotation.html", {
        "q": q, "case": q.case, "number": display(q.case.number), "lines": lines, "answers": answers,
        "error": error.message(language) if error else None, "error_code": error.code if error else None,
        "zh": language.startswith("zh"), "photos": _damage_photos(q), "token": token,
        "paid_total": sum((line.price for line in lines if not line.covered), 0), "unclear": unclear,
    }, status=error.status if error else 200), error)


def _damage_photos(q):
    return q.case.evidence.filter(kind="damage", customer_visible=True).order_by("uploaded_at", "id")


def quotation_photo(request, token: str, public_id):
    """A damage photo shown with the quotation, reached through the same link."""
    q, closed = _quotation(request, token)
    if closed:
        raise Http404
    item = _damage_photos(q).filter(public_id=public_id).first()
    if item is None:
        raise Http404
    return evidence_response(item)
