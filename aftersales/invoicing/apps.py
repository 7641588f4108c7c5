from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "aftersales.invoicing"
    label = "invoicing"
    verbose_name = "Invoicing"
