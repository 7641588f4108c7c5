"""The staff console for repair cases: the queue, one case with every step's form, and intake at
the counter.

How it is put together:
- ``queue`` lists the open cases a person may see (their own service centre, or every centre
  for those who work across centres), oldest first, a keyset page at a time;
- ``page`` shows one case: each section reads the case and offers the forms the person's roles
  and the case's step allow (``offers``);
- ``moves``, ``diagnosis``, ``quoting`` and ``handover`` take the posts: each checks the action
  at the door (``action_required``), validates the form, calls one service and redirects back
  to the case; a refusal shows the case again with the form as filled in and the service's
  message and code next to it (``perform``);
- ``intake`` books a case at the counter.

The services check roles and steps themselves; hiding a form only spares people a refusal.
"""
