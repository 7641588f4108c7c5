from django.contrib.auth import views as auth_views
from django.urls import path

from aftersales.console import devices, views

app_name = "console"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="console/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:home"), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("devices/", devices.device_list, name="devices"),
    path("devices/<str:serial>/", devices.device_detail, name="device"),
    path("packs/", views.pack_list, name="packs"),
]
