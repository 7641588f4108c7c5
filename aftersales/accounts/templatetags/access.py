"""``{% load access %}`` then ``{% if request.user|can:"devices.view" %}``: templates ask the
same table as the views, so a link is shown exactly when its page would open."""

from django import template

from aftersales.accounts.roles import user_can

register = template.Library()


@register.filter
def can(user, action: str) -> bool:
    return user_can(user, action)
