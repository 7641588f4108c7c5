"""Slots: a function or background task that a lower module calls, filled by the higher module
that defines it.

A service that queues work for later (send this message, check this case on day 60) must not
import the task that does the work when that task in turn calls the service; nor may the message
sender import the repair report it attaches when the report's app writes the messages. Either
way the modules would import each other. So the lower module declares a slot, the higher one
registers its function or task in it (``@SLOT.register``, or ``SLOT.register(fn)`` in its app's
``ready()``), and every process has it filled before any request or task runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


class Slot:
    def __init__(self, name: str):
        self.name = name
        self._filled: Any = None

    def register(self, thing):
        self._filled = thing
        return thing

    @property
    def filled(self):
        if self._filled is None:
            raise RuntimeError(f"nothing is registered to {self.name}")
        return self._filled

    def __call__(self, *args, **kwargs):
        return self.filled(*args, **kwargs)


class TaskSlot(Slot):
    """A slot for a django-tasks task."""

    def enqueue(self, *args, run_after: dt.datetime | None = None) -> None:
        task = self.filled
        (task.using(run_after=run_after) if run_after else task).enqueue(*args)
