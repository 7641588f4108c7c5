"""Console pages for service centres and the people who sign in (administrators only,
``people.manage``): the lists, a new centre, a new member of staff, and a person's roles and
centres changed. Each post calls one service (``centres.services``, ``accounts.people``) and goes
back to its list, or shows the form again as it was filled in with what to fix beside each field."""

from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.guards import action_required
from aftersales.accounts.models import User
from aftersales.accounts.people import STAFF_ROLES, staff_member_add, staff_member_assign
from aftersales.accounts.roles import Role
from aftersales.centres.models import ServiceCentre
from aftersales.centres.services import centre_open
from aftersales.core.errors import AppError
from aftersales.portal.forms import AppErrorFormMixin
from aftersales.warranty.presentation import region_choices


class CentreForm(AppErrorFormMixin, forms.Form):
    code = forms.CharField(label=_("Code"), required=False, max_length=32, help_text=_("For example sh-02."))
    name_en = forms.CharField(label=_("Name in English"), required=False, max_length=120)
    name_zh = forms.CharField(label=_("Name in Chinese"), required=False, max_length=120)
    region = forms.CharField(label=_("Region"), required=False, widget=forms.Select)
    city = forms.CharField(label=_("City"), required=False, max_length=80)
    timezone = forms.CharField(label=_("Time zone"), required=False, widget=forms.Select)
    address = forms.CharField(label=_("Address"), required=False, max_length=255)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].widget.choices = [("", _("Choose a region"))] + region_choices(language)
        zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
        self.fields["timezone"].widget.choices = [("", _("Choose a time zone"))] + [(z, z) for z in zones]
        self.describe_fields()


class PersonForm(AppErrorFormMixin, forms.Form):
    username = forms.CharField(label=_("Sign-in name"), required=False, max_length=150)
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=150)
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    password = forms.CharField(label=_("First password"), required=False, widget=forms.PasswordInput,
                               help_text=_("At least 8 characters; they change it after signing in."))
    roles = forms.MultipleChoiceField(label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple,
                                      choices=[(r.value, r.label) for r in STAFF_ROLES])
    centres = forms.MultipleChoiceField(label=_("Service centres"), required=False,
                                        widget=forms.CheckboxSelectMultiple,
                                        help_text=_("Staff, technicians and verifiers work only the cases of "
                                                    "these centres; the other roles read every centre."))
    active = forms.BooleanField(label=_("May sign in"), required=False, initial=True)

    def __init__(self, *args, language: str, new: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centres"].choices = [(str(c.pk), c.name(language)) for c in ServiceCentre.objects.all()]
        for name in (("active",) if new else ("username", "full_name", "email", "password")):
            del self.fields[name]
        self.describe_fields()


@action_required("people.manage")
def centres(request):
    language = get_language()
    form = CentreForm(request.POST if request.method == "POST" else None, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            centre = centre_open(actor=request.user, **form.cleaned_data)
        except AppError as exc:
            form.add_app_error(exc, language)
        else:
            messages.success(request, _("Opened %(centre)s.") % {"centre": centre.name(language)})
            return redirect("console:admin-centres")
    rows = [{"centre": c, "name": c.name(language), "staff": c.staff.count()} for c in ServiceCentre.objects.all()]
    return render(request, "console/admin/centres.html", {"form": form, "rows": rows},
                  status=422 if form.errors else 200)


def _person_row(user: User, language: str) -> dict:
    names = {g.name for g in user.groups.all()} | ({Role.ADMIN.value} if user.is_superuser else set())
    return {"user": user, "roles": [Role(n).label for n in Role.values if n in names],
            "centres": [c.name(language) for c in user.centres.all()]}


@action_required("people.manage")
def people(request):
    language = get_language()
    staff = (User.objects.exclude(groups__name=Role.CUSTOMER).filter(groups__isnull=False) | User.objects.filter(
        is_superuser=True)).distinct().prefetch_related("groups", "centres").order_by("username")
    return render(request, "console/admin/people.html", {"rows": [_person_row(u, language) for u in staff]})


@action_required("people.manage")
def person_new(request):
    language = get_language()
    form = PersonForm(request.POST if request.method == "POST" else None, language=language, new=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = staff_member_add(actor=request.user, username=data["username"], full_name=data["full_name"],
                                    email=data["email"], password=data["password"], roles=data["roles"],
                                    centres=[int(c) for c in data["centres"]])
        except AppError as exc:
            form.add_app_error(exc, language)
        else:
            messages.success(request, _("%(name)s may now sign in.") % {"name": user.username})
            return redirect("console:admin-people")
    return render(request, "console/admin/person.html", {"form": form, "person": None},
                  status=422 if form.errors else 200)


@action_required("people.manage")
def person(request, pk: int):
    language = get_language()
    user = get_object_or_404(User, pk=pk)
    initial = {"roles": [g.name for g in user.groups.all()], "centres": [str(c.pk) for c in user.centres.all()],
               "active": user.is_active}
    form = PersonForm(request.POST if request.method == "POST" else None, initial=initial, language=language, new=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            staff_member_assign(actor=request.user, user_id=user.pk, roles=data["roles"], active=data["active"],
                                centres=[int(c) for c in data["centres"]])
        except AppError as exc:
            form.add_app_error(exc, language)
        else:
            messages.success(request, _("Saved the roles and centres of %(name)s.") % {"name": user.username})
            return redirect("console:admin-people")
    return render(request, "console/admin/person.html", {"form": form, "person": user},
                  status=422 if form.errors else 200)
