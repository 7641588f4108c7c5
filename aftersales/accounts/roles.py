"""Roles and what each may do.

A role is a Django group of the same name. ``ACTIONS`` is the one table that says which roles
may take which action; every page and endpoint asks ``user_can(user, action)`` and the
role × action test matrix reads the same table, so the two cannot drift apart. Customers who
are not signed in are the ``ANONYMOUS`` pseudo-role; the product's own timers act as ``SYSTEM``
(pass ``SYSTEM_ACTOR`` where a service asks for the actor), which no person can be.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.core.errors import Forbidden


class Role(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    STAFF = "staff", _("Service-centre staff")
    TECHNICIAN = "technician", _("Third-party technician")
    VERIFIER = "verifier", _("Quotation verifier")
    EXEC_CARE = "exec-care", _("Executive-care agent")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


ANONYMOUS = "anonymous"
SYSTEM = "system"
STAFF_SIDE = {Role.STAFF, Role.TECHNICIAN, Role.VERIFIER, Role.EXEC_CARE, Role.AUDITOR, Role.ADMIN}
EVERYONE = {ANONYMOUS, Role.CUSTOMER} | STAFF_SIDE

ACTIONS: dict[str, frozenset[str]] = {
    # Anyone may check a warranty by serial: the answer names no person.
    "warranty.check": frozenset(EVERYONE),
    # Anyone may book a repair, and follow a case with its number plus the contact on file.
    "case.book": frozenset(EVERYONE),
    "case.lookup": frozenset(EVERYONE),
    "csr.diagnostic": frozenset(EVERYONE),  # the diagnostic tool signs its results; no one signs in
    "csr.carrier": frozenset(EVERYONE),  # the carrier signs its scans; no one signs in
    # A customer's own account pages: the cases and devices that belong to the account.
    "account.view": frozenset({Role.CUSTOMER}),
    # The staff console: queues and tools for people who work cases.
    "console.view": frozenset(STAFF_SIDE),
    # The dashboard's charts of every centre in reach: for the people who oversee service.
    "dashboard.view": frozenset({Role.EXEC_CARE, Role.AUDITOR, Role.ADMIN}),
    "devices.view": frozenset({Role.STAFF, Role.TECHNICIAN, Role.EXEC_CARE, Role.AUDITOR, Role.ADMIN}),
    "devices.import": frozenset({Role.ADMIN}),
    "packs.view": frozenset({Role.STAFF, Role.VERIFIER, Role.EXEC_CARE, Role.AUDITOR, Role.ADMIN}),
    "packs.load": frozenset({Role.ADMIN}),
    # The parts price list and the fair market values: administrators maintain them (add a row,
    # end one); the people who quote, verify and audit read them.
    "prices.view": frozenset({Role.STAFF, Role.VERIFIER, Role.AUDITOR, Role.ADMIN}),
    "prices.manage": frozenset({Role.ADMIN}),
    # Administration in the console: its overview, and the service centres and the people who sign in.
    "admin.view": frozenset({Role.ADMIN}),
    "people.manage": frozenset({Role.ADMIN}),
    # Case evidence files (photos, video, documents); customers will see theirs on their case pages.
    "evidence.view": frozenset(STAFF_SIDE),
    # Adding photos, video and documents to a case: whoever receives, inspects or repairs it.
    "evidence.add": frozenset({Role.STAFF, Role.TECHNICIAN}),
    # Repair cases (seed 000: third-party technicians diagnose, test and *propose* customer-induced
    # damage; only the maker's staff decide it; executive care re-evaluates it in a dispute).
    "case.view": frozenset(STAFF_SIDE),
    "case.intake": frozenset({Role.STAFF, Role.ADMIN}),
    "case.diagnose": frozenset({Role.STAFF, Role.TECHNICIAN}),
    "case.repair": frozenset({Role.STAFF}),
    "case.ship": frozenset({Role.STAFF}),
    "damage.propose": frozenset({Role.STAFF, Role.TECHNICIAN}),
    "damage.decide": frozenset({Role.STAFF, Role.EXEC_CARE}),
    "quote.author": frozenset({Role.STAFF}),
    "quote.verify": frozenset({Role.VERIFIER}),
    # Receiving a device, and cancelling a booking before it arrives.
    "case.receive": frozenset({Role.STAFF}),
    "case.cancel": frozenset({Role.STAFF, Role.ADMIN}),
    # The customer's answer to a quotation: given through the signed link, or taken down by staff
    # when the customer answers by phone or at the counter.
    "quote.answer": frozenset({ANONYMOUS, Role.CUSTOMER, Role.STAFF}),
    "quote.record-answer": frozenset({Role.STAFF}),
    # Follow-ups ("I don't understand"): answered by the people who work the case.
    "follow-up.resolve": frozenset({Role.STAFF, Role.TECHNICIAN, Role.EXEC_CARE}),
    # The case's conversation: the people who work the case write to the customer and keep
    # internal notes (customers write on the case they opened, checked where they come in).
    "message.write": frozenset({Role.STAFF, Role.TECHNICIAN, Role.EXEC_CARE}),
    # On-site visits: anyone may book one for their own on-site case (the portal asks for the case
    # number and the contact on file, as for a look-up); staff reassign, reschedule and agree trip
    # fees; whoever goes on site checks in and out. Loaners are lent and taken back by staff.
    "visit.book": frozenset(EVERYONE),
    "visit.manage": frozenset({Role.STAFF, Role.ADMIN}),
    "visit.work": frozenset({Role.STAFF, Role.TECHNICIAN}),
    "loaner.lend": frozenset({Role.STAFF}),
    # A case's invoices and credit notes in the console: the maker's people who work, verify,
    # audit or administer cases read them; third-party technicians do not handle the bills.
    "invoice.view": frozenset({Role.STAFF, Role.VERIFIER, Role.EXEC_CARE, Role.AUDITOR, Role.ADMIN}),
    # Disputes (seed 000): anyone may file one; only executive care works them.
    "dispute.file": frozenset(EVERYONE),
    "dispute.work": frozenset({Role.EXEC_CARE}),
    "csr.manage": frozenset({Role.STAFF, Role.ADMIN}),  # ship self-repair parts, confirm their returns
    # A payment taken at the counter (cash or card) is recorded by the staff who take it.
    "payment.take": frozenset({Role.STAFF}),
    # The overcharge audit: auditors run it and decide its findings; an approved finding pays the
    # customer back through the ledger (auditors write only audit decisions).
    "audit.run": frozenset({Role.AUDITOR}),
    "audit.review": frozenset({Role.AUDITOR}),
    # Moves only the storage timers make (seed 002 §10): no person takes them.
    "storage.timer": frozenset({SYSTEM}),
}


class _System:
    """The actor of the product's own timers: not a person, never signed in."""

    is_authenticated = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM_ACTOR"


