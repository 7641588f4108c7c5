from django.apps import AppConfig


class CsrConfig(AppConfig):
    name = "aftersales.csr"
    label = "csr"
    verbose_name = "Customer self-repair"

    def ready(self):
        from aftersales.csr import tasks  # noqa: F401  (registers the programme's timers)
