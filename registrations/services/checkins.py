"""Check-ins: people's answers in a crisis ("I'm safe", "I need help", "I want to leave")."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.outbound import LinkInvalid, SignedLink, absolute_url

from ..models import CheckIn, CrisisPerson
from ..models.checkins import CheckInChannel, Reporter
from ..models.crises import PersonStatus
from .evacuations import request_from_answer
from .help_requests import open_from_answer

# The personal link in every crisis message: the citizen's CrisisPerson id, and
# nothing else. No maximum age: it is good until the crisis closes.
CHECKIN_LINK = SignedLink(salt="registrations.checkin")


def checkin_url(person, *, language):
    """The citizen's one-tap answer page for this crisis (GET shows it, POST records), in `language`."""
    with translation.override(language):
        path = reverse("registrations:checkin", kwargs={"token": CHECKIN_LINK.make(person.pk)})
    return absolute_url(path)


class CheckInRefused(Exception):
    """The answer cannot be recorded; `message` says why, in words for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class CrisisClosed(CheckInRefused):
    """The crisis is closed: its links have ended and it takes no more answers."""

    def __init__(self):
        super().__init__(_("This crisis is closed: it takes no more answers."))


# What a person (or a relative) may say: the page's three buttons and the SMS replies 1, 2 and 3.
PERSON_ANSWERS = [PersonStatus.SAFE, PersonStatus.NEEDS_HELP, PersonStatus.WANTS_TO_LEAVE]
# Staff may also record what they found out: no answer to the calls, or gone from the area.
STAFF_ANSWERS = [*PERSON_ANSWERS, PersonStatus.UNREACHABLE, PersonStatus.LEFT_AREA]


def citizen_person_for_link(token):
    """The citizen's CrisisPerson a personal link was made for; LinkInvalid if altered or gone.

    A closed crisis is the caller's to refuse (with its own page); its rows
    are deleted CRISIS_RETENTION_DAYS later, and the link then reads as invalid.
    """
    person_id = CHECKIN_LINK.read(token)
    # The page shows no profile: its encrypted fields are neither joined nor decrypted.
    person = (
        CrisisPerson.objects.citizens()
        .select_related("crisis")
        .filter(pk=person_id if isinstance(person_id, int) else None)
        .first()
    )
    if person is None:
        raise LinkInvalid
    return person


def citizen_person_for_user(user, crisis_id):
    """The signed-in citizen's own row on the crisis's board, or None."""
    return CrisisPerson.objects.citizens().select_related("crisis").filter(crisis_id=crisis_id, citizen=user).first()


def household_on_board(citizen_person):
    """The citizen's row, then the rows of the household members on the same crisis's board (oldest first)."""
    members = (
        CrisisPerson.objects.filter(
            crisis_id=citizen_person.crisis_id, citizen_id=citizen_person.citizen_id, member__isnull=False
        )
        .select_related("member")
        .order_by("member__date_of_birth", "member_id")
    )
    return [citizen_person, *members]


def record_checkin(*, person, status, note="", city="", reporter, channel, recorded_by=None, submission_token=None):
    """Append an answer about `person` and make it their current status; return the CheckIn.

    Everything happens under the person's row lock (select_for_update), so
    answers about one person are recorded one after the other and the status
    on the board is always the latest answer's. The same `submission_token`
    twice (a double click, a phone resending the POST, 40 of them at once)
    records one check-in: the later calls return the first one.

    A "need help" or "want to leave" answer opens a help request, unless the
    person has an open one of that kind (services.help_requests.open_from_answer);
    "want to leave" also asks for a seat (services.evacuations.request_from_answer).
    Raises CrisisClosed once the crisis is closed; answers are never edited.
    """
    status = PersonStatus(status)
    if status not in STAFF_ANSWERS:
        raise ValueError(f"{status!r} is not an answer.")
    if (channel == CheckInChannel.STAFF) != (recorded_by is not None):
        raise ValueError("Staff's answers, and only theirs, name the staff member who recorded them.")
    with transaction.atomic():
        locked = CrisisPerson.objects.select_for_update(of=("self",)).select_related("crisis").get(pk=person.pk)
        if not locked.crisis.is_open:
            raise CrisisClosed
        checkin = CheckIn(
            person=locked,
            status=status,
            note=note.strip(),
            city=city.strip(),
            reporter=reporter,
            channel=channel,
            recorded_by=recorded_by,
            submission_token=submission_token,
            # Taken under the lock: the latest check-in is the one recorded last.
            created_at=timezone.now(),
        )
        # clean_fields checks the choices in Python; the database enforces the constraints (the
        # choices again, and one check-in per page sent) without a query of their own for each.
        checkin.full_clean(exclude=["person", "recorded_by"], validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                checkin.save()
        except IntegrityError:
            # The same page again: the unique constraint decides (with or without row locks), and the
            # first answer stands. A first answer costs no lookup of its own.
            first = None
            if submission_token is not None:
                first = CheckIn.objects.filter(person=locked, submission_token=submission_token).first()
            if first is None:
                raise
            return first
        locked.status = status
        locked.status_changed_at = checkin.created_at
        fields = ["status", "status_changed_at"]
        if checkin.city:
            locked.city = checkin.city
            fields.append("city")
        locked.save(update_fields=fields)
        open_from_answer(checkin=checkin)
        # "I want to leave" asks for a seat in the crisis's operations leaving the person's country.
        request_from_answer(checkin=checkin)
    return checkin


@dataclass
class Answer:
    """One person's answer on the check-in page."""

    person: CrisisPerson
    status: str
    note: str = ""
    city: str = ""


