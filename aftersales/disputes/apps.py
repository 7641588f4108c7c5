from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "aftersales.disputes"
    label = "disputes"
    verbose_name = "Disputes"
