"""The dispute form's addresses in the customer portal (included by ``portal.urls``)."""

from django.urls import path

from aftersales.disputes import portal_views

urlpatterns = [
    path("", portal_views.file_dispute, name="dispute"),
    path("filed/", portal_views.dispute_filed, name="dispute-filed"),
]
