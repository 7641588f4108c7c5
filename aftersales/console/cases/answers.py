"""Taking down the customer's answer to a quotation when they give it by phone or at the counter:
one choice per paid line, how they answered, and the member of staff who took it down (the
timeline shows all three). The answer then moves the case exactly as an answer through the
customer's own link does."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts.guards import action_required
from aftersales.console.cases.forms import AnswerForm
from aftersales.console.cases.perform import perform
from aftersales.console.cases.scope import case_in_scope
from aftersales.repairs.quotations import quotation_answer_record


@require_POST
@action_required("quote.record-answer")
def quotation_answer_taken(request, number: str, pk: int):
    case, key = case_in_scope(request.user, number), f"answer-{pk}"
    quotation = case.quotations.filter(pk=pk).first()
    if quotation is None:
        raise Http404(pk)
    form = AnswerForm(request.POST, prefix=key, language=get_language(), lines=list(quotation.lines.all()))

    def run(c, now):
        quotation_answer_record(quotation_id=pk, answers=form.answers(), channel=c["channel"], actor=request.user,
                                now=now)

    return perform(request, case, key, form, run, anchor="quotation", done=_("The customer's answer is recorded."))
