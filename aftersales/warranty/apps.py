from django.apps import AppConfig


class WarrantyConfig(AppConfig):
    name = "aftersales.warranty"
    label = "warranty"

    def ready(self):
        from aftersales.warranty import tasks  # noqa: F401  (the registry import's task fills its slot)
