"""Background tasks of the warranty app (django-tasks; run by ``db_worker``)."""

from django_tasks import task

from aftersales.core import clock
from aftersales.warranty.registry_imports import RUN, registry_import_run


@RUN.register
@task()
def registry_import(import_id: int) -> str:
    """Import one uploaded registry file (``registry_imports``); safe to run twice."""
    return registry_import_run(import_id=import_id, now=clock.now())
