"""The staff console: a dashboard of the tools each role may use, and the policy packs.

Every page names its action from ``roles.ACTIONS`` (``action_required``); the device pages live
in ``console.devices``.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.guards import action_required
from aftersales.accounts.roles import Role, roles_of, user_can
from aftersales.centres.models import ServiceCentre
from aftersales.console.worklists import worklists
from aftersales.core import clock
from aftersales.warranty.models import PolicyPack
from aftersales.warranty.presentation import is_zh, label
from aftersales.policy.vocabulary import PRODUCT_LINES, REGIONS

TOOLS = [  # action, url name, title, what it is for
    ("case.view", "console:cases", _("Repair cases"),
     _("The open cases of your service centre, oldest first, with the late ones marked; each "
       "case with its faults, findings, quotations, repair and return.")),
    ("dashboard.view", "console:charts", _("Service dashboard"),
     _("Charts of the cases, their turnaround and the damage decisions at the centres you oversee, each with its "
       "table and a CSV file.")),
    ("case.intake", "console:case-new", _("Book a repair at the counter"),
     _("Take in a device with the customer: contact details, the faults in their words and the "
       "acknowledgements. The case number is issued at once.")),
    ("devices.view", "console:devices", _("Look up a device"),
     _("Registry facts for a serial number, and a warranty decision with the inspection "
       "findings.")),
    ("packs.view", "console:packs", _("Policy packs"),
     _("Which warranty terms are loaded, their versions, effective dates, product lines and "
       "regions.")),
    ("prices.view", "console:prices", _("Parts price list"),
     _("The national list prices of parts, each from the day it applies; administrators add a "
       "price and end one, never change it.")),
    ("prices.view", "console:values", _("Fair market values"),
     _("What each model is worth, from the day it applies: no whole-unit replacement above it, and "
       "no total above it without a verifier.")),
    ("packs.load", "console:admin-pack-load", _("Load a policy pack"),
     _("Upload a new version of a policy pack. It is checked completely before anything is "
       "stored.")),
    ("devices.import", "console:admin-devices-import", _("Import the serial registry"),
     _("Upload a CSV of devices. Every bad row is listed, and nothing is imported until all are "
       "right.")),
    ("admin.view", "console:admin", _("Administration"),
     _("Policy packs, the serial registry, prices, service centres and the people who sign in.")),
]


@action_required("console.view")
def dashboard(request):
    user = request.user
    tools = [{"title": title, "text": text, "url": reverse(url)}
             for action, url, title, text in TOOLS if user_can(user, action)]
    roles = [Role(name).label for name in sorted(roles_of(user)) if name in Role.values]
    stats = {"packs": PolicyPack.objects.count(), "centres": ServiceCentre.objects.count()}
    return render(request, "console/dashboard.html",
                  {"tools": tools, "roles": roles, "stats": stats,
                   "worklists": worklists(user, get_language())})


def pack_status(row: PolicyPack, newest_in_force: dict[str, int], today) -> str:
    if row.effective_from > today:
        return "scheduled"
    if newest_in_force.get(row.pack_id) == row.pk:
        return "in-force"
    return "superseded" if row.effective_to is None or row.effective_to >= today else "expired"


@action_required("packs.view")
def pack_list(request):
    language = get_language()
    today = clock.now().date()
    rows = list(PolicyPack.objects.select_related("loaded_by")
                .order_by("pack_id", "-effective_from"))
    newest_in_force: dict[str, int] = {}
    for row in rows:  # newest first within a pack
        running = row.effective_from <= today and (row.effective_to is None
                                                   or row.effective_to >= today)
        if running and row.pack_id not in newest_in_force:
            newest_in_force[row.pack_id] = row.pk
    packs = [{
        "row": row,
        "title": row.title_zh if is_zh(language) else row.title_en,
        "lines": [label(PRODUCT_LINES, ln, language)
                  for ln in row.product_lines if ln in PRODUCT_LINES],
        "regions": [label(REGIONS, r, language) for r in row.regions if r in REGIONS],
        "status": pack_status(row, newest_in_force, today),
    } for row in rows]
    return render(request, "console/packs.html",
                  {"packs": packs, "can_load": user_can(request.user, "packs.load")})
