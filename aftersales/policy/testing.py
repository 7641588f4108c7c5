"""For tests: the policy packs shipped with the product (``policies/*.toml``), by file stem."""

from pathlib import Path

POLICY_DIR = Path(__file__).resolve().parents[2] / "policies"
SHIPPED: dict[str, str] = {p.stem: p.read_text("utf-8") for p in sorted(POLICY_DIR.glob("*.toml"))}
