"""Console pages of the parts price list and the fair market values.

Staff, verifiers and auditors read them (``prices.view``); administrators add a row and end one
(``prices.manage``). A row is never edited otherwise: a price change is the old row ended and a
new one added, so the list as it stood on any day stays readable (``billing.pricelist``).

Each list page carries its forms; a post calls one service and goes back to the list (post,
redirect, get), or shows the list again with the refused form as it was filled in.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.accounts.guards import action_required
from aftersales.accounts.roles import user_can
from aftersales.billing import pricelist, selectors
from aftersales.billing.models import FairMarketValue, PartPrice
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.core.money import CURRENCY_CHOICES
from aftersales.policy.vocabulary import PARTS, PRODUCT_LINES, REGIONS
from aftersales.portal.forms import DATE, AppErrorFormMixin
from aftersales.portal.views import is_htmx
from aftersales.warranty.decisions import REGION_TIMEZONES
from aftersales.warranty.presentation import label, line_choices, part_choices, region_choices

LIMIT = 200  # rows shown at once; the filters narrow the list


class PriceForm(AppErrorFormMixin, forms.Form):
    """Plain text fields: the service checks every value and names the field it refuses."""

    def __init__(self, *args, language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        choices = {"part": [("", _("Choose a part"))] + part_choices(language),
                   "product_line": [("", _("Choose a product line"))] + line_choices(language),
                   "region": [("", _("Choose a region"))] + region_choices(language),
                   "currency": [("", _("Choose a currency"))] + CURRENCY_CHOICES}
        for name, options in choices.items():
            if name in self.fields:
                self.fields[name].widget.choices = options
        self.describe_fields()


def _select(label_text, **kwargs):
    return forms.CharField(label=label_text, required=False, widget=forms.Select, **kwargs)


class PartPriceForm(PriceForm):
    part = _select(_("Part"))
    product_line = _select(_("Product line"))
    region = _select(_("Region"))
    model = forms.CharField(label=_("Model"), required=False, max_length=64,
                            help_text=_("Empty: every model of the product line."))
    price = forms.CharField(label=_("Price"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    currency = _select(_("Currency"))
    valid_from = forms.CharField(label=_("Valid from"), required=False, widget=DATE,
                                 help_text=_("Today or later: earlier days keep their prices."))


class FairValueForm(PriceForm):
    model = forms.CharField(label=_("Model"), required=False, max_length=64)
    region = _select(_("Region"))
    value = forms.CharField(label=_("Fair market value"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    currency = _select(_("Currency"))
    valid_from = forms.CharField(label=_("Valid from"), required=False, widget=DATE,
                                 help_text=_("Today or later: earlier days keep their values."))


class EndForm(PriceForm):
    valid_to = forms.CharField(label=_("Last day it applies"), required=False, widget=DATE)


KINDS = {  # kind -> model, add form, add service, end service, list url name
    "parts": (PartPrice, PartPriceForm, pricelist.part_price_add,
              lambda pk, **kw: pricelist.part_price_end(price_id=pk, **kw), "console:prices"),
    "values": (FairMarketValue, FairValueForm, pricelist.fair_market_value_add,
               lambda pk, **kw: pricelist.fair_market_value_end(value_id=pk, **kw), "console:values"),
}


def _status(row, now) -> str:
    today = now.astimezone(ZoneInfo(REGION_TIMEZONES.get(row.region, "UTC"))).date()  # the region's calendar
    if row.valid_from > today:
        return "scheduled"
    return "in-force" if row.valid_to is None or row.valid_to >= today else "ended"


def _rows(kind: str, query: dict, language: str) -> list[dict]:
    if kind == "parts":
        rows = selectors.part_prices(part=query["part"], product_line=query["line"], region=query["region"],
                                     model=query["model"])
    else:
        rows = selectors.fair_market_values(model=query["model"], region=query["region"])
    now = clock.now()
    return [{"row": r, "status": _status(r, now), "region": label(REGIONS, r.region, language),
             "part": label(PARTS, r.part, language) if kind == "parts" else "",
             "line": label(PRODUCT_LINES, r.product_line, language) if kind == "parts" else ""}
            for r in rows[:LIMIT]]


def _page(request, kind: str, *, add_form=None, end_forms: dict | None = None, status: int = 200):
    language = get_language()
    get = request.GET
    query = {"part": get.get("part", "") if get.get("part") in PARTS else "",
             "line": get.get("line", "") if get.get("line") in PRODUCT_LINES else "",
             "region": get.get("region", "") if get.get("region") in REGIONS else "",
             # a model name holds no control characters (PostgreSQL text cannot hold NUL at all)
             "model": "".join(c for c in get.get("model", "") if c.isprintable()).strip()[:64]}
    rows = _rows(kind, query, language)
    can_manage = user_can(request.user, "prices.manage")
    end_forms = end_forms or {}
    for item in rows:
        item["end_form"] = end_forms.get(item["row"].pk) or EndForm(prefix=f"end-{item['row'].pk}", language=language)
    form_class = KINDS[kind][1]
    return render(request, f"console/prices_{kind}.html", {
        "rows": rows, "query": query, "limited": len(rows) == LIMIT, "can_manage": can_manage,
        "add_form": add_form or form_class(prefix="add", language=language),
        "parts": part_choices(language), "lines": line_choices(language), "regions": region_choices(language),
    }, status=status)


def _refused(request, exc: AppError) -> int:
    return 422 if is_htmx(request) or exc.status not in (403, 409) else exc.status


def _add(request, kind: str):
    _model, form_class, add, _end, list_url = KINDS[kind]
    form = form_class(request.POST, prefix="add", language=get_language())
    if form.is_valid():
        try:
            add(**{k: v.strip() for k, v in form.cleaned_data.items()}, actor=request.user, now=clock.now())
        except AppError as exc:
            form.add_app_error(exc, form.language)
            return _page(request, kind, add_form=form, status=_refused(request, exc))
        messages.success(request, gettext("Added to the list."))
        return redirect(list_url)
    return _page(request, kind, add_form=form, status=422)


def _end(request, kind: str, pk: int):
    model, _form, _add, end, list_url = KINDS[kind]
    if not model.objects.filter(pk=pk).exists():
        raise Http404(pk)
    form = EndForm(request.POST, prefix=f"end-{pk}", language=get_language())
    if form.is_valid():
        try:
            end(pk, valid_to=form.cleaned_data["valid_to"].strip(), actor=request.user, now=clock.now())
        except AppError as exc:
            form.add_app_error(exc, form.language)
            return _page(request, kind, end_forms={pk: form}, status=_refused(request, exc))
        messages.success(request, gettext("The row now ends on the day you gave."))
        return redirect(list_url)
    return _page(request, kind, end_forms={pk: form}, status=422)


@require_GET
@action_required("prices.view")
def part_prices(request):
    return _page(request, "parts")


@require_POST
@action_required("prices.manage")
def part_price_new(request):
    return _add(request, "parts")


@require_POST
@action_required("prices.manage")
def part_price_end(request, pk: int):
    return _end(request, "parts", pk)


@require_GET
@action_required("prices.view")
def fair_values(request):
    return _page(request, "values")


@require_POST
@action_required("prices.manage")
def fair_value_new(request):
    return _add(request, "values")


@require_POST
@action_required("prices.manage")
def fair_value_end(request, pk: int):
    return _end(request, "values", pk)
