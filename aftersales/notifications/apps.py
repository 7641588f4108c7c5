from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "aftersales.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from aftersales.notifications import tasks  # noqa: F401  (the sending task fills its slot)
