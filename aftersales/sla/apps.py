from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "aftersales.sla"
    label = "sla"
    verbose_name = _("service levels")

    def ready(self):
        from aftersales.sla import tasks  # noqa: F401  (the clock check's task fills its slot)
