from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "aftersales.payments"
    label = "payments"
    verbose_name = "Payments"
