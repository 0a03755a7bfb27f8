"""The registrations' background tasks, one module per domain (run by `manage.py db_worker`)."""
