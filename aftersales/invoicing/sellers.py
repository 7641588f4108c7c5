"""Who sells: the name printed at the top of every invoice and credit note, per region, in
English and Chinese. A document about a repair case adds the service centre that did the work.
The text is copied onto the document when it is issued, so a later change here never alters a
document already issued."""

from __future__ import annotations

SELLERS: dict[str, tuple[str, str]] = {
    "CN": ("ASUS after-sales service, mainland China", "华硕售后服务（中国大陆）"),
    "HK": ("ASUS after-sales service, Hong Kong", "华硕售后服务（中国香港）"),
    "MO": ("ASUS after-sales service, Macau", "华硕售后服务（中国澳门）"),
    "TW": ("ASUS after-sales service, Taiwan", "华硕售后服务（中国台湾）"),
    "US": ("ASUS after-sales service, United States", "华硕售后服务（美国）"),
    "CA": ("ASUS after-sales service, Canada", "华硕售后服务（加拿大）"),
}


def seller_for(region: str, centre=None) -> tuple[str, str]:
    """The seller in English and Chinese, one line each; a second line names the service centre
    when there is one."""
    en, zh = SELLERS[region]
    if centre is None:
        return en, zh
    return f"{en}\nService centre: {centre.name_en}", f"{zh}\n服务中心：{centre.name_zh}"
