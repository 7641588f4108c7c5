from django.urls import path

from aftersales.evidence import views

app_name = "evidence"
urlpatterns = [
    path("<uuid:public_id>/", views.evidence_file, name="file"),
]
