import pytest

from aftersales.console.conftest import frozen_now, registry  # noqa: F401 (fixtures)
from aftersales.dashboards.testing import planted


@pytest.fixture
def history(registry):  # noqa: F811
    """The known history of ``dashboards.testing.planted``; yields its two centres."""
    return planted()
