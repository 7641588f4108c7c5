"""Administration in the console, where staff work: an overview of every administrator's tool,
loading a new policy-pack version and importing the serial registry. Both uploads go through the
same services as the command line (``warranty.packs.pack_load``, ``warranty.registry.
devices_import_csv``): the whole file is checked before anything is stored, and what is wrong is
said in the reader's language, row by row for the registry. A registry file can hold millions of
rows, so it is imported by the worker (``warranty.registry_imports``); this page and the
overview show how far the latest import has come, polled until it ends. The price list, the fair market
values and the policy packs have their own pages (``console.prices``, ``console.views``);
service centres and people are in ``console.people``."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.guards import action_required
from aftersales.accounts.roles import user_can
from aftersales.console.import_status import import_shown
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.warranty.admin import UploadForm
from aftersales.warranty.packs import pack_load, pack_text_from_bytes
from aftersales.warranty.models import RegistryImport
from aftersales.warranty.presentation import is_zh
from aftersales.warranty.registry_imports import registry_import_start

SECTIONS = [  # action, url name, title, what it is for
    ("packs.view", "console:packs", _("Policy packs"),
     _("The warranty terms loaded, with their versions and effective dates.")),
    ("packs.load", "console:admin-pack-load", _("Load a policy pack"),
     _("A new version of a pack, checked completely before it is stored.")),
    ("devices.import", "console:admin-devices-import", _("Import the serial registry"),
     _("A CSV of devices, imported in the background: every bad row is listed, and nothing is imported "
       "until all are right.")),
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
    latest = RegistryImport.objects.first() if user_can(request.user, "devices.import") else None
    return render(request, "console/admin/overview.html", {
        "sections": sections, "django_admin": request.user.is_superuser, "run": import_shown(latest, get_language())})


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
    """The upload starts an import in the background and comes back to this page, whose status
    line follows the latest import until it ends (``devices_import_status``)."""
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()), extension=".csv")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        registry_import_start(file_name=upload.name, data=upload.read(), user=request.user, now=clock.now())
        return redirect("console:admin-devices-import")
    return render(request, "console/admin/devices_import.html", {
        "form": form, "run": import_shown(RegistryImport.objects.first(), get_language()),
    }, status=422 if form.errors else 200)


@action_required("devices.import")
def devices_import_status(request, pk: int):
    """The status line of one import, polled by the page while it runs; 286 tells htmx to stop."""
    run = get_object_or_404(RegistryImport, pk=pk)
    return render(request, "console/admin/_import_status.html", {"run": import_shown(run, get_language())},
                  status=286 if run.finished else 200)
