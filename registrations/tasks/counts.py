"""The staff's board by country, recounted in the background (services.counts.board)."""

from datetime import date

from django_tasks import task

from ..services import counts


@task()
def recount_board_task(day):
    counts.recount_board(day=date.fromisoformat(day))
