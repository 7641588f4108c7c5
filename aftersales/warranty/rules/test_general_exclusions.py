"""Mini PC and NUC: their own exclusion lists are short, and the general desktop terms
(台式机&一体机保修政策, 2024-01-15, overview (4) and §7) decide what those lists leave out: an
excluded finding means "not covered", citing the general clause, never an error (SPEC §1)."""

import pytest

from aftersales.policy.vocabulary import EXCLUSION_CODES
from aftersales.warranty.rules.conftest import PACKS, decide_for

GENERAL_CLAUSES = {"excl-proof", "excl-expired", "excl-accident", "excl-self-repair", "excl-modification",
                   "excl-power", "excl-user-software", "excl-software-service", "excl-virus", "excl-label",
                   "excl-cosmetic", "excl-misuse", "excl-fraud", "excl-unlock", "general-scope"}


def excluded(line: str, code: str):
    d = decide_for(line=line, part="cpu", made="2023-01-01", purchased="2023-02-01", as_of="2024-06-01",
                   exclusions=[code])
    return d, next(r for r in d.reasons if r.code == code)


def test_a_virus_found_on_a_mini_pc_is_not_covered_and_cites_the_general_desktop_virus_clause():
    d, reason = excluded("mini-pc", "virus")
    assert not d.covered and not d.onsite_eligible
    assert reason.clause == "excl-virus" and "excl-virus" in d.clauses
    assert "computer virus" in reason.en and "计算机病毒" in reason.zh
    assert "§7 Warranty limitations (9)" in PACKS.by_label(d.pack).clauses["excl-virus"].source(zh=False)


def test_a_fault_from_the_external_power_supply_on_a_mini_pc_cites_general_clause_six():
    d, reason = excluded("mini-pc", "external-power")
    assert not d.covered and reason.clause == "excl-power"
    assert "§7 Warranty limitations (6)" in PACKS.by_label(d.pack).clauses["excl-power"].source(zh=False)


def test_a_peripheral_installed_wrongly_on_a_mini_pc_cites_the_general_overview():
    d, reason = excluded("mini-pc", "improper-installation")
    assert not d.covered and reason.clause == "general-scope"
    assert "1、概述 (4)" in PACKS.by_label(d.pack).clauses["general-scope"].source(zh=True)


def test_a_nuc_without_valid_proof_of_purchase_is_not_covered_under_the_general_terms():
    d, reason = excluded("nuc", "no-valid-proof")
    assert not d.covered and reason.clause == "excl-proof"


def test_a_software_service_request_on_a_nuc_cites_the_general_software_clause():
    d, reason = excluded("nuc", "software-service")
    assert not d.covered and reason.clause == "excl-software-service"


@pytest.mark.parametrize("line, code, own", [
    ("mini-pc", "liquid-damage", "minipc-excl-1"), ("mini-pc", "unauthorised-repair", "minipc-excl-2"),
    ("mini-pc", "misuse", "minipc-excl-3"), ("nuc", "virus", "nuc-excl-j"), ("nuc", "external-power", "nuc-excl-h"),
])
def test_a_finding_the_line_s_own_list_names_cites_the_line_s_own_clause(line, code, own):
    d, reason = excluded(line, code)
    assert not d.covered and reason.clause == own


@pytest.mark.parametrize("line", ["mini-pc", "nuc"])
@pytest.mark.parametrize("code", sorted(EXCLUSION_CODES))
def test_every_finding_on_a_mini_pc_or_nuc_decides_not_covered_never_an_error(line, code):
    d, reason = excluded(line, code)
    assert not d.covered
    pack = PACKS.by_label(d.pack)
    own = pack.lines[line].own_exclusions
    assert reason.clause == own.get(code, pack.general_exclusions[code])
    assert reason.clause in (set(own.values()) | GENERAL_CLAUSES)
