"""The shared vocabulary: regions, product lines, parts, coverage groups, services and exclusion
codes, each with its names in English and Chinese. Policy packs, warranty decisions, prices and
repair cases name only what is listed here. (Currencies are ``core.money.CURRENCIES``.)"""

from __future__ import annotations

REGIONS: dict[str, tuple[str, str]] = {
    "CN": ("mainland China", "中国大陆"),
    "HK": ("Hong Kong", "中国香港"),
    "MO": ("Macau", "中国澳门"),
    "TW": ("Taiwan", "中国台湾"),
    "US": ("United States", "美国"),
    "CA": ("Canada", "加拿大"),
}

# A region's calendar: its dates are calendar dates in this time zone (SPEC, Dates).
REGION_TIMEZONES: dict[str, str] = {
    "CN": "Asia/Shanghai", "HK": "Asia/Hong_Kong", "MO": "Asia/Macau", "TW": "Asia/Taipei",
    "US": "America/New_York", "CA": "America/Toronto",
}

PRODUCT_LINES: dict[str, tuple[str, str]] = {
    "rog-desktop": ("ROG desktop", "ROG 台式机"),
    "home-desktop": ("home desktop", "家用台式机"),
    "aio": ("all-in-one PC", "一体机"),
    "mini-pc": ("Mini PC", "Mini 台式机"),
    "nuc": ("NUC", "NUC"),
    "notebook": ("notebook", "笔记本电脑"),
}

PARTS: dict[str, tuple[str, str]] = {
    "mainboard": ("mainboard", "主板"),
    "cpu": ("CPU", "CPU"),
    "gpu": ("graphics card", "独立显卡"),
    "memory": ("memory", "内存"),
    "hdd": ("hard disk", "硬盘"),
    "ssd": ("solid-state drive", "固态硬盘"),
    "psu": ("power supply", "电源"),
    "power-adapter": ("power adapter", "电源适配器"),
    "battery": ("battery", "电池"),
    "lcd-panel": ("LCD panel", "液晶屏"),
    "fan": ("fan", "风扇"),
    "optical-drive": ("optical drive", "光驱"),
    "card-reader": ("card reader", "读卡器"),
    "internal-cable": ("internal cable", "机内线材"),
    "other-board": ("other circuit board", "其他电路板"),
    "keyboard": ("keyboard", "键盘"),
    "mouse": ("mouse", "鼠标"),
    "power-cord": ("power cord", "电源线"),
    "speaker": ("speaker", "音箱"),
    "wall-mount": ("wall mount", "壁挂套件"),
    "remote": ("remote control", "遥控器"),
    "preinstalled-os": ("pre-installed operating system", "预装操作系统"),
    "bundled-software": ("the bundled software", "随机预装软件"),
    "ancillary": ("ancillaries (cables, manuals, packaging, cards)", "随机资料（连接线、说明书、包装、卡片等）"),
}

GROUPS: dict[str, tuple[str, str]] = {
    "whole-unit": ("the whole-unit terms", "整机"),
    "major": ("the major parts", "主要部件"),
    "non-major": ("the non-major parts", "非主要部件"),
    "accessory": ("the accessories", "配件"),
    "battery": ("the battery", "电池"),
    "preinstalled-os": ("the pre-installed operating system", "预装操作系统"),
    "bundled-software": ("the bundled software", "随机预装软件"),
    "ancillary": ("the ancillaries", "辅件"),
}

# The paid services of the fee schedules (seed 002, paid-service fee tables).
SERVICES: dict[str, tuple[str, str]] = {
    "part-replacement": ("part replacement", "备件更换"),
    "disassembly-diagnosis": ("disassembly and diagnosis", "拆机检测调试"),
    "hardware-upgrade": ("hardware upgrade with your own parts", "硬件升级（用户自带备件）"),
    "os-recovery": ("restoring the factory system", "恢复出厂系统"),
    "driver-install": ("installing drivers or bundled software", "安装驱动程序或随机软件"),
    "customer-os-install": ("installing your own licensed system", "安装用户自备正版系统"),
    "deep-cleaning": ("deep cleaning", "深层清洁保养"),
}

# What an inspection can find that takes a fault out of the free warranty; each pack line maps
# the codes its terms name to the clause that says so.
EXCLUSION_CODES = frozenset({
    "no-valid-proof", "scrapped", "liquid-damage", "physical-damage", "natural-disaster",
    "unauthorised-repair", "unauthorised-modification", "external-power", "user-software",
    "software-service", "virus", "tampered-label", "cosmetic-only", "misuse", "fraud-theft",
    "unlock-tool", "battery-wear", "improper-installation", "lost-password", "contamination",
})


class Region:
    """Region codes as a choices list, for models."""

    choices = [(code, f"{code} — {names[0]}") for code, names in REGIONS.items()]
    codes = tuple(REGIONS)


def en(table: dict[str, tuple[str, str]], key: str) -> str:
    return table[key][0]


def zh(table: dict[str, tuple[str, str]], key: str) -> str:
    return table[key][1]
