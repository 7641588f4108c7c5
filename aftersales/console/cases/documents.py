"""A case's invoice or credit note as a PDF in the customer's language, for the people who read
the case's centre and may read its invoices (``invoice.view``); a case outside their centres, or
a number the case has none of, is not found."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from aftersales.accounts.guards import action_required
from aftersales.console.cases.scope import case_in_scope
from aftersales.invoicing.pdf import document_pdf
from aftersales.invoicing.selectors import case_document as document_of_case


@require_GET
@action_required("invoice.view")
def case_document(request, number: str, document: str):
    found = document_of_case(case_in_scope(request.user, number), document)
    if found is None:
        raise Http404
    response = HttpResponse(document_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
