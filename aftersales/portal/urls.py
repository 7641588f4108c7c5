from django.urls import path

from aftersales.portal import case_messages, cases, views, visits

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("warranty/", views.warranty_check, name="warranty"),
    path("repair/apply/", cases.apply, name="apply"),
    path("track/", cases.track, name="track"),
    path("track/<str:number>/", cases.case_page, name="case"),
    path("track/<str:number>/message/", case_messages.case_message, name="case-message"),
    path("track/<str:number>/visit/", visits.case_visit, name="case-visit"),
    path("track/<str:number>/visit/cancel/", visits.case_visit_cancel, name="case-visit-cancel"),
    path("track/<str:number>/report.pdf", cases.case_report, name="case-report"),
    path("track/<str:number>/photos/<uuid:public_id>/", cases.case_evidence, name="case-evidence"),
    path("q/<str:token>/", cases.quotation, name="quotation"),
    path("q/<str:token>/photos/<uuid:public_id>/", cases.quotation_photo, name="quotation-photo"),
    path("q/<str:token>/unclear/", cases.quotation_unclear, name="quotation-unclear"),
]
