from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "aftersales.api"
    label = "api"
