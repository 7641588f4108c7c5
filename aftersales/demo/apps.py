from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying the product: centres, devices, one user per role, cases at each step."""

    name = "aftersales.demo"
    label = "demo"
