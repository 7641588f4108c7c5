from django.apps import AppConfig


class RepairsConfig(AppConfig):
    name = "aftersales.repairs"
    label = "repairs"

    def ready(self):
        from aftersales.notifications.services import REPAIR_REPORT
        from aftersales.repairs import tasks  # noqa: F401  (the storage timer's task fills its slot)
        from aftersales.repairs.report import report_pdf

        REPAIR_REPORT.register(report_pdf)  # messages that close the work on a case carry the report
