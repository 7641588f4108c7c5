"""Posts of the quotation section: draft a quotation line by line, verify one (a second person,
never its author), and send a ready one to the customer.

The draft form has a row per line; empty rows are skipped, and the service's refusals, which
name a line by its place among the lines sent (``lines[2].labour``), are shown on that row.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts.guards import action_required
from aftersales.console.cases import forms as f
from aftersales.console.cases.page import render_case
from aftersales.console.cases.perform import case_url, perform, refusal_status
from aftersales.console.cases.scope import case_in_scope
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.repairs.quotations import quotation_draft, quotation_send, quotation_verify

LINE_FIELD = re.compile(r"^lines\[(\d+)\](?:\.(\w+))?$")
QUOTATION_FIELDS = {"explanation-missing": "explanation", "component-first": "unit_infeasible_reason"}


def show_refusal(exc: AppError, form, rows: list) -> None:
    """Put the refusal on the row it names (``rows`` are the non-empty line forms, in order)."""
    match = LINE_FIELD.match(exc.field or "")
    if exc.code in QUOTATION_FIELDS:
        form.add_error(QUOTATION_FIELDS[exc.code], ValidationError(exc.message(form.language), code=exc.code))
    elif match and 0 < int(match.group(1)) <= len(rows):
        rows[int(match.group(1)) - 1].refuse(AppError(exc.code, exc.en, exc.zh, field=match.group(2)))
    else:
        form.refuse(exc)


def _position(row, rows: list, every: list) -> int | None:
    """The line a row needs, by its position among the non-empty rows sent (the form numbers every
    row, empty ones too); a row that needs an empty row is refused on that row."""
    wanted = row.cleaned_data["needs"]
    if wanted is None:
        return None
    if not 1 <= wanted <= len(every) or every[wanted - 1].is_blank():
        n = rows.index(row) + 1
        raise AppError("needs-unknown-line", f"Line {wanted} is empty: choose a line with work on it.",
                       f"第 {wanted} 行是空的：请选择有内容的行。", field=f"lines[{n}].needs")
    return rows.index(every[wanted - 1]) + 1


@require_POST
@action_required("quote.author")
def quotation_new(request, number: str):
    case, language = case_in_scope(request.user, number), get_language()
    form = f.QuotationForm(request.POST, prefix="quote", language=language)
    formset = f.LineFormSet(request.POST, prefix="line", language=language)
    status = 422
    if form.is_valid() and formset.is_valid():
        rows = [row for row in formset if not row.is_blank()]
        try:
            lines = [row.line(needs=_position(row, rows, list(formset))) for row in rows]
            quotation_draft(number=case.number, lines=lines, author=request.user,
                            now=clock.now(), explanation=form.cleaned_data["explanation"],
                            unit_infeasible_reason=form.cleaned_data["unit_infeasible_reason"])
        except AppError as exc:
            show_refusal(exc, form, rows)
            status = refusal_status(request, exc)
        else:
            messages.success(request, _("Quotation drafted."))
            return redirect(case_url(case, "quotation"))
    return render_case(request, case, bound={"quote": (form, formset)}, status=status)


def _quotation_of(case, pk: int) -> None:
    if not case.quotations.filter(pk=pk).exists():
        raise Http404(pk)


@require_POST
@action_required("quote.verify")
def quotation_check(request, number: str, pk: int):
    case, key = case_in_scope(request.user, number), f"verify-{pk}"
    _quotation_of(case, pk)
    form = f.VerifyForm(request.POST, prefix=key, language=get_language())

    def run(c, now):
        quotation_verify(quotation_id=pk, approve=c["verdict"] == "approve", note=c["note"], verifier=request.user,
                         now=now)

    return perform(request, case, key, form, run, anchor="quotation", done=_("Verification saved."))


@require_POST
@action_required("quote.author")
def quotation_out(request, number: str, pk: int):
    case, key = case_in_scope(request.user, number), f"send-{pk}"
    _quotation_of(case, pk)
    form = f.EmptyForm(request.POST, prefix=key, language=get_language())

    def run(c, now):
        quotation_send(quotation_id=pk, actor=request.user, now=now)

    return perform(request, case, key, form, run, anchor="quotation",
                   done=_("Quotation sent; the customer answers each paid line."))
