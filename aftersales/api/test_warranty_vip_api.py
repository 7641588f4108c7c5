"""REST API: the VIP software on-site visit counter a warranty request may carry."""

import pytest
from django.core.cache import cache
from django.test import Client

from aftersales.policy.testing import SHIPPED
from aftersales.warranty.packs import pack_load
from aftersales.warranty.registry import devices_import_csv

pytestmark = pytest.mark.django_db

ROG_SYSTEM = {"product_line": "rog-desktop", "manufactured_on": "2024-01-10", "sold_in": "CN",
              "part": "preinstalled-os", "purchased_on": "2024-03-01", "as_of": "2025-06-01"}


@pytest.fixture(autouse=True)
def loaded():
    cache.clear()
    for text in SHIPPED.values():
        pack_load(text=text)
    devices_import_csv(data=b"serial,model,product_line,manufactured_on,shipped_on,sold_in\n"
                            b"RG000101,G35,rog-desktop,2024-01-10,2024-01-20,CN\n")


def post(body):
    return Client().post("/api/v1/warranty/decisions", data=body, content_type="application/json")


@pytest.mark.parametrize("used, eligible, last", [(None, True, "vip-software-visit"), (0, True, "vip-software-visit"),
                                                  (1, False, "onsite-not-offered")])
def test_a_rog_system_fault_is_on_site_eligible_while_the_software_visit_is_unused(used, eligible, last):
    body = ROG_SYSTEM if used is None else {**ROG_SYSTEM, "vip_visits_used": used}
    r = post(body)
    assert r.status_code == 200
    assert (r.json()["onsite"]["eligible"], r.json()["reasons"][-1]["code"]) == (eligible, last)


def test_the_vip_clause_is_cited_with_its_text():
    texts = {c["id"]: c for c in post(ROG_SYSTEM).json()["clause_texts"]}
    assert "software on-site visit" in texts["vip"]["en"] and "软件上门服务" in texts["vip"]["zh"]


@pytest.mark.parametrize("used", [-1, 1.5, "1", [0], True, 100, 10 ** 30])
def test_a_bad_vip_counter_is_refused_with_its_code_in_both_languages(used):
    r = post({**ROG_SYSTEM, "vip_visits_used": used})
    assert r.status_code == 400
    error = r.json()["error"]
    assert (error["code"], error["field"]) == ("invalid-vip-visits-used", "vip_visits_used")
    assert error["en"] and error["zh"]


@pytest.mark.parametrize("used, status, eligible", [("0", 200, True), ("1", 200, False), ("-1", 400, None),
                                                    ("one", 400, None), ("1e3", 400, None)])
def test_a_serial_look_up_takes_the_vip_counter_as_a_query_parameter(used, status, eligible):
    r = Client().get("/api/v1/devices/RG000101/warranty", {"part": "preinstalled-os", "purchased_on": "2024-03-01",
                                                           "as_of": "2025-06-01", "vip_visits_used": used})
    assert r.status_code == status
    if eligible is None:
        assert r.json()["error"]["code"] == "invalid-vip-visits-used"
    else:
        assert r.json()["onsite"]["eligible"] is eligible
