"""The executive-care console's addresses (added to ``console.urls``, so named ``console:…``)."""

from django.urls import path

from aftersales.disputes import console_views as v

DISPUTE = "disputes/<str:number>/"
urls = [
    path("disputes/", v.disputes, name="disputes"),
    path(DISPUTE, v.dispute, name="dispute"),
    path(DISPUTE + "files/<int:pk>/", v.dispute_document, name="dispute-document"),
    path(DISPUTE + "assign/", v.assign, name="dispute-assign"),
    path(DISPUTE + "notes/", v.note, name="dispute-note"),
    path(DISPUTE + "resolutions/<str:kind>/", v.resolve, name="dispute-resolve"),
    path(DISPUTE + "close/", v.close, name="dispute-close"),
    path(DISPUTE + "ask/", v.ask, name="dispute-ask"),
    path(DISPUTE + "answered/", v.answered, name="dispute-answered"),
]
