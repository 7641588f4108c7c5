"""A file written inside a database transaction is removed again when the transaction rolls back.

Evidence is written to storage before its row, so that a committed row never points at a file
that is not there. Storage is not part of the transaction, though: when the transaction — or
the savepoint the file was written in — rolls back, because a later photo of the same
application was refused or because any later step failed, the row goes and the file would stay,
unreachable, under a case number that may not even exist.

``remove_on_rollback`` ties the file to the transaction through Django's own bookkeeping of
``on_commit`` callbacks: it registers a marker that Django calls when the transaction commits,
and drops uncalled when the transaction, or the savepoint the marker was registered in, rolls
back. A marker dropped uncalled removes its file (and, on the filesystem, the case's folder if
that leaves it empty). The marker learns that it was dropped through ``weakref.finalize``, which
CPython runs as soon as the last reference goes: inside Django's rollback, before ``atomic``
returns to the caller.

One case keeps the file rather than guess: when an earlier ``on_commit`` callback of a
committed transaction raises, Django drops the callbacks after it uncalled although their rows
were committed; the marker sees that commit callbacks were running and leaves the file.
"""

from __future__ import annotations

import logging
import os
import weakref
from dataclasses import dataclass

from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger(__name__)


@dataclass
class _Outcome:
    committed: bool = False


class _KeepOnCommit:
    """The callback Django calls on commit; see the module docstring for what its loss means."""

    def __init__(self, outcome: _Outcome):
        self.outcome = outcome

    def __call__(self) -> None:
        self.outcome.committed = True


def remove_on_rollback(storage: Storage, name: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Remove ``name`` from ``storage`` if the current transaction does not commit."""
    outcome = _Outcome()
    marker = _KeepOnCommit(outcome)
    weakref.finalize(marker, _remove_unless_committed, storage, name, outcome, using)
    transaction.on_commit(marker, using=using)


def _remove_unless_committed(storage: Storage, name: str, outcome: _Outcome, using: str) -> None:
    if outcome.committed or connections[using].run_commit_hooks_on_set_autocommit_on:
        return
    try:
        storage.delete(name)
        _remove_empty_folder(storage, name)
    except Exception:  # noqa: BLE001 — called from Django's rollback, which must not fail for it
        logger.exception("could not remove %s after its transaction rolled back", name)


def _remove_empty_folder(storage: Storage, name: str) -> None:
    try:
        folder = os.path.dirname(storage.path(name))
    except NotImplementedError:
        return  # object storage has keys, not folders
    try:
        os.rmdir(folder)  # only succeeds when empty: another file of the case keeps it
    except OSError:
        pass
