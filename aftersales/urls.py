from django.contrib import admin
from django.urls import include, path

from aftersales.api.api import api_urls
from aftersales.core.views import healthz

# The Django admin stays for superusers, under the product's name; staff work in the console.
admin.site.site_header = admin.site.site_title = "Aftersales"
admin.site.site_url = "/console/"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api_urls()),
    path("console/", include("aftersales.console.urls")),
    path("evidence/", include("aftersales.evidence.urls")),
    path("self-repair/", include("aftersales.csr.urls")),
    path("", include("aftersales.portal.urls")),
]
