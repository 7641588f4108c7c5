import io

import pytest
from django.core.management import call_command

from aftersales.accounts.models import User
from aftersales.centres.models import ServiceCentre


@pytest.fixture
def toronto(db):
    """A Toronto service centre (Canadian holidays, Eastern time) and the shipped service levels."""
    call_command("load-sla-policies", stdout=io.StringIO())
    return ServiceCentre.objects.create(code="to-01", name_en="Toronto", name_zh="多伦多", region="CA",
                                        city="Toronto", timezone="America/Toronto")


@pytest.fixture
def people(db):
    """The owner of the work, their team lead (who reads Chinese) and their manager. No password:
    they are only told, never signed in, and hashing one takes most of a second."""
    return {name: User.objects.create(username=f"{name}-agent", email=f"{name}@service.example",
                                      preferred_language=language)
            for name, language in (("owner", "en"), ("lead", "zh-hans"), ("manager", "en"))}