SYSTEM_ACTOR = _System()


def roles_of(user) -> set[str]:
    if user is SYSTEM_ACTOR:
        return {SYSTEM}
    if user is None or not user.is_authenticated:
        return {ANONYMOUS}
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMIN)
        user._role_names = names
    return names


def user_can(user, action: str) -> bool:
    allowed = ACTIONS[action]
    return bool(roles_of(user) & allowed)


def require(user, action: str) -> None:
    """For services: refuse (403) an actor whose roles may not take ``action``."""
    if not user_can(user, action):
        raise Forbidden("forbidden", "Your role may not do this.", "您的角色无权执行此操作。")


# The role shown beside what someone did: the most specific role they hold, in this order.
_MOST_SPECIFIC = (Role.ADMIN, Role.EXEC_CARE, Role.VERIFIER, Role.AUDITOR, Role.STAFF, Role.TECHNICIAN,
                  Role.CUSTOMER)


def primary_role(user) -> str:
    roles = roles_of(user)
    if SYSTEM in roles:
        return SYSTEM
    return next((r.value for r in _MOST_SPECIFIC if r in roles), ANONYMOUS)


def role_label(role: str) -> str:
    """The role's name for people, in the active language ("" for a customer without an account
    and for the product's timers)."""
    return str(Role(role).label) if role in Role.values else ""


def ensure_role_groups(**kwargs) -> None:
    """Create one group per role (idempotent; runs after every migrate)."""
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)
