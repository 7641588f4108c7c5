"""The policy vocabulary and the policy-pack format, shared by every business area.

- ``vocabulary``: regions, product lines, parts, coverage groups, services and exclusion codes,
  with their names in English and Chinese;
- ``pack``: the policy-pack file (TOML) parsed and validated into frozen dataclasses;
- ``fees``: the pack's fee schedule (``[fees]``).

Pure Python: no Django, no database. Warranty, billing and repairs import from here, and this
package imports none of them.
"""
