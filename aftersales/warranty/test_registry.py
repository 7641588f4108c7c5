"""Serial registry CSV import: every row checked first; all rows or none."""

import pytest

from aftersales.core.errors import AppError, NotFound
from aftersales.warranty.models import Device
from aftersales.warranty.registry import device_get, devices_import_csv

pytestmark = pytest.mark.django_db

HEADER = "serial,model,product_line,manufactured_on,shipped_on,sold_in\n"


def test_a_clean_file_creates_every_device():
    data = (HEADER + "ab12cd34,G15,rog-desktop,2023-01-05,2023-02-01,CN\n"
            "NB000001,X13,notebook,2023-03-01,,us\n").encode()
    result = devices_import_csv(data=data)
    assert (result.ok, result.created, result.updated) == (True, 2, 0)
    device = device_get(serial="AB12CD34")
    assert (device.product_line, device.sold_in, device.shipped_on.isoformat()) == ("rog-desktop", "CN", "2023-02-01")
    assert Device.objects.get(serial="NB000001").shipped_on is None


def test_importing_again_updates_known_serials():
    devices_import_csv(data=(HEADER + "AB12CD34,G15,rog-desktop,2023-01-05,,CN\n").encode())
    result = devices_import_csv(data=(HEADER + "AB12CD34,G16,rog-desktop,2023-01-05,,HK\n").encode())
    assert (result.created, result.updated) == (0, 1)
    assert Device.objects.get().sold_in == "HK"


def test_a_file_with_bad_rows_lists_each_and_imports_nothing():
    data = (HEADER + "GOOD0001,G15,rog-desktop,2023-01-05,,CN\n"
            "BAD 0002,G15,rog-desktop,2023-01-05,,CN\n"
            "GOOD0003,G15,toaster,2023-02-30,,CN\n"
            "GOOD0004,G15,aio,2023-05-01,2023-04-01,CN\n"
            "GOOD0001,G15,aio,2023-05-01,,XX\n").encode()
    result = devices_import_csv(data=data)
    found = {(e.row, e.field, e.code) for e in result.errors}
    assert {(3, "serial", "invalid-serial"), (4, "product_line", "unknown-product-line"),
            (4, "manufactured_on", "invalid-date"), (5, "shipped_on", "date-order"),
            (6, "sold_in", "unknown-region")} <= found
    assert all(e.en and e.zh for e in result.errors)
    assert Device.objects.count() == 0


def test_a_serial_twice_in_one_file_is_an_error():
    data = (HEADER + "DUP00001,G15,aio,2023-05-01,,CN\nDUP00001,G15,aio,2023-05-01,,CN\n").encode()
    result = devices_import_csv(data=data)
    assert [e.code for e in result.errors] == ["duplicate-serial"]


def test_a_file_without_the_required_columns_is_refused_whole():
    with pytest.raises(AppError) as err:
        devices_import_csv(data=b"serial,model\nA1234,X\n")
    assert err.value.code == "invalid-csv" and "product_line" in err.value.en


def test_a_binary_file_is_refused():
    with pytest.raises(AppError) as err:
        devices_import_csv(data=b"\xff\xfe\x00\x00garbage")
    assert err.value.code == "invalid-csv"


def test_an_unknown_serial_is_not_found_in_both_languages():
    with pytest.raises(NotFound) as err:
        device_get(serial="ZZ999999")
    assert err.value.code == "unknown-serial" and "ZZ999999" in err.value.zh
