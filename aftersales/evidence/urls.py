from django.urls import path

from aftersales.evidence import views

app_name = "evidence"
urlpatterns = [
    path("<int:pk>/", views.evidence_file, name="file"),
]
