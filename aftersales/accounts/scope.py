"""Whose cases a person reads: the one rule behind every console list, case page, evidence file,
report and customer contact, and behind the services that work a case.

- Staff, third-party technicians and verifiers work the cases of the service centres they belong
  to (``User.centres``, one or more) and nothing else; one who belongs to no centre reads no case
  until an administrator gives them one.
- Auditors and administrators read every centre (auditors read everything and write only audit
  decisions; ``roles.ACTIONS`` keeps them from the rest).
- Executive-care agents read every centre too: they work disputes and escalations, which come
  from any centre and must not wait for someone at the right desk.
- The product's own timers (``roles.SYSTEM_ACTOR``) act on every case.
- Customers and visitors read no centre's lists. They reach one case by proving it is theirs —
  its number with the e-mail or phone on file, or the signed link they were sent — and that proof
  is checked where they come in, so the centre rule does not limit them.
"""

from __future__ import annotations

from aftersales.accounts.roles import SYSTEM, Role, roles_of

AT_THEIR_CENTRES = frozenset({Role.STAFF, Role.TECHNICIAN, Role.VERIFIER})
EVERY_CENTRE_ROLES = frozenset({Role.ADMIN, Role.AUDITOR, Role.EXEC_CARE, SYSTEM})


def member_centres(user) -> frozenset[int]:
    """The ids of the centres ``user`` belongs to, as they stand now (read every time: a
    membership an administrator removes ends at once, even for someone signed in)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(user.centres.values_list("pk", flat=True))


def readable_centres(user) -> frozenset[int] | None:
    """The centres whose cases ``user`` reads in the console: None for every centre, an empty
    set for none."""
    roles = roles_of(user)
    if roles & EVERY_CENTRE_ROLES:
        return None
    if roles & AT_THEIR_CENTRES:
        return member_centres(user)
    return frozenset()


def may_act_at(user, centre_id: int) -> bool:
    """Whether a service may act for ``user`` on a case of centre ``centre_id``: staff-side people
    only at the centres they read; customers and visitors are not limited by centre (see above)."""
    roles = roles_of(user)
    if roles & EVERY_CENTRE_ROLES or not roles & AT_THEIR_CENTRES:
        return True
    return centre_id in member_centres(user)
