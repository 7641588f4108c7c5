from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from aftersales.accounts.models import User


@admin.register(User)
class AftersalesUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("Aftersales", {"fields": ("phone", "preferred_language", "service_centre")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "service_centre")
