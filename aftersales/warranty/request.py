"""A warranty request (a JSON object, a form's fields) read into ``Facts``, with a coded error for
each bad field.

Shared by the batch command, the REST API, the portal and the console, so all of them accept and
refuse the same things in the same words. A serial number is resolved by the caller (the
registry lives in the database) and handed in as a ``DeviceInfo``. A malformed value is an
``InvalidInput``; a well-formed request the rules cannot decide is the engine's ``DecisionError``.
"""

from __future__ import annotations

import datetime as dt

from aftersales.policy.vocabulary import EXCLUSION_CODES, PARTS, PRODUCT_LINES, REGIONS
from aftersales.warranty.rules.facts import Facts, InvalidInput, LcdInspection
from aftersales.warranty.rules.intake import DeviceInfo

# What each field is called in a message: people read these, never the field's name (which
# only the ``field`` of the error carries, for programs).
FIELD_NAMES = {
    "serial": ("serial number", "序列号"), "product_line": ("product line", "产品线"),
    "manufactured_on": ("manufacture date", "生产日期"), "part": ("part", "部件"),
    "purchased_on": ("invoice date", "发票日期"), "registered_on": ("registration date", "注册日期"),
    "sold_in": ("region of sale", "销售地区"), "service_in": ("region of service", "服务地区"),
    "as_of": ("decision date", "判定日期"), "last_repair_on": ("date of the last warranty repair", "上次保修维修日期"),
    "repairs_on": ("dates of earlier warranty repairs", "此前保修维修日期"), "shipped_on": ("ship date", "出货日期"),
    "lcd_dots": ("bright and dark dot counts", "亮暗点数"), "exclusions": ("inspection findings", "检查发现的情形"),
    "id": ("line number", "编号"), "symptom": ("symptom", "故障现象"),
    "lcd_inspection": ("inspection conditions", "亮暗点检查条件"),
    "vip_visits_used": ("VIP software visits used", "已使用的 VIP 软件上门次数"),
}
VIP_VISITS_LIMIT = 99  # far above any VIP list's count (a pack gives at most 12), far below a runaway number


def shown(value) -> str:
    """A value as an error message quotes it: its repr, cut short when long (a field can hold
    megabytes)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _zh(field: str) -> str:
    return FIELD_NAMES.get(field, (field, field))[1]


def _en(field: str) -> str:
    """'The invoice date': the field as the subject of an English sentence."""
    return "The " + FIELD_NAMES.get(field, (field, field))[0]


def bad(field: str, code: str, en: str, zh: str) -> InvalidInput:
    """A malformed request: a missing field, an impossible date, an unknown code."""
    return InvalidInput(code, en, zh, field=field)


def missing(field: str) -> InvalidInput:
    return bad(field, "missing-field", f"{_en(field)} is required.", f"缺少必填项：{_zh(field)}。")


def parse_iso_date(value) -> dt.date:
    """Parse ``YYYY-MM-DD`` strictly; raise ValueError for anything else (2023-02-30 included)."""
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return dt.date.fromisoformat(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise ValueError(f"not a YYYY-MM-DD date: {value!r}")


def _invalid_date(field: str, value) -> InvalidInput:
    return bad(field, "invalid-date", f"{_en(field)} must be a real calendar date written YYYY-MM-DD; got {shown(value)}.",
               f"{_zh(field)}必须是真实存在的日期，格式为 YYYY-MM-DD；收到 {shown(value)}。")


def _date(field: str, value) -> dt.date:
    try:
        return parse_iso_date(value)
    except (ValueError, TypeError):
        raise _invalid_date(field, value)


def date_field(data: dict, field: str, *, required: bool = False) -> dt.date | None:
    value = data.get(field)
    if value is None or value == "":
        if required:
            raise missing(field)
        return None
    return _date(field, value)


def dates_field(data: dict, field: str) -> tuple[dt.date, ...]:
    """A list of dates (``repairs_on``), each a real calendar date; none when absent."""
    values = data.get(field)
    if values is None or values == "":
        return ()
    if not isinstance(values, (list, tuple)):
        raise bad(field, "invalid-date", f"{_en(field)} must be a list of dates written YYYY-MM-DD.",
                  f"{_zh(field)}必须是日期列表，格式为 YYYY-MM-DD。")
    return tuple(_date(field, value) for value in values)


def _choice(data: dict, field: str, table: dict, code: str, *, required: bool = True) -> str | None:
    value = data.get(field)
    if value is None or value == "":
        if required:
            raise missing(field)
        return None
    if not isinstance(value, str) or value not in table:
        raise bad(field, code, f"{_en(field)} {shown(value)} is not one we know; use one of: {', '.join(table)}.",
                  f"{_zh(field)} {shown(value)} 无效；可用值：{', '.join(table)}。")
    return value


def _count(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        what_en, what_zh = ("bright", "亮点") if field == "bright" else ("dark", "暗点")
        raise bad("lcd_dots", "invalid-lcd-dots", f"The number of {what_en} dots must be a whole number, 0 or more.",
                  f"{what_zh}数必须是不小于 0 的整数。")
    return value


def _device_fields(data: dict, device: DeviceInfo | None) -> tuple[str, dt.date, dt.date | None, str]:
    """The product line, manufacture and ship dates and region of sale: the registry's, when
    there is a device (a request that contradicts it is refused rather than silently
    overridden), else the request's own."""
    if device is None:
        return (_choice(data, "product_line", PRODUCT_LINES, "unknown-product-line"),
                date_field(data, "manufactured_on", required=True), date_field(data, "shipped_on"),
                _choice(data, "sold_in", REGIONS, "unknown-region"))
    for field, known in (("product_line", device.product_line), ("sold_in", device.sold_in),
                         ("manufactured_on", device.manufactured_on)):
        given = data.get(field)
        if given not in (None, "") and given != known and not (
                isinstance(known, dt.date) and given == known.isoformat()):
            raise bad(field, "conflicts-with-registry",
                      f"{_en(field)} {shown(given)} contradicts the serial registry ({known}).",
                      f"{_zh(field)} {shown(given)} 与序列号登记信息（{known}）不符。")
    return device.product_line, device.manufactured_on, device.shipped_on, device.sold_in


