"""Administration in the console, where staff work: an overview of every administrator's tool,
loading a new policy-pack version and importing the serial registry. Both uploads go through the
same services as the command line (``warranty.packs.pack_load``, ``warranty.registry.
devices_import_csv``): the whole file is checked before anything is stored, and what is wrong is
said in the reader's language, row by row for the registry. The price list, the fair market
values and the policy packs have their own pages (``console.prices``, ``console.views``);
service centres and people are in ``console.people``."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.guards import action_required
from aftersales.accounts.roles import user_can
from aftersales.core.errors import AppError
from aftersales.warranty.admin import UploadForm
from aftersales.warranty.packs import pack_load, pack_text_from_bytes
from aftersales.warranty.presentation import is_zh
from aftersales.warranty.registry import devices_import_csv

SECTIONS = [  # action, url name, title, what it is for
    ("packs.view", "console:packs", _("Policy packs"),
     _("The warranty terms loaded, with their versions and effective dates.")),
    ("packs.load", "console:admin-pack-load", _("Load a policy pack"),
     _("A new version of a pack, checked completely before it is stored.")),
    ("devices.import", "console:admin-devices-import", _("Import the serial registry"),
     _("A CSV of devices: every bad row is listed, and nothing is imported until all are right.")),
    ("prices.view", "console:prices", _("Parts price list"), _("List prices of parts, each from the day it applies.")),
    ("prices.view", "console:values", _("Fair market values"), _("What each model is worth, from the day it applies.")),
    ("people.manage", "console:admin-centres", _("Service centres"), _("The centres, and a new one.")),
    ("people.manage", "console:admin-people", _("Staff and roles"),
     _("Who signs in, their roles and the service centres whose cases they work.")),
]


@action_required("admin.view")
def overview(request):
    sections = [{"title": title, "text": text, "url": reverse(url)}
                for action, url, title, text in SECTIONS if user_can(request.user, action)]
    return render(request, "console/admin/overview.html",
                  {"sections": sections, "django_admin": request.user.is_superuser})


@action_required("packs.load")
def pack_upload(request):
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()), extension=".toml")
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            row = pack_load(text=pack_text_from_bytes(form.cleaned_data["file"].read()), user=request.user)
        except AppError as exc:
            error = exc.message(get_language())
        else:
            title = row.title_zh if is_zh(get_language()) else row.title_en
            messages.success(request, _("Loaded %(title)s, version %(version)s, in force from %(day)s.")
                             % {"title": title, "version": row.version, "day": row.effective_from})
            return redirect("console:packs")
    return render(request, "console/admin/pack_upload.html", {"form": form, "error": error},
                  status=422 if error or form.errors else 200)


@action_required("devices.import")
def devices_import(request):
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()), extension=".csv")
    result = error = None
    if request.method == "POST" and form.is_valid():
        try:
            result = devices_import_csv(data=form.cleaned_data["file"].read())
        except AppError as exc:
            error = exc.message(get_language())
    zh = is_zh(get_language())
    rows = [{"row": e.row, "message": e.zh if zh else e.en} for e in (result.errors if result else [])]
    return render(request, "console/admin/devices_import.html", {
        "form": form, "error": error, "result": result if result and result.ok else None, "row_errors": rows,
    }, status=422 if error or rows or form.errors else 200)
