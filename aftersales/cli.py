"""The ``aftersales`` command: every management command of the project, plus Django's own.

``aftersales warranty-check --input FILE.jsonl`` is the same as
``python manage.py warranty-check --input FILE.jsonl``; hyphens and underscores are interchangeable.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        if argv and not argv[0].startswith("-"):
            argv[0] = _command_name(argv[0])
        execute_from_command_line(["aftersales", *argv])
    except ImproperlyConfigured as exc:  # a setting the environment must give: say which, no traceback
        print(f"aftersales: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def _command_name(name: str) -> str:
    """Accept ``warranty-check`` and ``warranty_check`` alike, as a person would type either."""
    import django
    from django.core.management import get_commands

    django.setup()
    commands = get_commands()
    for candidate in (name, name.replace("-", "_"), name.replace("_", "-")):
        if candidate in commands:
            return candidate
    return name


if __name__ == "__main__":
    sys.exit(main())
