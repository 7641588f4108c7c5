import io

import pytest
from django.core.management import call_command

from aftersales.accounts.roles import Role
from aftersales.centres.models import ServiceCentre
from aftersales.core.testing import role_user


@pytest.fixture
def toronto(db):
    """A Toronto service centre (Canadian holidays, Eastern time) and the shipped service levels."""
    call_command("load-sla-policies", stdout=io.StringIO())
    return ServiceCentre.objects.create(code="to-01", name_en="Toronto", name_zh="多伦多", region="CA",
                                        city="Toronto", timezone="America/Toronto")


@pytest.fixture
def people(db):
    """An executive-care agent who owns the work, their team lead and their manager."""
    out = {}
    for name, language in (("owner", "en"), ("lead", "zh-hans"), ("manager", "en")):
        user = role_user(Role.EXEC_CARE, username=f"{name}-agent")
        user.email, user.preferred_language = f"{name}@service.example", language
        user.save()
        out[name] = user
    return out
