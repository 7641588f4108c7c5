"""What Django's ``request_started`` and ``request_finished`` do for the status look-up's own way
in (``api.lookup_route``), without sending the signals.

Django sends both around every request, and its own receivers keep the database connections
healthy: ``reset_queries`` empties the queries a debugging connection logged,
``close_old_connections`` closes a connection that is broken or past ``CONN_MAX_AGE``, and at
the end ``close_caches`` and ``reset_urlconf`` undo what a view may have opened or set. Sending
a signal and those receivers' walk over every database and cache alias cost about a twentieth of
a look-up's CPU time; the look-up touches one database connection and no cache and sets no
URL configuration. So, while the receivers are only these, their work is done here on the
default connection; as soon as anything else listens (a project's own receiver, or one taken
away, as a test keeping its transaction open does), the signal is sent as usual and this does
nothing of its own. ``test_lookup_upkeep`` holds both.
"""

from __future__ import annotations

import weakref

from django.core import signals
from django.core.cache import close_caches
from django.core.handlers.base import reset_urlconf
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections, reset_queries

# Receivers whose work needs doing for a look-up, and those that have nothing to undo after it.
_REQUIRED = {"started": (reset_queries, close_old_connections), "finished": (close_old_connections,)}
_NOTHING_TO_DO = {"started": (), "finished": (close_caches, reset_urlconf)}


def _receivers(signal) -> tuple:
    """The functions connected to ``signal`` for every sender, or None when some receiver is
    connected for a particular sender or is gone."""
    found = []
    for (_receiver_id, sender_id), receiver, _is_async in signal.receivers:
        function = receiver() if isinstance(receiver, weakref.ReferenceType) else receiver
        if sender_id != id(None) or function is None:
            return None
        found.append(function)
    return tuple(found)


class Upkeep:
    """``started`` and ``finished`` stand for sending the two signals."""

    def __init__(self):
        self._plans: dict[tuple, bool] = {}

    def _direct(self, signal, moment: str) -> bool:
        """Whether the receivers of ``signal`` now are Django's own upkeep for ``moment``, all of
        it that matters, on a project with one database."""
        # Keyed by the receivers' ids: Django's own are module functions, never collected, so a
        # new receiver reusing a collected one's id can only find a plan that sends the signal.
        key = tuple(entry[0] for entry in signal.receivers)
        plan = self._plans.get((moment, key))
        if plan is None:
            functions = _receivers(signal)
            known = {*_REQUIRED[moment], *_NOTHING_TO_DO[moment]}
            plan = (functions is not None and set(_REQUIRED[moment]) <= set(functions) <= known
                    and [*connections] == [DEFAULT_DB_ALIAS])
            self._plans[(moment, key)] = plan
        return plan

    def started(self, sender, environ) -> None:
        if not self._direct(signals.request_started, "started"):
            signals.request_started.send(sender=sender, environ=environ)
            return
        connection = connections[DEFAULT_DB_ALIAS]
        connection.queries_log.clear()
        connection.close_if_unusable_or_obsolete()

    def finished(self, sender) -> None:
        if not self._direct(signals.request_finished, "finished"):
            signals.request_finished.send(sender=sender)
            return
        connections[DEFAULT_DB_ALIAS].close_if_unusable_or_obsolete()
