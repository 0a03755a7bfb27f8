"""Help requests: the cases staff work on in a crisis, one owner at a time.

A case opens from a "need help" or "want to leave" answer, or when staff
record a phone call. A person has at most one open case of each kind, so
that nobody works the same case twice unknowingly:
- a repeated answer opens nothing: the answer is kept as a check-in of the
  person, and the open case's page lists every answer given since;
- a case staff record while one of that kind is open is kept, closed as
  a duplicate linked to the open one (`duplicate_of`): linked, not lost.

Every change takes the request's row lock first (select_for_update): two
officers pressing "claim" at the same moment are served one after the
other, and the second is told who owns the case.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import HelpRequest, HelpRequestNote
from ..models.crises import PersonStatus
from ..models.help_requests import OPEN_HELP_STATUSES, HelpKind, HelpStatus

# The answers that open a case, and the kind of case each opens.
HELP_KIND_OF_STATUS = {
    PersonStatus.NEEDS_HELP: HelpKind.NEEDS_HELP,
    PersonStatus.WANTS_TO_LEAVE: HelpKind.WANTS_TO_LEAVE,
}


class HelpRequestRefused(Exception):
    """The change cannot be made; `message` says why, in words for the officer."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class AlreadyClaimed(HelpRequestRefused):
    """Someone else owns the case."""

    def __init__(self, owner):
        super().__init__(_("Already claimed by %(owner)s: ask them before you act on it.") % {"owner": owner})
        self.owner = owner


def _locked(help_request):
    # No join: after waiting for the lock, PostgreSQL rereads the locked row but not the rows joined to it,
    # so a joined owner would still be the one from before the wait (none, when the other officer claimed it).
    return HelpRequest.objects.select_for_update().get(pk=help_request.pk)


def _refuse_if_closed(request):
    if request.status not in OPEN_HELP_STATUSES:
        raise HelpRequestRefused(
            _("This request is %(status)s: nothing more can be done on it.")
            % {"status": request.get_status_display().lower()}
        )


def _refuse_if_owned_by_another(request, officer):
    if request.owner_id is not None and request.owner_id != officer.pk:
        raise AlreadyClaimed(request.owner)


def open_request_of(person, kind):
    """The person's oldest open request of `kind`, or None."""
    return HelpRequest.objects.filter(person=person, kind=kind).still_open().order_by("created_at", "id").first()


def _create(*, person, kind, summary, source_checkin=None):
    """A new case, or a duplicate linked to the person's open case of the same kind. Call under the person's lock."""
    original = open_request_of(person, kind)
    request = HelpRequest(
        crisis_id=person.crisis_id,
        person=person,
        kind=kind,
        summary=summary,
        source_checkin=source_checkin,
        created_at=timezone.now(),
    )
    if original is not None:
        request.status = HelpStatus.DUPLICATE
        request.duplicate_of = original
    request.full_clean()
    request.save()
    return request


def open_from_answer(*, checkin):
    """The case a "need help" or "want to leave" answer opens; None for other answers, or if one is open already.

    Called by the check-in service under the person's row lock. A repeated
    answer opens nothing new: the answer itself is kept (check-ins are
    append-only) and the open case's page lists every answer the person gave
    since, so an officer sees the latest note without a second case to close.
    """
    kind = HELP_KIND_OF_STATUS.get(checkin.status)
    if kind is None or open_request_of(checkin.person, kind) is not None:
        return None
    return _create(person=checkin.person, kind=kind, summary=checkin.note, source_checkin=checkin)


def create_by_staff(*, person, kind, summary, created_by):
    """A case recorded by staff (after a phone call). If the person has an open case of that kind,
    the new one is kept as its duplicate: linked, not lost, and not worked twice."""
    from ..models import CrisisPerson

    if not person.crisis.is_open:
        raise HelpRequestRefused(_("The crisis is closed: it takes no new help requests."))
    with transaction.atomic():
        # The same lock as the check-in service's: an answer and a call arriving together open one case.
        locked_person = CrisisPerson.objects.select_for_update(of=("self",)).get(pk=person.pk)
        return _create(person=locked_person, kind=kind, summary=summary)


