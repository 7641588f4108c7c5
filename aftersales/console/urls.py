from django.contrib.auth import views as auth_views
from django.urls import path

from aftersales.audit.console_urls import urls as audit_urls
from aftersales.console import administration, devices, people, prices, views
from aftersales.console.charts import dashboard as charts
from aftersales.console.cases import (answers, conversation, diagnosis, handover, intake, moves, page, papers, queue,
                                      quoting, search)
from aftersales.console.cases import documents, payments
from aftersales.console.visits.urls import urls as visit_urls
from aftersales.disputes.console_urls import urls as dispute_urls

app_name = "console"
CASE = "cases/<str:number>/"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="console/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:home"), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("dashboard/", charts, name="charts"),  # the charts of service, for those who oversee it
    path("devices/", devices.device_list, name="devices"),
    path("devices/<str:serial>/", devices.device_detail, name="device"),
    path("packs/", views.pack_list, name="packs"),
    # the parts price list and the fair market values: read by those who quote, verify and audit
    path("prices/", prices.part_prices, name="prices"),
    path("prices/new/", prices.part_price_new, name="price-new"),
    path("prices/<int:pk>/end/", prices.part_price_end, name="price-end"),
    path("values/", prices.fair_values, name="values"),
    path("values/new/", prices.fair_value_new, name="value-new"),
    path("values/<int:pk>/end/", prices.fair_value_end, name="value-end"),
    # administration: the overview, the uploads, service centres and people
    path("admin/", administration.overview, name="admin"),
    path("admin/packs/load/", administration.pack_upload, name="admin-pack-load"),
    path("admin/devices/import/", administration.devices_import, name="admin-devices-import"),
    path("admin/devices/import/<int:pk>/", administration.devices_import_status, name="admin-devices-import-status"),
    path("admin/centres/", people.centres, name="admin-centres"),
    path("admin/people/", people.people, name="admin-people"),
    path("admin/people/new/", people.person_new, name="admin-person-new"),
    path("admin/people/<int:pk>/", people.person, name="admin-person"),
    # repair cases: the queue, intake at the counter, one case and the posts of its sections
    path("cases/", queue.queue, name="cases"),
    path("cases/new/", intake.intake, name="case-new"),
    path("cases/search/", search.search, name="case-search"),
    path(CASE, page.case_detail, name="case"),
    path(CASE + "report.pdf", page.case_report, name="case-report"),
    path(CASE + "job-sheet.pdf", papers.job_sheet, name="case-job-sheet"),
    path(CASE + "label.pdf", papers.device_label, name="case-label"),
    path(CASE + "documents/<str:document>.pdf", documents.case_document, name="case-document"),
    path(CASE + "move/", moves.case_move_view, name="case-move"),
    path(CASE + "faults/<int:position>/finding/", diagnosis.finding, name="case-finding"),
    path(CASE + "faults/<int:position>/qa/", diagnosis.qa_run, name="case-qa"),
    path(CASE + "tests/", diagnosis.test_run, name="case-test"),
    path(CASE + "warranty/", diagnosis.warranty_decide, name="case-warranty"),
    path(CASE + "damage/", diagnosis.damage_proposal, name="case-damage-propose"),
    path(CASE + "damage/<int:pk>/decide/", diagnosis.damage_decision, name="case-damage-decide"),
    path(CASE + "evidence/", diagnosis.evidence_upload, name="case-evidence"),
    path(CASE + "quotations/", quoting.quotation_new, name="case-quotation"),
    path(CASE + "quotations/<int:pk>/verify/", quoting.quotation_check, name="case-quotation-verify"),
    path(CASE + "quotations/<int:pk>/send/", quoting.quotation_out, name="case-quotation-send"),
    path(CASE + "quotations/<int:pk>/answer/", answers.quotation_answer_taken, name="case-quotation-answer"),
    path(CASE + "parts/", handover.fit, name="case-fit"),
    path(CASE + "parts/<int:pk>/returned/", handover.back_to_stock, name="case-part-returned"),
    path(CASE + "follow-ups/<int:pk>/resolve/", handover.follow_up_answer, name="case-follow-up"),
    path(CASE + "messages/", conversation.message_new, name="case-message"),
    path(CASE + "return/ship/", handover.ship, name="case-ship"),
    path(CASE + "return/delivered/", handover.delivered, name="case-delivered"),
    path(CASE + "return/collect/", handover.collect, name="case-collect"),
    path(CASE + "return/advance/", handover.advance, name="case-advance"),
    path(CASE + "payments/", payments.payment, name="case-payment"),
]
urlpatterns += visit_urls  # the day board and the visit pages
urlpatterns += dispute_urls  # executive care: the dispute queue and the dispute pages
urlpatterns += audit_urls  # auditors: the overcharge audit, its findings and their review
