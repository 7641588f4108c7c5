"""Loading a pack file: the shipped packs are valid; a bad file names the field and the reason."""

import pytest

from aftersales.policy.testing import SHIPPED
from aftersales.policy.pack import PackError, parse_pack
from aftersales.policy.vocabulary import EXCLUSION_CODES
from aftersales.policy.vocabulary import PRODUCT_LINES

REQUIRED_EXCLUSIONS = {"liquid-damage", "physical-damage", "unauthorised-repair", "unauthorised-modification",
                       "tampered-label", "virus", "user-software", "external-power", "cosmetic-only",
                       "unlock-tool", "battery-wear", "no-valid-proof"}


def rejected(text: str) -> PackError:
    with pytest.raises(PackError) as err:
        parse_pack(text)
    assert err.value.en and err.value.zh
    return err.value


def test_the_shipped_packs_cover_every_product_line():
    lines = set()
    for text in SHIPPED.values():
        lines |= set(parse_pack(text).lines)
    assert lines == set(PRODUCT_LINES)


def test_the_shipped_packs_use_every_required_exclusion_code():
    used = set()
    for text in SHIPPED.values():
        for line in parse_pack(text).lines.values():
            used |= set(line.exclusions)
    assert REQUIRED_EXCLUSIONS <= used <= EXCLUSION_CODES


def test_every_clause_cites_a_published_document_and_reads_in_both_languages():
    for text in SHIPPED.values():
        pack = parse_pack(text)
        for clause in pack.clauses.values():
            assert clause.cites and clause.en and clause.zh
            assert all(c.document is pack.documents[c.document.id] for c in clause.cites)


def test_a_clause_reads_its_source_as_the_documents_title_date_and_section():
    clause = parse_pack(SHIPPED["cn-desktop"]).clauses["storage"]
    assert clause.source(zh=False) == "ASUS desktop and all-in-one warranty policy (2024-01-15), §10 Right of lien"
    assert clause.source(zh=True) == "台式机&一体机保修政策（2024-01-15），10、行使留置权"


def test_a_clause_without_a_citation_is_rejected():
    text = SHIPPED["na-notebook"].replace(
        'cites = { document = "notebook-terms", section_en = "Warranty periods", section_zh = "保修期限" }\n', "")
    assert rejected(text).field == "clauses.nb-periods.cites"


def test_a_citation_of_a_document_the_pack_does_not_list_is_rejected():
    text = SHIPPED["cn-desktop"].replace('document = "desktop-policy"', 'document = "memo"', 1)
    e = rejected(text)
    assert e.field.endswith(".cites.document") and "memo" in e.en


def test_a_document_without_its_chinese_title_is_rejected():
    text = SHIPPED["cn-desktop"].replace('title_zh = "台式机&一体机保修政策"\n', "")
    assert rejected(text).field == "documents.desktop-policy.title_zh"


def test_battery_wear_is_an_aio_exclusion_in_the_greater_china_pack():
    pack = parse_pack(SHIPPED["cn-desktop"])
    assert "battery-wear" in pack.lines["aio"].exclusions
    assert "battery-wear" not in pack.lines["home-desktop"].exclusions


def test_a_file_that_is_not_toml_is_rejected():
    assert rejected("this is [not toml").field == "file"


def test_a_missing_version_is_named():
    text = SHIPPED["cn-desktop"].replace('version = "2026.11.30"\n', "")
    assert rejected(text).field == "pack.version"


def test_an_unknown_part_is_named_with_its_group():
    text = SHIPPED["cn-desktop"].replace('"preinstalled-os"] }', '"preinstalled-os", "warp-drive"] }', 1)
    e = rejected(text)
    assert "warp-drive" in e.en and e.field.endswith(".parts")


def test_a_clause_reference_to_nothing_is_rejected():
    text = SHIPPED["cn-desktop"].replace('clause = "rog-2019"', 'clause = "rog-2099"')
    assert "rog-2099" in rejected(text).en


def test_overlapping_manufacture_windows_are_rejected():
    text = SHIPPED["cn-desktop"].replace("made_to = 2019-05-31", "made_to = 2019-06-30")
    assert "2019-06-01" in rejected(text).en


def test_a_negative_period_is_rejected():
    text = SHIPPED["cn-desktop"].replace("groups.bundled-software = { months = 3,", "groups.bundled-software = { months = -3,", 1)
    assert "whole number" in rejected(text).en


def test_a_date_written_as_text_is_rejected():
    text = SHIPPED["na-notebook"].replace("effective_from = 2011-01-01", 'effective_from = "2011-01-01"')
    assert rejected(text).field == "pack.effective_from"


def test_an_unknown_exclusion_code_is_rejected():
    text = SHIPPED["na-notebook"].replace("no-valid-proof = ", "bad-luck = ")
    assert rejected(text).field == "lines.notebook.exclusions.bad-luck"


