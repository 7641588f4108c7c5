from django.urls import path

from aftersales.disputes.portal_urls import urls as dispute_urls
from aftersales.portal import (account, account_phone, case_documents, case_messages, cases, quotation_questions,
                               views, visits)

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
    path("track/<str:number>/documents/<str:document>.pdf", case_documents.case_document, name="case-document"),
    path("track/<str:number>/photos/<uuid:public_id>/", cases.case_evidence, name="case-evidence"),
    path("account/sign-in/", account.sign_in, name="sign-in"),
    path("account/sign-in/link/", account.sign_in_link_request, name="sign-in-link-request"),
    path("account/link/<str:token>/", account.sign_in_link, name="sign-in-link"),
    path("account/sign-out/", account.sign_out, name="sign-out"),
    path("account/cases/", account.my_cases, name="my-cases"),
    path("account/devices/", account.my_devices, name="my-devices"),
    path("account/password/", account.my_password, name="my-password"),
    path("account/phone/", account_phone.my_phone, name="my-phone"),
    path("q/<str:token>/", cases.quotation, name="quotation"),
    path("q/<str:token>/photos/<uuid:public_id>/", cases.quotation_photo, name="quotation-photo"),
    path("q/<str:token>/unclear/", quotation_questions.quotation_unclear, name="quotation-unclear"),
]
urlpatterns += dispute_urls  # filing a dispute with executive care
