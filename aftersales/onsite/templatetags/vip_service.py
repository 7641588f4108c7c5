"""``{% vip_service case=case %}`` or ``{% vip_service device=device %}``: the VIP service panel
(``onsite/_vip_service.html``) of the console's case and device pages and the portal's case
page; nothing for a device without VIP service."""

from __future__ import annotations

from django import template

from aftersales.core import clock
from aftersales.onsite.vip_status import device_purchase_date, vip_status
from aftersales.warranty.decisions import today_for

register = template.Library()


@register.inclusion_tag("onsite/_vip_service.html")
def vip_service(*, case=None, device=None) -> dict:
    now = clock.now()
    if case is not None:
        status = vip_status(device=case.device, purchased_on=case.purchased_on, day=case.day(now), case=case)
    elif device is not None:
        status = vip_status(device=device, purchased_on=device_purchase_date(device),
                            day=today_for(device.sold_in, now))
    else:
        status = None
    return {"vip": status, "on_case": case is not None}
