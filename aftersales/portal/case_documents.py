"""A case's invoice or credit note as a PDF, for the visitor who opened the case (its number with
the contact on file, or the account that booked it); another case's document, or a number the
case has none of, is not found."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from aftersales.invoicing.pdf import document_pdf
from aftersales.invoicing.selectors import case_document as document_of_case
from aftersales.portal.cases import opened_case


@require_GET
def case_document(request, number: str, document: str):
    found = document_of_case(opened_case(request, number), document)
    if found is None:
        raise Http404
    response = HttpResponse(document_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
