"""What the rules are told about a device before they decide: the serial registry's record of it,
and what a serial number looks like.

Reading a request (a JSON object, a form) into ``Facts`` is the request layer's work
(``aftersales.warranty.request``); the registry itself lives in the database
(``aftersales.warranty.registry``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aftersales.warranty.rules.facts import InvalidInput


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    serial: str
    model: str
    product_line: str
    manufactured_on: dt.date
    shipped_on: dt.date | None
    sold_in: str


def normalise_serial(value) -> str:
    """A serial number as the registry keeps it (upper case, no surrounding spaces); refuses
    anything that cannot be one."""
    if not isinstance(value, str):
        raise InvalidInput("invalid-serial", "The serial number must be text.", "序列号必须是文本。",
                           field="serial")
    serial = value.strip().upper()
    if not 4 <= len(serial) <= 32 or not serial.isascii() or not serial.isalnum():
        raise InvalidInput("invalid-serial",
                           "A serial number is 4 to 32 letters and digits, as printed on the label.",
                           "序列号应为标签上印制的 4 到 32 位字母和数字。", field="serial")
    return serial
