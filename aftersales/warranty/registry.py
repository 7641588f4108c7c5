"""The serial registry: look-ups and CSV imports.

An import reads the whole file and checks every row before it writes any: a file with errors
changes nothing and comes back with every bad row listed (row number, field, code, zh/en), so
the person importing can fix them all at once. Known serials are updated, new ones created.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, fields

from django.db import transaction

from aftersales.core.errors import AppError, NotFound
from aftersales.policy.dates import accepted, out_of_range_words
from aftersales.warranty.input_text import SAMPLE_BYTES, looks_like_text, without_bom
from aftersales.warranty.models import Device
from aftersales.warranty.request import date_field, shown
from aftersales.warranty.rules.facts import InvalidInput
from aftersales.warranty.rules.intake import DeviceInfo, normalise_serial
from aftersales.policy.vocabulary import PRODUCT_LINES, REGIONS

CSV_COLUMNS = ("serial", "model", "product_line", "manufactured_on", "shipped_on", "sold_in")
BATCH = 2000


@dataclass
class RowError:
    row: int
    field: str
    code: str
    en: str
    zh: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "code": self.code, "en": self.en, "zh": self.zh}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    rows: int = 0  # rows read (after the header)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def device_info(d: Device) -> DeviceInfo:
    return DeviceInfo(d.serial, d.model, d.product_line, d.manufactured_on, d.shipped_on, d.sold_in)


def device_get(*, serial: str) -> DeviceInfo:
    serial = normalise_serial(serial)
    device = Device.objects.filter(serial=serial).first()
    if device is None:
        raise NotFound("unknown-serial",
                       f"We have no record of serial number {serial}. Check the label on the device "
                       f"(letters and digits, no spaces) or contact the hotline.",
                       f"未找到序列号 {serial} 的记录。请核对机身标签上的序列号（字母和数字，不含空格），"
                       f"或联系服务热线。", field="serial")
    return device_info(device)


_DEVICE_INFO_FIELDS = tuple(f.name for f in fields(DeviceInfo))  # the model's names too


def devices_by_serial(serials) -> dict[str, DeviceInfo]:
    """The registered devices among ``serials``, by serial. Rows come back as tuples, not model
    instances: the batch asks for a few hundred at a time, thousands of times."""
    found = {}
    serials = list(serials)
    for i in range(0, len(serials), 900):
        rows = Device.objects.filter(serial__in=serials[i:i + 900]).values_list(*_DEVICE_INFO_FIELDS)
        for row in rows:
            found[row[0]] = DeviceInfo(*row)
    return found


class NotText(AppError):
    """A registry file that is not UTF-8 text at all (``aftersales.warranty.input_text``)."""


def _device_dates(row: dict, err) -> dict:
    """The manufacture and ship dates of a row: real dates, among those the product accepts
    (``aftersales.policy.dates``), shipped no earlier than made."""
    dates = {}
    for fld, required in (("manufactured_on", True), ("shipped_on", False)):
        try:
            dates[fld] = date_field({fld: (row.get(fld) or "").strip()}, fld, required=required)
        except InvalidInput as e:
            err(fld, e.code, e.en, e.zh)
            continue
        if dates[fld] is not None and not accepted(dates[fld]):
            what = ("The manufacture date", "生产日期") if fld == "manufactured_on" else ("The ship date", "出货日期")
            err(fld, "date-out-of-range", *out_of_range_words(dates.pop(fld), *what))
    if dates.get("manufactured_on") and dates.get("shipped_on") and dates["shipped_on"] < dates["manufactured_on"]:
        err("shipped_on", "date-order", "The ship date is before the manufacture date.", "出货日期早于生产日期。")
    return dates


def _parse_row(n: int, row: dict) -> tuple[Device | None, list[RowError]]:
    errors = []

    def err(fld, code, en, zh):
        errors.append(RowError(n, fld, code, en, zh))

    try:
        serial = normalise_serial(row.get("serial") or "")
    except InvalidInput as e:
        err("serial", e.code, e.en, e.zh)
        serial = None
    model = (row.get("model") or "").strip()
    if not model or len(model) > 64 or not model.isprintable():
        err("model", "invalid-model", "The model is required: at most 64 characters, no control characters.",
            "型号为必填项：不超过 64 个字符，不含控制字符。")
    line = (row.get("product_line") or "").strip()
    if line not in PRODUCT_LINES:
        err("product_line", "unknown-product-line", f"Unknown product line {shown(line)}.", f"未知产品线 {shown(line)}。")
    region = (row.get("sold_in") or "").strip().upper()
    if region not in REGIONS:
        err("sold_in", "unknown-region", f"Unknown region {shown(region)}.", f"未知地区 {shown(region)}。")
    dates = _device_dates(row, err)
    if errors:
        return None, errors
    return Device(serial=serial, model=model, product_line=line, manufactured_on=dates["manufactured_on"],
                  shipped_on=dates.get("shipped_on"), sold_in=region), []


def _text_lines(data: bytes, errors: list[RowError]) -> list[str]:
    """The file's lines as text. A line that is not UTF-8 is a row error (and read as empty); a
    file that is not text at all is refused whole."""
    if not looks_like_text(data[:SAMPLE_BYTES]):
        raise NotText("invalid-csv", "The file is not UTF-8 text (CSV).", "文件不是 UTF-8 编码的文本（CSV）。",
                      field="file")
    lines = []
    for n, raw in enumerate(without_bom(data).split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            errors.append(RowError(n, "row", "invalid-utf8", "The line is not UTF-8 text.", "该行不是 UTF-8 编码的文本。"))
            lines.append("")
    return lines


def _csv_rows(lines: list[str], errors: list[RowError]):
    """(line number, header, cells) for each row after the header; a row the CSV reader cannot
    read (a cell over the reader's size limit, a NUL byte) is a row error, and reading goes on."""
    reader = csv.reader(lines)
    header = None
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            if header is None:
                _check_header([])  # no header: refused whole
            return
        except csv.Error as exc:
            errors.append(RowError(reader.line_num, "row", "invalid-csv", f"The row cannot be read as CSV ({exc}).",
                                   "该行无法按 CSV 格式读取（单元格过长或格式有误）。"))
            continue
        if any("\x00" in c for c in cells):
            errors.append(RowError(reader.line_num, "row", "invalid-csv", "The row holds a NUL character.",
                                   "该行含有空字符（NUL）。"))
        elif header is None:
            header = [h.strip() for h in cells] if cells else None
            _check_header(header)
        elif cells:  # an empty line is no row
            yield reader.line_num, header, cells


def _check_header(header: list[str]) -> None:
    missing = [c for c in CSV_COLUMNS if c not in header and c != "shipped_on"]
    if missing:
        raise AppError("invalid-csv", f"The header must name the columns {', '.join(CSV_COLUMNS)}; "
                       f"missing: {', '.join(missing)}.",
                       f"表头须包含列 {', '.join(CSV_COLUMNS)}；缺少：{', '.join(missing)}。", field="file")


def devices_import_csv(*, data: bytes, progress=None) -> ImportResult:
    """Import a registry CSV (header: serial,model,product_line,manufactured_on,shipped_on,sold_in).
    Row numbers are the file's line numbers. ``progress(done, total)`` is called as rows are
    checked and written."""
    result = ImportResult()
    rows = list(_csv_rows(_text_lines(data, result.errors), result.errors))
    result.rows = len(rows)
    devices = _devices(rows, result.errors, progress)
    result.errors.sort(key=lambda e: e.row)
    if result.errors:
        return result
    if progress:  # every row checked and right; the writing follows
        progress(len(rows), len(rows) * 2)
    _write(devices, result, progress, len(rows))
    return result


def _devices(rows: list, errors: list[RowError], progress) -> dict[str, Device]:
    """The devices the rows give, by serial; each bad row's errors added to ``errors``."""
    devices: dict[str, Device] = {}
    for done, (n, header, cells) in enumerate(rows, start=1):
        if len(cells) > len(header):
            errors.append(RowError(n, "row", "invalid-csv", "The row has more cells than the header.",
                                   "该行的单元格多于表头。"))
            continue
        device, row_errors = _parse_row(n, dict(zip(header, cells)))
        errors.extend(row_errors)
        if device is not None:
            if device.serial in devices:
                errors.append(RowError(n, "serial", "duplicate-serial", f"Serial {device.serial} appears twice in "
                                       f"the file.", f"序列号 {device.serial} 在文件中重复出现。"))
            devices[device.serial] = device
        if progress and done % 1000 == 0:
            progress(done, len(rows) * 2)
    return devices


@transaction.atomic
def _write(devices: dict[str, Device], result: ImportResult, progress, total: int) -> None:
    serials = list(devices)
    done = 0
    for i in range(0, len(serials), BATCH):
        chunk = serials[i:i + BATCH]
        known = set()
        for j in range(0, len(chunk), 900):
            known.update(Device.objects.filter(serial__in=chunk[j:j + 900]).values_list("serial", flat=True))
        new = [devices[s] for s in chunk if s not in known]
        old = [devices[s] for s in chunk if s in known]
        Device.objects.bulk_create(new)
        if old:
            ids = dict(Device.objects.filter(serial__in=[d.serial for d in old]).values_list("serial", "pk"))
            for d in old:
                d.pk = ids[d.serial]
            Device.objects.bulk_update(old, ["model", "product_line", "manufactured_on", "shipped_on", "sold_in"])
        result.created += len(new)
        result.updated += len(old)
        done += len(chunk)
        if progress:
            progress(total + done, total * 2)
