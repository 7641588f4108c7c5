from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from aftersales.accounts.models import User


@admin.register(User)
class AftersalesUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("Aftersales", {"fields": ("phone", "preferred_language", "centres")}),
    )
    filter_horizontal = UserAdmin.filter_horizontal + ("centres",)
    list_display = ("username", "email", "first_name", "last_name", "is_staff")
    list_filter = UserAdmin.list_filter + ("centres",)
