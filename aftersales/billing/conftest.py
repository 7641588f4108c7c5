# The repair-case fixtures (a centre, a registered device, a booked case, staff users) serve here too.
from aftersales.repairs.conftest import (  # noqa: F401
    booked,
    centre,
    device,
    diagnosing,
    exec_care,
    staff,
    technician,
)
