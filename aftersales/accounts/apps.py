from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aftersales.accounts"
    label = "accounts"

    def ready(self):
        from django.db.models.signals import post_migrate

        from aftersales.accounts.roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
