"""``{{ pack|policy_name }}``: a policy pack, or a decision's ``id@version``, as a person reads
it in the page's language — the policy's title and date, never its id."""

from django import template
from django.utils import translation

from aftersales.policy.pack import Pack
from aftersales.warranty.packs import pack_name

register = template.Library()


@register.filter
def policy_name(pack: Pack | str) -> str:
    zh = (translation.get_language() or "").lower().startswith("zh")
    if isinstance(pack, Pack):
        return pack.name(zh)
    return pack_name(str(pack), zh=zh)
