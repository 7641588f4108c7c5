from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "aftersales.disputes"
    label = "disputes"
    verbose_name = "Disputes"

    def ready(self):
        from aftersales.disputes import questions  # noqa: F401 (a customer's reply resumes the clocks)
