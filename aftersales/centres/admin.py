from django.contrib import admin

from aftersales.centres.models import ServiceCentre


@admin.register(ServiceCentre)
class ServiceCentreAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_zh", "region", "city", "requires_parcel_media")
    list_filter = ("region",)
    search_fields = ("code", "name_en", "name_zh", "city")
