"""Loading pack versions into the database: validated first, nothing stored on refusal."""

import pytest

from aftersales.core.errors import AppError, Conflict
from aftersales.warranty.models import PolicyPack
from aftersales.warranty.packs import pack_load, packs_in_force
from aftersales.policy.testing import SHIPPED
from aftersales.warranty.rules.conftest import D, facts
from aftersales.warranty.rules.engine import decide

pytestmark = pytest.mark.django_db


def test_loading_the_shipped_packs_stores_each_with_its_text_and_checksum():
    for text in SHIPPED.values():
        pack_load(text=text)
    rows = {r.label: r for r in PolicyPack.objects.all()}
    assert set(rows) == {"cn-desktop@2026.11.30", "na-notebook@2026.11.30"}
    assert rows["cn-desktop@2026.11.30"].source_text == SHIPPED["cn-desktop"]
    assert len(rows["cn-desktop@2026.11.30"].sha256) == 64


def test_a_bad_pack_is_refused_with_its_field_and_stores_nothing():
    with pytest.raises(AppError) as err:
        pack_load(text=SHIPPED["cn-desktop"].replace('clause = "rog-2019"', 'clause = "nope"'))
    assert err.value.code == "invalid-pack" and "nope" in err.value.en and err.value.zh
    assert PolicyPack.objects.count() == 0


def test_the_same_version_cannot_be_loaded_twice():
    pack_load(text=SHIPPED["cn-desktop"])
    with pytest.raises(Conflict) as err:
        pack_load(text=SHIPPED["cn-desktop"])
    assert err.value.code == "pack-version-exists"
    assert PolicyPack.objects.count() == 1


def test_a_new_version_takes_over_from_its_effective_date():
    pack_load(text=SHIPPED["cn-desktop"])
    newer = (SHIPPED["cn-desktop"]
             .replace('version = "2026.11.30"', 'version = "2025.07.01"')
             .replace("effective_from = 2011-01-01", "effective_from = 2025-07-01")
             .replace("groups.major = { months = 36, parts = [\"cpu\", \"mainboard\", \"gpu\", \"memory\", \"hdd\", \"ssd\", \"psu\"] }\ngroups.non-major",
                      "groups.major = { months = 48, parts = [\"cpu\", \"mainboard\", \"gpu\", \"memory\", \"hdd\", \"ssd\", \"psu\"] }\ngroups.non-major"))
    pack_load(text=newer)
    packs = packs_in_force()
    before = decide(facts(part="cpu", purchased="2024-01-01", as_of="2025-06-30"), packs)
    after = decide(facts(part="cpu", purchased="2024-01-01", as_of="2025-07-01"), packs)
    assert (before.pack, before.ends_on) == ("cn-desktop@2026.11.30", D("2026-12-31"))
    assert (after.pack, after.ends_on) == ("cn-desktop@2025.07.01", D("2027-12-31"))


def test_a_second_pack_governing_the_same_line_and_region_is_refused():
    pack_load(text=SHIPPED["na-notebook"])
    rival = SHIPPED["na-notebook"].replace('id = "na-notebook"', 'id = "na-notebook-rival"')
    with pytest.raises(Conflict) as err:
        pack_load(text=rival)
    assert err.value.code == "pack-overlap"
    assert PolicyPack.objects.count() == 1
