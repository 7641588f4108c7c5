from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "aftersales.ledger"
    label = "ledger"
    verbose_name = "Ledger"
