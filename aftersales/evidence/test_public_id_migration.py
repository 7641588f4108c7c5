"""The migration that gives evidence its random public id fills one for every existing file."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aftersales.evidence.conftest import photo, two_tone
from aftersales.evidence.test_evidence_add import add


@pytest.mark.django_db(transaction=True)
def test_every_existing_file_gets_its_own_public_id(cn_case):
    # given two files stored before public ids existed
    pks = [add(cn_case, photo(picture=two_tone(size)), name=f"{n}.jpg").evidence.pk
           for n, size in enumerate([(30, 20), (40, 20)])]
    executor = MigrationExecutor(connection)
    executor.migrate([("evidence", "0001_initial")])
    # when the migration runs
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("evidence", "0002_public_id")])
    # then each has an id of its own
    apps = executor.loader.project_state([("evidence", "0002_public_id")]).apps
    ids = list(apps.get_model("evidence", "Evidence").objects.filter(pk__in=pks).values_list("public_id", flat=True))
    assert len(ids) == 2 and None not in ids and len(set(ids)) == 2
