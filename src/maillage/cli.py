"""The `maillage` command: Django's manage.py verbs plus the project's own.

Project verbs may be spelt with hyphens (`maillage load-reference`); they map to the
management command of the same name with underscores.
"""

import os
import sys


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    from maillage.core.scoping import scopes_disabled

    # Commands (worker, scheduler, demo builders, imports) read across organisations; a request
    # served by `maillage serve`/`demo` opens its own scope in `ScopeMiddleware`.
    with scopes_disabled():
        execute_from_command_line(argv)


if __name__ == "__main__":
    main()
