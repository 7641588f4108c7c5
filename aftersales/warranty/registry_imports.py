"""Registry imports in the background: a file uploaded in the console is imported by the worker
(``db_worker``), and the console follows how far it has come.

``registry_import_start`` keeps the file in a ``RegistryImport`` row and queues the task once
the row is committed; the task calls ``registry_import_run``, which imports it through the same
service as the command line (``registry.devices_import_csv``: every row checked before any is
written, so a file with wrong rows changes nothing) and writes its progress on the row as it
goes: rows checked of all rows, then the writing, then the outcome — devices created and
updated, or every wrong row with what to correct in English and Chinese, or the reason the whole
file was refused. A run that meets a fault of ours still ends its row, in words, so the page
following it stops waiting; the fault itself goes on to the worker's log. The file's bytes are
dropped when the run ends: the outcome is what is kept.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.db import transaction

from aftersales.core.errors import AppError
from aftersales.core.slots import TaskSlot
from aftersales.warranty.models import ImportState, RegistryImport
from aftersales.warranty.registry import devices_import_csv

RUN = TaskSlot("registry import")  # filled by warranty.tasks.registry_import
ERRORS_KEPT = 1000  # row errors kept for the page; a file wrong on more rows is wrong throughout
FAULT = (("The import stopped because of a fault on our side. Nothing was imported. Try again later, "
          "or tell the system administrator if it happens again."),
         "导入因系统故障中止，未导入任何数据。请稍后重试；如再次发生，请告知系统管理员。")


@transaction.atomic
def registry_import_start(*, file_name: str, data: bytes, user, now: dt.datetime) -> RegistryImport:
    """Keep the file and queue its import; the worker starts it once this transaction commits."""
    run = RegistryImport.objects.create(file_name=file_name[:255], data=data, started_by=user, started_at=now)
    transaction.on_commit(functools.partial(RUN.enqueue, run.pk))
    return run


def registry_import_run(*, import_id: int, now: dt.datetime) -> str:
    """Import the file of one ``RegistryImport``; returns its final state. Running it again after
    it has ended does nothing."""
    run = RegistryImport.objects.filter(pk=import_id).first()
    if run is None or run.finished:
        return run.state if run else "missing"
    _save(run, state=ImportState.RUNNING)
    try:
        result = devices_import_csv(data=bytes(run.data), progress=functools.partial(_progress, run))
    except AppError as exc:
        _end(run, now, state=ImportState.REFUSED, refusal_en=exc.en, refusal_zh=exc.zh)
    except Exception:
        _end(run, now, state=ImportState.FAILED, refusal_en=FAULT[0], refusal_zh=FAULT[1])
        raise
    else:
        counted = {"rows_done": result.rows, "rows_total": result.rows}
        if result.ok:
            _end(run, now, state=ImportState.DONE, created=result.created, updated=result.updated, **counted)
        else:
            errors = [{"row": e.row, "en": e.en, "zh": e.zh} for e in result.errors[:ERRORS_KEPT]]
            _end(run, now, state=ImportState.REFUSED, error_rows=len({e.row for e in result.errors}),
                 errors=errors, **counted)
    return run.state


def _progress(run: RegistryImport, done: int, total: int) -> None:
    """Rows checked, every thousand and once all are right (``devices_import_csv`` counts the
    checking and the writing in one ``total``, half each). The writing is one transaction, so
    its own steps are not told: what it writes becomes visible all at once."""
    rows = total // 2
    if done <= rows:
        _save(run, rows_done=done, rows_total=rows)


def _end(run: RegistryImport, now: dt.datetime, **fields) -> None:
    _save(run, data=b"", finished_at=now, **fields)


def _save(run: RegistryImport, **fields) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    RegistryImport.objects.filter(pk=run.pk).update(**fields)
