"""The Django admin for the programme: administrators keep the list of excluded models; orders
are shown, never edited there (their steps go through ``csr.services``)."""

from django.contrib import admin

from aftersales.csr.models import ExcludedModel, Order


@admin.register(ExcludedModel)
class ExcludedModelAdmin(admin.ModelAdmin):
    search_fields = ["model"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "status", "part", "model", "return_due_on"]
    list_filter = ["status", "part", "country"]
    search_fields = ["number", "serial"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
