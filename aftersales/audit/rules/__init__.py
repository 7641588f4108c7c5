"""Pure rules of the audit: reading history rows, and re-pricing a case (no Django, no clock)."""
