"""Warranty rules as pure Python: no Django, no database.

- ``dates``: the period arithmetic every rule uses (SPEC "Dates").
- ``vocabulary``: regions and parts, with their names in English and Chinese.
- ``pack``: the policy-pack file format, parsed and validated into frozen dataclasses.
- ``engine``: ``decide(facts, packs)`` — the warranty decision with its reasons.
"""
