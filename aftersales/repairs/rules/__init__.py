"""Repair-case rules as pure Python: no Django, no database, no clock."""
