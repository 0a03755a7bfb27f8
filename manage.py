#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from importlib import import_module


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # The settings read the environment: a variable missing or malformed is
        # the operator's to fix, so it is named without a traceback.
        import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except ImproperlyConfigured as error:
        sys.exit(f"manage.py: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
