"""The migration that starts the conversation brings the replies customers wrote before it along."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aftersales.notifications.conftest import NOW
from aftersales.repairs.models import CustomerMessage


@pytest.mark.django_db(transaction=True)
def test_replies_written_before_the_conversation_join_the_thread_as_the_customers_messages(case):
    # given two replies kept the earlier way
    CustomerMessage.objects.create(case=case, text="Is it fixed yet?", at=NOW)
    CustomerMessage.objects.create(case=case, text="请尽快联系我。", at=NOW)
    executor = MigrationExecutor(connection)
    executor.migrate([("conversation", "0001_messages")])
    # when the migration runs
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("conversation", "0002_earlier_replies")])
    # then both are the customer's messages on the case, shown to them, in the case's language
    apps = executor.loader.project_state([("conversation", "0002_earlier_replies")]).apps
    rows = apps.get_model("conversation", "Message").objects.filter(case_id=case.pk).order_by("id")
    assert [(m.body, m.author_kind, m.visibility, m.language) for m in rows] == [
        ("Is it fixed yet?", "customer", "customer", "zh-hans"), ("请尽快联系我。", "customer", "customer", "zh-hans")]
