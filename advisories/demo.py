"""Demonstration advisories and missions; called by `manage.py load_demo_data`."""


def load(*, stdout):
    stdout.write("Advisories and missions: none yet.")
