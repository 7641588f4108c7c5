"""The dispute form's addresses in the customer portal (added to ``portal.urls``, so named ``portal:…``)."""

from django.urls import path

from aftersales.disputes import portal_views

urls = [
    path("dispute/", portal_views.file_dispute, name="dispute"),
    path("dispute/filed/", portal_views.dispute_filed, name="dispute-filed"),
]
