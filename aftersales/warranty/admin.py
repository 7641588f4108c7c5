"""Django admin for policy packs and the serial registry.

Both are read-only here: a pack changes only by loading a new version (``pack_load``), and the
registry only by a CSV import (``devices_import_csv``), so every change goes through the checks
that keep decisions traceable. Who may see and load is ``roles.ACTIONS``, not Django's model
permissions: ``packs.view`` / ``packs.load`` and ``devices.view`` / ``devices.import``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.roles import user_can
from aftersales.core.errors import AppError
from aftersales.warranty.models import Device, PolicyPack
from aftersales.warranty.packs import pack_load, pack_name, pack_text_from_bytes
from aftersales.warranty.registry import devices_import_csv


class UploadForm(forms.Form):
    """One file of the expected kind within the upload limit (the admin's and the console's pack and
    registry uploads)."""

    file = forms.FileField(label=_("File"))

    def __init__(self, *args, extension: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.extension = extension
        self.fields["file"].widget.attrs["accept"] = extension

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than the %(limit)s MB allowed."),
                                        code="file-too-large", params={"limit": settings.MAX_UPLOAD_BYTES // 1_000_000})
        if not upload.name.lower().endswith(self.extension):
            raise forms.ValidationError(_("Choose a %(ext)s file."), code="wrong-file-type",
                                        params={"ext": self.extension})
        return upload


class ReadOnlyByAction(admin.ModelAdmin):
    view_action = ""

    def has_module_permission(self, request):
        return user_can(request.user, self.view_action)

    def has_view_permission(self, request, obj=None):
        return user_can(request.user, self.view_action)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def guarded_view(self, action, view):
        def guarded(request, *args, **kwargs):
            if not user_can(request.user, action):
                raise PermissionDenied(action)
            return view(request, *args, **kwargs)

        return self.admin_site.admin_view(guarded)

    def upload_page(self, request, *, title, template, form, status=200, **context):
        return TemplateResponse(request, template, {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": title,
            "form": form, "max_upload_bytes": settings.MAX_UPLOAD_BYTES, **context}, status=status)


@admin.register(PolicyPack)
class PolicyPackAdmin(ReadOnlyByAction):
    view_action = "packs.view"
    change_list_template = "admin/warranty/policypack/change_list.html"
    list_display = ("pack_id", "version", "effective_from", "effective_to", "lines", "region_list",
                    "loaded_at", "loaded_by")
    list_filter = ("pack_id",)
    fields = ("pack_id", "version", "title_en", "title_zh", "effective_from", "effective_to",
              "lines", "region_list", "sha256", "loaded_at", "loaded_by", "pack_file")
    readonly_fields = fields

    @admin.display(description=_("product lines"))
    def lines(self, obj):
        return ", ".join(obj.product_lines)

    @admin.display(description=_("regions"))
    def region_list(self, obj):
        return ", ".join(obj.regions)

    @admin.display(description=_("pack file"))
    def pack_file(self, obj):
        return format_html(
            '<pre style="white-space: pre-wrap; max-height: 40rem; overflow: auto">{}</pre>',
            obj.source_text)

    def get_urls(self):
        return [path("load/", self.guarded_view("packs.load", self.load_view),
                     name="warranty_policypack_load"),
                *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra = {"can_load": user_can(request.user, "packs.load"), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def load_view(self, request):
        form = UploadForm(request.POST or None, request.FILES or None, extension=".toml")
        error = None
        if request.method == "POST" and form.is_valid():
            try:
                text = pack_text_from_bytes(form.cleaned_data["file"].read())
                row = pack_load(text=text, user=request.user)
            except AppError as exc:
                error = exc
            else:
                self.message_user(
                    request, _("Loaded %(label)s, effective from %(day)s.")
                    % {"label": pack_name(row.label, zh=(get_language() or "").startswith("zh")),
                       "day": row.effective_from}, messages.SUCCESS)
                return redirect(reverse("admin:warranty_policypack_change", args=[row.pk]))
        return self.upload_page(
            request, title=_("Load a new policy-pack version"),
            template="admin/warranty/upload_pack.html", form=form, error=error,
            error_message=error.message(get_language()) if error else None,
            status=422 if error else 200)


@admin.register(Device)
class DeviceAdmin(ReadOnlyByAction):
    view_action = "devices.view"
    change_list_template = "admin/warranty/device/change_list.html"
    list_display = ("serial", "model", "product_line", "manufactured_on", "shipped_on", "sold_in")
    list_filter = ("product_line", "sold_in")
    search_fields = ("=serial",)
    show_full_result_count = False
    list_per_page = 50

    def get_urls(self):
        return [path("import/", self.guarded_view("devices.import", self.import_view),
                     name="warranty_device_import"),
                *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra = {"can_import": user_can(request.user, "devices.import"), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def import_view(self, request):
        form = UploadForm(request.POST or None, request.FILES or None, extension=".csv")
        result = error = None
        if request.method == "POST" and form.is_valid():
            try:
                result = devices_import_csv(data=form.cleaned_data["file"].read())
            except AppError as exc:
                error = exc
            else:
                if result.ok:
                    self.message_user(
                        request, _("Imported: %(created)s new devices, %(updated)s updated.")
                        % {"created": result.created, "updated": result.updated}, messages.SUCCESS)
                    return redirect(reverse("admin:warranty_device_changelist"))
        zh = (get_language() or "").startswith("zh")
        rows = [{"row": e.row, "field": e.field, "code": e.code, "message": e.zh if zh else e.en}
                for e in (result.errors if result else [])]
        return self.upload_page(
            request, title=_("Import the serial registry"),
            template="admin/warranty/import_devices.html", form=form, error=error,
            error_message=error.message(get_language()) if error else None,
            row_errors=rows, status=422 if error or rows else 200)
