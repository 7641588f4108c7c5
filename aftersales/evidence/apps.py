from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "aftersales.evidence"
    label = "evidence"

    def ready(self):
        from aftersales.evidence.pdf import limit_inflation

        limit_inflation()  # process-wide, so set once, before any request reads a PDF
