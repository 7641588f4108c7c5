"""The audit console's addresses (added to ``console.urls``, so named ``console:…``)."""

from django.urls import path

from aftersales.audit import console_views as v

urls = [
    path("audit/", v.audit, name="audit"),
    path("audit/start/", v.audit_start, name="audit-start"),
    path("audit/runs/<int:pk>/", v.audit_run_status, name="audit-run-status"),
    path("audit/findings/<int:pk>/", v.finding, name="audit-finding"),
    path("audit/findings/<int:pk>/approve/", v.finding_approval, name="audit-finding-approve"),
    path("audit/findings/<int:pk>/reject/", v.finding_rejection, name="audit-finding-reject"),
]
