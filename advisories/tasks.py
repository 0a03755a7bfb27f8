"""Background work of the advisories app, run by `manage.py db_worker`."""

from django_tasks import task

from .subscriptions.services import deliver_major_update


@task()
def mail_major_update(edition_id):
    """Email a published major edition to the confirmed followers of its country and of all countries.

    Enqueued by the publish service once its transaction has committed. Safe
    to run again: each subscriber is mailed at most once per edition.
    """
    return deliver_major_update(edition_id=edition_id)
