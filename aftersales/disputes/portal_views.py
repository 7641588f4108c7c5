"""The customer's dispute form (``/dispute/``) and the page that confirms it was filed.

Anyone may file one. Opened from a case page the customer has open (``?case=``), or by a signed-in
customer, the form starts filled in with what we know (the case number, serial, name, e-mail);
the customer can change any of it. A refused form comes back as it was typed with every problem
listed at once; files are never kept from a refused form (``includes/files_not_kept.html``).
Posts are limited per network like the other forms that send an e-mail (``portal.throttle``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.core.ratelimit import with_retry_after
from aftersales.disputes.forms import DisputeForm
from aftersales.disputes.models import Dispute
from aftersales.disputes.due import answer_due_day
from aftersales.disputes.services import Filing, dispute_file
from aftersales.portal.account import contact_initial
from aftersales.portal.cases import has_opened
from aftersales.portal.throttle import Budget, throttle
from aftersales.repairs.models import Case

DISPUTES = Budget("dispute", "CUSTOMER_MESSAGES_PER_MINUTE",
                  "Too many disputes filed from your network in the last minute.",
                  "您所在网络在一分钟内提交的争议过多。")
SESSION_KEY = "portal_dispute_filed"


def _initial(request) -> dict:
    initial = {k: v for k, v in contact_initial(request.user).items() if k in ("customer_name", "email")}
    case = Case.objects.filter(number=(request.GET.get("case") or "")[:16]).first()
    if case is not None and has_opened(request, case):
        initial.update(case_number=case.display_number, serial=case.serial, customer_name=case.customer_name,
                       email=case.email or initial.get("email", ""), country=case.centre.region)
    return initial


@require_http_methods(["GET", "POST"])
def file_dispute(request):
    language = get_language()
    form = DisputeForm(request.POST or None, request.FILES or None, language=language, initial=_initial(request))
    status, error = (400 if request.method == "POST" else 200), None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        filing = Filing(customer_name=data["customer_name"], case_number=data["case_number"], serial=data["serial"],
                        country=data["country"], what_happened=data["what_happened"], email=data["email"],
                        feedback=data["feedback"], language=language)
        try:
            throttle(request, DISPUTES)
            dispute = dispute_file(filing=filing, files=data["files"], actor=request.user, now=clock.now())
        except AppError as exc:
            form.add_app_error(exc, language)
            status, error = (exc.status if exc.status != 404 else 422), exc
        else:
            request.session[SESSION_KEY] = dispute.number
            return redirect("portal:dispute-filed")
    return with_retry_after(render(request, "disputes/file.html", {
        "form": form, "max_files": settings.EVIDENCE_MAX_FILES_PER_FIELD}, status=status), error)


@require_GET
def dispute_filed(request):
    """The dispute this browser just filed: its number and the day the answer is due."""
    dispute = Dispute.objects.filter(number=request.session.get(SESSION_KEY) or "").first()
    if dispute is None:
        raise Http404
    return render(request, "disputes/filed.html", {"dispute": dispute, "due": answer_due_day(dispute, clock.now())})
