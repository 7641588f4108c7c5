"""Turning a request (a JSON object, a form) into ``Facts``, with a coded error for each bad field.

Shared by the batch command, the REST API and the portal, so all three accept and refuse the
same things in the same words. A serial number is resolved by the caller (the registry lives in
the database) and handed in as a ``DeviceInfo``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import itemgetter

from aftersales.warranty.rules.dates import _parse_cache as _PARSED
from aftersales.warranty.rules.dates import parse_iso_date
from aftersales.warranty.rules.facts import DecisionError, Facts, LcdInspection
from aftersales.policy.vocabulary import EXCLUSION_CODES
from aftersales.policy.vocabulary import PARTS, PRODUCT_LINES, REGIONS

FIELD_NAMES_ZH = {
    "serial": "序列号", "product_line": "产品线", "manufactured_on": "生产日期", "part": "部件",
    "purchased_on": "发票日期", "registered_on": "注册日期", "sold_in": "销售地区",
    "service_in": "服务地区", "as_of": "判定日期", "last_repair_on": "上次保修维修日期",
    "shipped_on": "出货日期", "lcd_dots": "亮暗点", "exclusions": "除外情形", "id": "编号",
    "symptom": "故障现象", "lcd_inspection": "亮暗点检查条件",
}


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    serial: str
    model: str
    product_line: str
    manufactured_on: dt.date
    shipped_on: dt.date | None
    sold_in: str


def _zh(field: str) -> str:
    return FIELD_NAMES_ZH.get(field, field)


def bad(field: str, code: str, en: str, zh: str) -> DecisionError:
    """A malformed request (400): a missing field, an impossible date, an unknown code. A
    well-formed request the rules cannot decide is a ``DecisionError`` of its own (422)."""
    return DecisionError(code, en, zh, field=field, status=400)


def missing(field: str) -> DecisionError:
    return bad(field, "missing-field", f"{field} is required.", f"缺少必填项：{_zh(field)}。")


def date_field(data: dict, field: str, *, required: bool = False) -> dt.date | None:
    value = data.get(field)
    if value is None or value == "":
        if required:
            raise missing(field)
        return None
    try:
        return parse_iso_date(value)
    except (ValueError, TypeError):
        raise bad(field, "invalid-date", f"{field} must be a real calendar date written YYYY-MM-DD; "
                  f"got {value!r}.", f"{_zh(field)}必须是真实存在的日期，格式为 YYYY-MM-DD；收到 {value!r}。")


def _choice(data: dict, field: str, table: dict, code: str, *, required: bool = True) -> str | None:
    value = data.get(field)
    if value is None or value == "":
        if required:
            raise missing(field)
        return None
    if not isinstance(value, str) or value not in table:
        raise bad(field, code, f"Unknown {field} {value!r}; use one of: {', '.join(table)}.",
                  f"{_zh(field)} {value!r} 无效；可用值：{', '.join(table)}。")
    return value


def normalise_serial(value) -> str:
    if not isinstance(value, str):
        raise bad("serial", "invalid-serial", "The serial number must be text.", "序列号必须是文本。")
    serial = value.strip().upper()
    if not 4 <= len(serial) <= 32 or not serial.isascii() or not serial.isalnum():
        raise bad("serial", "invalid-serial",
                  "A serial number is 4 to 32 letters and digits, as printed on the label.",
                  "序列号应为标签上印制的 4 到 32 位字母和数字。")
    return serial


def _count(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise bad("lcd_dots", "invalid-lcd-dots", f"lcd_dots.{field} must be a whole number, 0 or more.",
                  f"lcd_dots.{field} 必须是不小于 0 的整数。")
    return value


_COMMON_FIELDS = ("product_line", "sold_in", "manufactured_on", "part", "service_in", "as_of", "purchased_on",
                  "registered_on")
_RARE_FIELDS = ("shipped_on", "last_repair_on", "exclusions", "lcd_dots", "lcd_inspection")
_ALL_FIELDS = _COMMON_FIELDS + _RARE_FIELDS
_common_of = itemgetter(*_COMMON_FIELDS)


def facts_from_mapping(data: dict, device: DeviceInfo | None, *, default_as_of: dt.date | None = None,
                       part: str | None = None) -> Facts:
    """Build ``Facts`` from a request. With ``device``, the registry supplies the product line,
    the manufacture and ship dates and the region of sale; a request that contradicts it is
    refused rather than silently overridden."""
    if type(data) is dict and part is None and default_as_of is None:
        values = fast_values(data, device)
        if values is not None:
            return Facts(*values)
    return facts_checked(data, device, default_as_of=default_as_of, part=part)


def fast_values(data: dict, device: DeviceInfo | None) -> tuple | None:
    """The values of ``facts_from_mapping(data, device)``, in field order, for a request whose
    every field is present and plainly valid; None for any other (the careful path says what is
    wrong with it). Batches run this millions of times, so it is dictionary look-ups only: the
    fields nearly every line carries are read in one call, the others only when the line has
    more keys than those and its id; dates already seen are parsed already; and any value that
    is not plainly valid (unknown, unhashable, missing) makes it give up."""
    rare = True
    if device is None:
        try:
            line, sold_in, made, part, service_in, as_of, purchased, registered = _common_of(data)
            n = len(data)
            rare = n > 9 or n == 9 and "id" not in data
        except KeyError:
            pass
    if rare:
        (line, sold_in, made, part, service_in, as_of, purchased, registered, shipped, repaired, exclusions, dots,
         inspection) = map(data.get, _ALL_FIELDS)
    else:
        shipped = repaired = exclusions = dots = inspection = None
    try:
        if device is None:
            made = _PARSED[made]
            shipped = None if shipped is None else _PARSED[shipped]
        elif line is None and sold_in is None and made is None:
            # a serial line that leaves to the registry what the registry knows
            line, sold_in, made, shipped = (device.product_line, device.sold_in,
                                            device.manufactured_on, device.shipped_on)
        else:
            return None  # to be compared with the registry: the careful path
        if service_in is None or service_in == "":
            service_in = sold_in
        if (line in PRODUCT_LINES and part in PARTS and sold_in in REGIONS and service_in in REGIONS
                and inspection is None and (dots is None or _plain_dots(dots))
                and (not exclusions or type(exclusions) is list and EXCLUSION_CODES.issuperset(exclusions))):
            return (line, made, part, _PARSED[as_of], sold_in, service_in,
                    None if purchased is None else _PARSED[purchased],
                    None if registered is None else _PARSED[registered], shipped,
                    None if repaired is None else _PARSED[repaired],
                    None if dots is None else dots["bright"], None if dots is None else dots["dark"],
                    None, tuple(dict.fromkeys(exclusions)) if exclusions else ())
    except (KeyError, TypeError):
        # A date not seen before: parsed here, and the fast path taken again, when every
        # date of the request is well formed; anything else (unhashable, missing) is for the
        # careful path, which says what is wrong.
        if _learn_dates(data):
            return fast_values(data, device)
    return None


_DATE_FIELDS = ("manufactured_on", "shipped_on", "as_of", "purchased_on", "registered_on", "last_repair_on")


def _learn_dates(data: dict) -> bool:
    """Parse (and so remember) the request's dates not seen before; True when there were some
    and all of them are well formed."""
    learnt = False
    for name in _DATE_FIELDS:
        value = data.get(name)
        if type(value) is str and value not in _PARSED:
            try:
                parse_iso_date(value)
            except ValueError:
                return False
            learnt = True
    return learnt


def _plain_dots(dots) -> bool:
    """``{"bright": n, "dark": n}`` with both whole numbers of 0 or more, nothing else."""
    return (type(dots) is dict and len(dots) == 2 and type(dots.get("bright")) is int
            and type(dots.get("dark")) is int and dots["bright"] >= 0 and dots["dark"] >= 0)


def facts_checked(data: dict, device: DeviceInfo | None, *, default_as_of: dt.date | None = None,
                  part: str | None = None) -> Facts:
    """``facts_from_mapping`` field by field, each check naming the field and the problem: for a
    request the fast reading (``fast_values``) gave up on."""
    if not isinstance(data, dict):
        raise bad("line", "invalid-request", "Each request must be a JSON object.", "每条请求必须是 JSON 对象。")
    if device is not None:
        for field, known in (("product_line", device.product_line), ("sold_in", device.sold_in),
                             ("manufactured_on", device.manufactured_on)):
            given = data.get(field)
            if given not in (None, "") and given != known and not (
                    isinstance(known, dt.date) and given == known.isoformat()):
                raise bad(field, "conflicts-with-registry",
                          f"{field} {given!r} contradicts the serial registry ({known}).",
                          f"{_zh(field)} {given!r} 与序列号登记信息（{known}）不符。")
        product_line, made, shipped, sold_in = (device.product_line, device.manufactured_on,
                                                device.shipped_on, device.sold_in)
    else:
        product_line = _choice(data, "product_line", PRODUCT_LINES, "unknown-product-line")
        made = date_field(data, "manufactured_on", required=True)
        shipped = date_field(data, "shipped_on")
        sold_in = _choice(data, "sold_in", REGIONS, "unknown-region")
    part = part or _choice(data, "part", PARTS, "unknown-part")
    service_in = _choice(data, "service_in", REGIONS, "unknown-region", required=False) or sold_in
    as_of = date_field(data, "as_of", required=default_as_of is None) or default_as_of

    bright = dark = None
    dots = data.get("lcd_dots")
    if dots is not None:
        if not isinstance(dots, dict) or set(dots) - {"bright", "dark"}:
            raise bad("lcd_dots", "invalid-lcd-dots", 'lcd_dots must look like {"bright": 0, "dark": 0}.',
                      'lcd_dots 的格式应为 {"bright": 0, "dark": 0}。')
        bright, dark = _count(dots.get("bright", 0), "bright"), _count(dots.get("dark", 0), "dark")
    inspection = None
    ins = data.get("lcd_inspection")
    if ins is not None:
        try:
            inspection = LcdInspection(int(ins["distance_cm"]), int(ins["temperature_c"]), int(ins["lux"]))
        except (KeyError, TypeError, ValueError):
            raise bad("lcd_inspection", "invalid-lcd-inspection",
                      "lcd_inspection needs distance_cm, temperature_c and lux as whole numbers.",
                      "lcd_inspection 需要整数形式的 distance_cm、temperature_c 和 lux。")
    exclusions = data.get("exclusions") or ()
    if not isinstance(exclusions, (list, tuple)) or any(
            not isinstance(c, str) or c not in EXCLUSION_CODES for c in exclusions):
        raise bad("exclusions", "unknown-exclusion",
                  f"exclusions must be a list of codes from: {', '.join(sorted(EXCLUSION_CODES))}.",
                  f"exclusions 必须是以下代码的列表：{', '.join(sorted(EXCLUSION_CODES))}。")
    return Facts(
        product_line=product_line, manufactured_on=made, part=part, as_of=as_of, sold_in=sold_in,
        service_in=service_in, purchased_on=date_field(data, "purchased_on"),
        registered_on=date_field(data, "registered_on"), shipped_on=shipped,
        last_repair_on=date_field(data, "last_repair_on"), lcd_bright=bright, lcd_dark=dark,
        lcd_inspection=inspection, exclusions=tuple(dict.fromkeys(exclusions)),
    )
