"""The Django admin for the programme: administrators keep the list of excluded models; orders
and the carrier's scans are shown, never edited there (their steps go through ``csr.services``)."""

from django.contrib import admin

from aftersales.csr.models import CarrierScan, ExcludedModel, Order


@admin.register(ExcludedModel)
class ExcludedModelAdmin(admin.ModelAdmin):
    search_fields = ["model"]


class ShownOnly(admin.ModelAdmin):
    """Shown to administrators, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ShownOnly):
    list_display = ["number", "status", "part", "model", "return_due_on", "pack"]
    list_filter = ["status", "part", "country"]
    search_fields = ["number", "serial"]


@admin.register(CarrierScan)
class CarrierScanAdmin(ShownOnly):
    list_display = ["scanned_at", "tracking", "leg", "event", "order"]
    list_filter = ["leg", "event"]
    search_fields = ["tracking", "event_id", "order__number"]
