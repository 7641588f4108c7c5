from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "aftersales.centres"
    label = "centres"
