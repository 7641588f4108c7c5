from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "aftersales.audit"
    label = "audit"
    verbose_name = "Overcharge audit"

    def ready(self):
        from aftersales.audit import tasks  # noqa: F401  (the audit run's task fills its slot)
