"""Importing places (county-level and larger cities with their coordinates) from CSV.

Header: code,region,name_en,name_zh,level,latitude,longitude. The whole file is checked before
anything is written: a file with errors changes nothing and comes back with every bad row
(row number, column, code, English and Chinese). Known codes are updated, new ones created, so
importing the same file twice changes nothing. ``SHIPPED`` is the list that comes with the
product: approximate coordinates of each city's seat of government, to about 0.01°.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from aftersales.centres.models import City, CityLevel
from aftersales.core.errors import AppError
from aftersales.policy.vocabulary import REGIONS

SHIPPED = Path(__file__).resolve().parent / "data" / "places.csv"
COLUMNS = ("code", "region", "name_en", "name_zh", "level", "latitude", "longitude")


@dataclass
class RowError:
    row: int
    column: str
    code: str
    en: str
    zh: str


@dataclass
class Imported:
    read: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def _text(data: bytes) -> str:
    if b"\x00" in data:
        raise AppError("nul-bytes", "The file contains NUL bytes: it is not a text CSV file.",
                       "文件中含有 NUL 字节，不是文本 CSV 文件。")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AppError("not-utf8", "The file is not UTF-8 text.", "文件不是 UTF-8 文本。") from exc


def _degrees(value: str, low: int, high: int) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or not low <= number <= high or number != number.quantize(Decimal("0.000001")):
        return None
    return number


def _row(n: int, row: dict) -> tuple[City | None, list[RowError]]:
    errors = []
    values = {c: (row.get(c) or "").strip() for c in COLUMNS}

    def bad(column, code, en, zh):
        errors.append(RowError(n, column, code, en, zh))

    if any(len(v) > 120 for v in values.values()):
        bad("", "field-too-long", "A value is longer than 120 characters.", "有字段超过 120 个字符。")
    for column in ("code", "name_en", "name_zh"):
        if not values[column]:
            bad(column, "missing-field", "This value is required.", "此项为必填。")
    if values["region"] not in REGIONS:
        bad("region", "unknown-region", f"Use one of {', '.join(REGIONS)}.", f"请使用 {', '.join(REGIONS)} 之一。")
    if values["level"] not in CityLevel.values:
        bad("level", "unknown-level", f"Use one of {', '.join(CityLevel.values)}.",
            f"请使用 {', '.join(CityLevel.values)} 之一。")
    lat, lon = _degrees(values["latitude"], -90, 90), _degrees(values["longitude"], -180, 180)
    if lat is None:
        bad("latitude", "invalid-coordinates", "A latitude from -90 to 90, at most six decimals.",
            "纬度须在 -90 到 90 之间，最多六位小数。")
    if lon is None:
        bad("longitude", "invalid-coordinates", "A longitude from -180 to 180, at most six decimals.",
            "经度须在 -180 到 180 之间，最多六位小数。")
    if errors:
        return None, errors
    return City(code=values["code"], region=values["region"], name_en=values["name_en"], name_zh=values["name_zh"],
                level=values["level"], latitude=lat, longitude=lon), []


def _rows(text: str):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None or set(COLUMNS) - {c.strip() for c in reader.fieldnames}:
        raise AppError("bad-header", f"The first line must name the columns: {','.join(COLUMNS)}.",
                       f"第一行必须列出各列名称：{','.join(COLUMNS)}。")
    reader.fieldnames = [c.strip() for c in reader.fieldnames]
    return reader


@transaction.atomic
def places_import_csv(*, data: bytes, progress=None) -> Imported:
    result, cities, seen = Imported(), [], set()
    reader = _rows(_text(data))
    n = 1
    try:
        for n, row in enumerate(reader, start=2):
            city, errors = _row(n, row)
            if city is not None and city.code in seen:
                errors = [RowError(n, "code", "duplicate-code", "This code is already in the file.",
                                   "文件中已有此代码。")]
            result.errors += errors
            if city is not None and not errors:
                seen.add(city.code)
                cities.append(city)
    except csv.Error as exc:
        result.errors.append(RowError(n + 1, "", "bad-csv", f"This line is not valid CSV ({exc}).",
                                      "这一行不是有效的 CSV。"))
    if result.errors:
        return result
    result.read = len(cities)
    known = {c.code: c for c in City.objects.filter(code__in=seen)}
    for i, city in enumerate(cities, start=1):
        values = {f: getattr(city, f) for f in COLUMNS[1:]}
        old = known.get(city.code)
        if old is None:
            city.save()
            result.created += 1
        elif any(getattr(old, f) != v for f, v in values.items()):
            City.objects.filter(pk=old.pk).update(**values)
            result.updated += 1
        if progress:
            progress(i, len(cities))
    return result