def record_household_answers(*, citizen_person, answers, channel, submission_token, household=None):
    """Record one page's answers: the citizen's own and the household members' they answered for.

    All or nothing, in one transaction. Each person keeps their own status;
    the members' answers are reported by a relative. Returns the check-ins,
    citizen first. `household` is household_on_board(citizen_person), if the
    caller has it already (the page was built from it).
    """
    if channel not in (CheckInChannel.LINK, CheckInChannel.DASHBOARD):
        raise ValueError(f"{channel!r}: the check-in page is reached by a link or from the dashboard.")
    if household is None:
        household = household_on_board(citizen_person)
    household = {person.pk for person in household if person.crisis_id == citizen_person.crisis_id}
    for answer in answers:
        if answer.person.pk not in household:
            raise ValueError(f"{answer.person!r} is not in the household of {citizen_person!r} on this crisis.")
    checkins = {}
    with transaction.atomic():
        # People in id order: two pages sent at once lock the same rows in the same order, and never deadlock.
        for answer in sorted(answers, key=lambda answer: answer.person.pk):
            checkins[answer.person.pk] = record_checkin(
                person=answer.person,
                status=answer.status,
                note=answer.note,
                city=answer.city,
                reporter=Reporter.PERSON if answer.person.member_id is None else Reporter.RELATIVE,
                channel=channel,
                submission_token=submission_token,
            )
    return [checkins[answer.person.pk] for answer in answers]


# SMS replies: "1", "2" or "3" (a dot or spaces around it forgiven), as the SMS asks.
SMS_REPLIES = {"1": PersonStatus.SAFE, "2": PersonStatus.NEEDS_HELP, "3": PersonStatus.WANTS_TO_LEAVE}
_SMS_REPLY = r"\s*([123])[\s.!)]*"


def record_sms_reply(*, from_number, body, provider_message_id):
    """Record an SMS sent to the portal's number; return its InboundMessage. Never loses one.

    A "1/2/3" from the phone number of exactly one citizen on an open crisis's
    board is their own check-in (never their household's: the SMS speaks for
    whoever holds the phone), in the crisis that messaged them last. Anything
    else (an unknown or shared number, other text) waits in the staff's inbox.
    The provider's message id makes it idempotent: a webhook delivered twice
    records one message and one check-in.
    """
    # Imported here: the rest of this module is the check-in work's, and keeps its own imports.
    import re
    import uuid

    from django.db.models import F

    from ..models import InboundMessage
    from ..models.broadcasts import InboundStatus
    from ..models.crises import CrisisStatus

    with transaction.atomic():
        message, created = InboundMessage.objects.get_or_create(
            provider_message_id=provider_message_id,
            defaults={"from_number": from_number[:20], "body": body, "status": InboundStatus.NEEDS_STAFF},
        )
        if not created:
            return message
        people = list(
            CrisisPerson.objects.citizens()
            .filter(crisis__status=CrisisStatus.OPEN, citizen__citizen_profile__phone=from_number)
            .order_by(F("first_messaged_at").desc(nulls_last=True), "-crisis__opened_at", "-pk")
        )
        if len({person.citizen_id for person in people}) != 1:
            return message  # Nobody's, or several citizens': staff decide.
        message.person = people[0]
        match = re.fullmatch(_SMS_REPLY, body)
        if match:
            message.checkin = record_checkin(
                person=people[0],
                status=SMS_REPLIES[match.group(1)],
                reporter=Reporter.PERSON,
                channel=CheckInChannel.SMS,
                submission_token=uuid.uuid5(uuid.NAMESPACE_URL, f"sms:{provider_message_id}"),
            )
            message.status = InboundStatus.RECORDED
        message.save(update_fields=["person", "checkin", "status"])
    return message
