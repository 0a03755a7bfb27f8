"""The one-tap answer page of a crisis: reached from the personal link in a message, or from the dashboard.

GET only shows the page: mail scanners and link previews open every link
in a message before the person does, and must record nothing. The answer
is recorded by the POST of the page's one button. The link needs no sign-in
(people in a war zone have no time for passwords): its signed token is the
citizen's CrisisPerson id, the only thing it carries, and it ends when the
crisis closes.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.outage import runs_twice_safely
from portal.outbound import LinkInvalid

from ..forms.checkins import HouseholdAnswerForm
from ..models.checkins import CheckInChannel
from ..models.crises import PersonStatus
from ..services import checkins
from .base import personal_page

_GET_OR_POST = require_http_methods(["GET", "HEAD", "POST"])


@runs_twice_safely  # the page's submission token: answers sent twice are recorded once
@never_cache
@_GET_OR_POST
def answer_by_link(request, token):
    """The personal link in a crisis message: no sign-in; an altered or outdated token answers 404."""
    try:
        citizen_person = checkins.citizen_person_for_link(token)
    except LinkInvalid:
        return render(request, "registrations/checkin_unavailable.html", {"invalid": True}, status=404)
    return _answer_page(request, citizen_person, channel=CheckInChannel.LINK)


@runs_twice_safely
@personal_page
@_GET_OR_POST
def answer_from_dashboard(request, crisis_id):
    """The same page for the signed-in citizen, from the dashboard's banner; only their own row, 404 otherwise."""
    citizen_person = checkins.citizen_person_for_user(request.user, crisis_id)
    if citizen_person is None:
        raise Http404
    return _answer_page(request, citizen_person, channel=CheckInChannel.DASHBOARD)


def _answer_page(request, citizen_person, *, channel):
    crisis = citizen_person.crisis
    if not crisis.is_open:
        return _closed(request, crisis)
    people = checkins.household_on_board(citizen_person)
    if request.method == "POST":
        form = HouseholdAnswerForm(request.POST, people=people)
        if form.is_valid():
            try:
                recorded = checkins.record_household_answers(
                    citizen_person=citizen_person,
                    answers=form.answers(),
                    channel=channel,
                    submission_token=form.token(),
                    household=people,
                )
            except checkins.CrisisClosed:
                return _closed(request, crisis)
            return _confirmation(request, crisis, people, recorded)
    else:
        form = HouseholdAnswerForm(people=people)
    return render(request, "registrations/checkin.html", {"crisis": crisis, "form": form})


def _closed(request, crisis):
    # 410 Gone: the link was genuine, and has ended with the crisis.
    return render(request, "registrations/checkin_unavailable.html", {"crisis": crisis}, status=410)


def _confirmation(request, crisis, people, recorded):
    by_person = {checkin.person_id: checkin for checkin in recorded}
    rows = [(person, by_person.get(person.pk)) for person in people]
    asked_for_help = any(
        checkin.status in (PersonStatus.NEEDS_HELP, PersonStatus.WANTS_TO_LEAVE) for checkin in recorded
    )
    return render(
        request,
        "registrations/checkin_done.html",
        {"crisis": crisis, "rows": rows, "asked_for_help": asked_for_help, "again_url": request.path},
    )
