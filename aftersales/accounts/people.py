"""Writes on the people who sign in: an administrator adds a member of staff and gives them their
roles (``roles.Role``, one Django group each) and their service centres (``User.centres``, which
decide whose cases they read: ``accounts.scope``). Customers are not made here."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role, ensure_role_groups, require
from aftersales.centres.models import ServiceCentre
from aftersales.core.errors import AppError

STAFF_ROLES = [r for r in Role if r != Role.CUSTOMER]


def _bad(field: str, code: str, en: str, zh: str) -> AppError:
    return AppError(code, en, zh, field=field)


def _password_problems(password: str, user: User, language: str) -> str:
    """What is wrong with the password, in ``language`` (Django's validators speak both)."""
    with translation.override(language):
        try:
            validate_password(password, user)
        except ValidationError as exc:
            return " ".join(exc.messages)
    return ""


def _checked(roles: Collection[str], centres: Collection[int]) -> tuple[list[Group], list[ServiceCentre]]:
    unknown = set(roles) - {r.value for r in STAFF_ROLES}
    if unknown or not roles:
        raise _bad("roles", "invalid-roles", "Choose at least one role from the list.", "请至少从列表中选择一个角色。")
    found = list(ServiceCentre.objects.filter(pk__in=sorted(set(centres))))
    if len(found) != len(set(centres)):
        raise _bad("centres", "unknown-centre", "One of the service centres chosen no longer exists.",
                   "所选的服务中心之一已不存在。")
    ensure_role_groups()
    return list(Group.objects.filter(name__in=sorted(roles))), found


@transaction.atomic
def staff_member_add(*, actor, username: str, full_name: str, email: str, password: str,
                     roles: Collection[str], centres: Collection[int]) -> User:
    """A new member of staff with their roles and centres; administrators get the Django admin."""
    require(actor, "people.manage")
    username = (username or "").strip()
    if not username or len(username) > 150 or any(ch.isspace() for ch in username):
        raise _bad("username", "invalid-username", "Give a sign-in name without spaces.",
                   "请填写不含空格的登录名。")
    if User.objects.filter(username__iexact=username).exists():
        raise _bad("username", "username-taken", "Someone already signs in with that name.", "该登录名已被使用。")
    groups, places = _checked(roles, centres)
    user = User(username=username, first_name=(full_name or "").strip()[:150], email=(email or "").strip())
    try:
        validate_password(password, user)
    except ValidationError:
        raise _bad("password", "weak-password", *(_password_problems(password, user, lang)
                                                   for lang in ("en", "zh-hans"))) from None
    user.set_password(password)
    user.is_staff = Role.ADMIN in roles
    user.save()
    user.groups.set(groups)
    user.centres.set(places)
    return user


@transaction.atomic
def staff_member_assign(*, actor, user_id: int, roles: Collection[str], centres: Collection[int],
                        active: bool = True) -> User:
    """New roles and centres for a member of staff, at once (the scope is read on every request)."""
    require(actor, "people.manage")
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise AppError("unknown-user", "There is no such member of staff.", "没有这位员工。", field="user")
    if user.pk == getattr(actor, "pk", None) and (Role.ADMIN not in roles or not active):
        raise _bad("roles", "own-admin-role", "You cannot take away your own administrator role or sign-in.",
                   "您不能取消自己的管理员角色或登录权限。")
    groups, places = _checked(roles, centres)
    user.is_active = active
    user.is_staff = user.is_superuser or Role.ADMIN in roles
    user.save(update_fields=["is_active", "is_staff"])
    user.groups.set(groups)
    user.centres.set(places)
    return user
