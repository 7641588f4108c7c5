"""The shared vocabulary of SPEC: regions, product lines, parts, coverage groups, with names in
English and Chinese. Policy packs may only name what is listed here."""

from __future__ import annotations

REGIONS: dict[str, tuple[str, str]] = {
    "CN": ("mainland China", "中国大陆"),
    "HK": ("Hong Kong", "中国香港"),
    "MO": ("Macau", "中国澳门"),
    "TW": ("Taiwan", "中国台湾"),
    "US": ("United States", "美国"),
    "CA": ("Canada", "加拿大"),
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

def en(table: dict[str, tuple[str, str]], key: str) -> str:
    return table[key][0]


def zh(table: dict[str, tuple[str, str]], key: str) -> str:
    return table[key][1]
