# The repair-case fixtures (a centre, …) serve here too.
from aftersales.repairs.conftest import centre  # noqa: F401
