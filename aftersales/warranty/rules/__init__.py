"""Warranty rules as pure Python: no Django, no database, no clock, no wire formats.

- ``facts``: what a decision is asked and what it answers (dataclasses), and its errors.
- ``engine``: ``decide(facts, packs)`` — the warranty decision with its reasons, step by step.
- ``checks``: the questions the rules refuse, each with its code and words.
- ``explain``: the reasons' words in English and Chinese.
- ``dates``: the period arithmetic every rule uses (SPEC "Dates"), and the ``Memo``.
- ``intake``: what the rules are told about a device (its registry record, its serial number).

The pack format and the shared vocabulary are in ``aftersales.policy``; reading a request into
``Facts`` and writing a decision as JSON belong to the layers that speak those formats
(``aftersales.warranty.request``, ``aftersales.warranty.wire``, the batch and the API).
"""