def _lcd_fields(data: dict) -> tuple[int | None, int | None, LcdInspection | None]:
    bright = dark = None
    dots = data.get("lcd_dots")
    if dots is not None:
        if not isinstance(dots, dict) or set(dots) - {"bright", "dark"}:
            raise bad("lcd_dots", "invalid-lcd-dots", 'Give the bright and dark dot counts as {"bright": 0, "dark": 0}.',
                      '亮暗点数的格式应为 {"bright": 0, "dark": 0}。')
        bright, dark = _count(dots.get("bright", 0), "bright"), _count(dots.get("dark", 0), "dark")
    ins = data.get("lcd_inspection")
    if ins is None:
        return bright, dark, None
    try:
        return bright, dark, LcdInspection(int(ins["distance_cm"]), int(ins["temperature_c"]), int(ins["lux"]))
    except (KeyError, TypeError, ValueError, OverflowError):  # OverflowError: a number too large for a whole one
        raise bad("lcd_inspection", "invalid-lcd-inspection",
                  "The inspection conditions need the distance (cm), the temperature (°C) and the light "
                  "(lux), each as a whole number.",
                  "亮暗点检查条件须给出距离（厘米）、温度（℃）和照度（lux），均为整数。")


def _exclusions_field(data: dict) -> tuple[str, ...]:
    exclusions = data.get("exclusions") or ()
    if not isinstance(exclusions, (list, tuple)) or any(
            not isinstance(c, str) or c not in EXCLUSION_CODES for c in exclusions):
        raise bad("exclusions", "unknown-exclusion",
                  f"The inspection findings must each be one of: {', '.join(sorted(EXCLUSION_CODES))}.",
                  f"检查发现的情形必须取自：{', '.join(sorted(EXCLUSION_CODES))}。")
    return tuple(dict.fromkeys(exclusions))


def vip_visits_field(data: dict) -> int:
    """How many VIP software on-site visits were used: a whole number from 0 to the limit; 0 when absent."""
    value = data.get("vip_visits_used")
    if value is None or value == "":
        return 0
    if type(value) is not int or not 0 <= value <= VIP_VISITS_LIMIT:
        raise bad("vip_visits_used", "invalid-vip-visits-used",
                  f"The number of VIP software visits used must be a whole number from 0 to {VIP_VISITS_LIMIT}; "
                  f"got {shown(value)}.",
                  f"{_zh('vip_visits_used')}必须是 0 到 {VIP_VISITS_LIMIT} 的整数；收到 {shown(value)}。")
    return value


def facts_from_mapping(data: dict, device: DeviceInfo | None, *, default_as_of: dt.date | None = None,
                       part: str | None = None) -> Facts:
    """Build ``Facts`` from a request, field by field, each check naming the field and the
    problem. With ``device``, the registry supplies the product line, the manufacture and ship
    dates and the region of sale. ``part`` stands in for the request's own (a symptom's part);
    ``default_as_of`` for a request that gives no decision date."""
    if not isinstance(data, dict):
        raise bad("line", "invalid-request", "Each request must be a JSON object.", "每条请求必须是 JSON 对象。")
    product_line, made, shipped, sold_in = _device_fields(data, device)
    part = part or _choice(data, "part", PARTS, "unknown-part")
    service_in = _choice(data, "service_in", REGIONS, "unknown-region", required=False) or sold_in
    as_of = date_field(data, "as_of", required=default_as_of is None) or default_as_of
    bright, dark, inspection = _lcd_fields(data)
    exclusions = _exclusions_field(data)
    return Facts(
        product_line=product_line, manufactured_on=made, part=part, as_of=as_of, sold_in=sold_in,
        service_in=service_in, purchased_on=date_field(data, "purchased_on"),
        registered_on=date_field(data, "registered_on"), shipped_on=shipped,
        last_repair_on=date_field(data, "last_repair_on"), lcd_bright=bright, lcd_dark=dark,
        lcd_inspection=inspection, exclusions=exclusions, repairs_on=dates_field(data, "repairs_on"),
        vip_visits_used=vip_visits_field(data),
    )