def test_a_part_listed_in_two_groups_is_rejected():
    text = SHIPPED["na-notebook"].replace('"ancillary", "power-cord"]', '"ancillary", "power-cord", "ssd"]')
    assert "ssd" in rejected(text).en


def test_each_region_may_belong_to_one_service_area_only():
    text = SHIPPED["na-notebook"].replace('areas = [["US", "CA"]]', 'areas = [["US", "CA"], ["CA"]]')
    assert rejected(text).field == "rules.region.areas"


def test_storage_terms_carry_the_sixty_free_days_of_the_seed():
    storage = parse_pack(SHIPPED["cn-desktop"]).storage
    assert (storage.keep_days, str(storage.daily_fee), storage.review_after_days) == (60, "5.00", 30)


def test_a_storage_fee_written_as_a_number_is_rejected():
    text = SHIPPED["cn-desktop"].replace('daily_fee = "5.00"', "daily_fee = 5.0")
    assert rejected(text).field == "storage.daily_fee"


def test_a_line_that_takes_the_general_exclusions_keeps_its_own_first_and_gains_the_rest():
    pack = parse_pack(SHIPPED["cn-desktop"])
    mini = pack.lines["mini-pc"]
    assert mini.exclusions["liquid-damage"] == mini.own_exclusions["liquid-damage"] == "minipc-excl-1"
    assert mini.exclusions["virus"] == pack.general_exclusions["virus"] == "excl-virus"
    assert "virus" not in mini.own_exclusions
    assert pack.lines["home-desktop"].exclusions == pack.lines["home-desktop"].own_exclusions


def test_a_line_cannot_take_general_exclusions_the_pack_does_not_define():
    text = SHIPPED["na-notebook"].replace('hotline = "', 'general_exclusions = true\nhotline = "', 1)
    assert rejected(text).field == "lines.notebook.general_exclusions"


def test_a_general_exclusion_must_name_a_defined_clause():
    text = SHIPPED["cn-desktop"].replace('virus = "excl-virus", tampered-label = "excl-label", cosmetic-only = '
                                         '"excl-cosmetic", misuse = "excl-misuse", fraud-theft = "excl-fraud", '
                                         'unlock-tool = "excl-unlock", improper',
                                         'virus = "nope", tampered-label = "excl-label", cosmetic-only = '
                                         '"excl-cosmetic", misuse = "excl-misuse", fraud-theft = "excl-fraud", '
                                         'unlock-tool = "excl-unlock", improper', 1)
    assert rejected(text).field == "rules.general_exclusions.virus"


# --- the fee schedule: where it is published and what the warranty makes free ---------------------
def test_the_greater_china_fee_schedule_is_published_for_mainland_china_only_in_cny():
    fees = parse_pack(SHIPPED["cn-desktop"]).fees
    assert (fees.regions, fees.currency) == (frozenset({"CN"}), "CNY")


def test_the_greater_china_warranty_makes_parts_diagnosis_drivers_and_system_restore_free():
    fees = parse_pack(SHIPPED["cn-desktop"]).fees
    assert fees.free_in_warranty == {"part-replacement", "disassembly-diagnosis", "driver-install", "os-recovery"}


def _fees(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_a_fee_schedule_that_does_not_say_where_it_is_published_is_rejected():
    text = _fees(SHIPPED["cn-desktop"], 'regions = ["CN"]\n', "")
    assert rejected(text).field == "fees.regions"


def test_a_fee_schedule_for_a_region_the_pack_does_not_govern_is_rejected():
    text = _fees(SHIPPED["cn-desktop"], 'regions = ["CN"]\n', 'regions = ["CN", "US"]\n')
    assert rejected(text).field == "fees.regions"


def test_a_fee_schedule_across_regions_of_different_currencies_is_rejected():
    text = _fees(SHIPPED["cn-desktop"], 'currency = "CNY"', 'currency = { CN = "CNY", HK = "USD", MO = "CNY", TW = "CNY" }')
    text = _fees(text, 'regions = ["CN"]\n', 'regions = ["CN", "HK"]\n')
    assert rejected(text).field == "fees.regions"


def test_free_in_warranty_names_only_known_services():
    text = _fees(SHIPPED["cn-desktop"], 'free_in_warranty = ["part-replacement"', 'free_in_warranty = ["teleport"')
    assert rejected(text).field == "fees.free_in_warranty"


@pytest.mark.parametrize("fee, code_word", [('"-1.00"', "negative"), ('"1.005"', "cent"), ("1e3", "number"),
                                            ('"12345678901.00"', "large")])
def test_a_fee_goes_through_the_one_amount_parser(fee, code_word):
    text = _fees(SHIPPED["cn-desktop"], 'inspection_fee_max = "100.00"', f"inspection_fee_max = {fee}")
    err = rejected(text)
    assert err.field == "fees.inspection_fee_max" and code_word in err.en