def claim(*, help_request, officer):
    """The officer takes the case: it is theirs until resolved. Refused if someone else owns it."""
    with transaction.atomic():
        request = _locked(help_request)
        _refuse_if_closed(request)
        _refuse_if_owned_by_another(request, officer)
        if request.owner_id is None:
            request.owner = officer
            request.claimed_at = timezone.now()
            request.status = HelpStatus.ASSIGNED
            request.save(update_fields=["owner", "claimed_at", "status", "updated_at"])
        return request


def release(*, help_request, officer):
    """The owner gives the case back (to be claimed by someone else)."""
    with transaction.atomic():
        request = _locked(help_request)
        _refuse_if_closed(request)
        _refuse_if_owned_by_another(request, officer)
        request.owner = None
        request.claimed_at = None
        request.status = HelpStatus.NEW
        request.save(update_fields=["owner", "claimed_at", "status", "updated_at"])
        return request


def start(*, help_request, officer):
    """Work begins. An unowned case becomes the officer's first; someone else's is refused."""
    with transaction.atomic():
        request = claim(help_request=help_request, officer=officer)
        request.status = HelpStatus.IN_PROGRESS
        request.save(update_fields=["status", "updated_at"])
        return request


def resolve(*, help_request, officer, note=""):
    """The case is done. An unowned case becomes the officer's first; someone else's is refused."""
    with transaction.atomic():
        request = claim(help_request=help_request, officer=officer)
        request.status = HelpStatus.RESOLVED
        request.resolved_at = timezone.now()
        request.save(update_fields=["status", "resolved_at", "updated_at"])
        if note.strip():
            add_note(help_request=request, author=officer, text=note)
        return request


def mark_duplicate(*, help_request, original, officer):
    """`help_request` is the same case as `original` (same person): it is closed and linked to it, not deleted.

    Requests already marked as duplicates of `help_request` move to `original`,
    so every duplicate points at the case actually worked.
    """
    if help_request.pk == original.pk:
        raise HelpRequestRefused(_("A request cannot be a duplicate of itself."))
    with transaction.atomic():
        # Both rows, in a fixed order: two officers linking the same pair the other way round cannot deadlock.
        rows = {
            row.pk: row
            for row in HelpRequest.objects.select_for_update()
            .filter(pk__in=[help_request.pk, original.pk])
            .order_by("pk")
        }
        request, original = rows[help_request.pk], rows[original.pk]
        _refuse_if_closed(request)
        _refuse_if_owned_by_another(request, officer)
        if original.person_id != request.person_id:
            raise HelpRequestRefused(_("Only a request of the same person can be the original."))
        if original.status == HelpStatus.DUPLICATE:
            original = original.duplicate_of
        if original is None or original.pk == request.pk:
            raise HelpRequestRefused(_("That request is already a duplicate of this one."))
        request.status = HelpStatus.DUPLICATE
        request.duplicate_of = original
        request.save(update_fields=["status", "duplicate_of", "updated_at"])
        HelpRequest.objects.filter(duplicate_of=request).update(duplicate_of=original, updated_at=timezone.now())
        return request


def add_note(*, help_request, author, text):
    """A note on the case: what was done or learned. Notes are added, never edited."""
    note = HelpRequestNote(request=help_request, author=author, text=text.strip(), created_at=timezone.now())
    try:
        note.full_clean()
    except ValidationError as error:
        raise HelpRequestRefused(_("Write the note first.")) from error
    note.save()
    return note


# How long a case has waited, as the list shows it: the colour repeats the words, never replaces them.


@dataclass(frozen=True)
class AgeBand:
    name: str  # the CSS class's suffix
    label: str
    up_to: timedelta | None


AGE_BANDS = [
    AgeBand("fresh", _("under 1 hour"), timedelta(hours=1)),
    AgeBand("waiting", _("1 to 6 hours"), timedelta(hours=6)),
    AgeBand("overdue", _("over 6 hours"), None),
]


def age_band(age):
    """The AgeBand of a case that has waited `age` (a timedelta)."""
    for band in AGE_BANDS:
        if band.up_to is None or age < band.up_to:
            return band
    return AGE_BANDS[-1]
