"""Settings for the test suite: the settings every deployment uses, with a secret key of the
suite's own, since ``DEBUG`` is off there as in production and the settings then require one.
The commands the tests start in subprocesses inherit it with the rest of the environment."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-" + "k" * 40)

from aftersales.settings import *  # noqa: E402,F403
