"""The manifest: who goes, in which order, on which seat; the bus door; the people on it and how they hear from us.

The lowest of the evacuation services (evacuations.py and seat_offers.py build
on it). Never overbooked (the database's part is in models/evacuations.py).
Every write that hands out, frees or moves a seat runs in a transaction that
first locks the operation's row and then the transport's row
(`lock_transport`), always in that order, so that two writers never deadlock:
- the operation's lock serialises its queue: a household offered seats on one
  bus is no longer "next" for another bus offered at the same moment;
- the transport's lock serialises its seats: the free seats counted are
  still free when they are given.
SQLite has no row locks; there a writing transaction locks the whole file,
which serialises them as well.

Messages to people (offers, changes) leave through `send_to_citizen`, the
one place to switch to the crisis broadcasts once they can address chosen
people: today services/broadcasts.py sends to an audience rule only.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.outbound import queue_email

from ..models import CrisisPerson, Evacuation, ManifestEntry, SeatOffer, Transport
from ..models.crises import PersonStatus
from ..models.evacuations import HOLDS_A_SEAT, OPEN_ENTRY, ManifestStatus, OfferStatus, Priority, RequestSource

ADULT_AGE = 18
ELDERLY_AGE = 65


class EvacuationRefused(Exception):
    """The change cannot be made; `message` says why, in words for the officer or the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotEnoughSeats(EvacuationRefused):
    def __init__(self):
        super().__init__(_("Not enough free seats on this transport for everyone chosen."))


def lock_transport(transport):
    """Lock the transport's operation, then the transport (see the module's docstring); return both, fresh."""
    evacuation = Evacuation.objects.select_for_update().get(pk=transport.evacuation_id)
    return evacuation, Transport.objects.select_for_update().get(pk=transport.pk)


def free_seats(transport):
    """The transport's seats nobody holds, lowest first."""
    held = ManifestEntry.objects.filter(transport=transport, seat__isnull=False).values("seat_id")
    return transport.seats.exclude(pk__in=held).order_by("number")


# The people on the board. -------------------------------------------------------------------------------------------


def _age(born, today):
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def profile_of(person):
    """The citizen's profile behind a person on the board, or None."""
    try:
        return person.citizen.citizen_profile
    except ObjectDoesNotExist:
        return None


def person_name(person):
    """The person's name as staff and the passenger list read it."""
    if person.member_id:
        return person.member.full_name
    profile = profile_of(person)
    return profile.latin_name if profile else person.citizen.email


def language_of(person):
    profile = profile_of(person)
    return profile.preferred_language if profile else settings.LANGUAGE_CODE


def send_to_citizen(*, recipient, email, context, sms_template):
    """Email (and, to a known phone, SMS) one citizen in their language; sent once the transaction commits.

    The one way evacuation messages leave: switch it to the crisis broadcasts
    when they can address chosen people.
    """
    from ..tasks.evacuations import send_sms

    language = language_of(recipient)
    queue_email(email, to=recipient.citizen.email, language=language, context=context)
    profile = profile_of(recipient)
    if profile and profile.phone:
        with translation.override(language):
            body = " ".join(render_to_string(sms_template, context).split())
        transaction.on_commit(lambda: send_sms.enqueue(to=profile.phone, body=body))


# Who goes, and in which order. --------------------------------------------------------------------------------------


def request_seat(*, evacuation, person, source, added_by=None):
    """Put the person, with their household on the crisis board in the operation's country, in its queue.

    A household travels together, so it asks together. Idempotent: people
    who already have an open entry keep it. Returns how many joined.
    """
    if not evacuation.is_offering:
        raise EvacuationRefused(_("This operation has ended: it takes no more requests."))
    if person.crisis_id != evacuation.crisis_id or person.country != evacuation.from_country:
        raise EvacuationRefused(_("This person is not among the crisis's people in the operation's country."))
    household = CrisisPerson.objects.filter(
        crisis_id=evacuation.crisis_id, citizen_id=person.citizen_id, country=evacuation.from_country
    )
    now = timezone.now()
    with transaction.atomic():
        waiting = set(
            evacuation.entries.filter(person__in=household, status__in=OPEN_ENTRY).values_list("person_id", flat=True)
        )
        new = [
            ManifestEntry(
                evacuation=evacuation,
                person_id=member_id,
                source=source,
                requested_at=now,
                added_by=added_by,
                status_changed_at=now,
                status_changed_by=added_by,
            )
            for member_id in household.values_list("pk", flat=True)
            if member_id not in waiting
        ]
        for entry in new:
            entry.full_clean(exclude=["evacuation", "person", "added_by", "status_changed_by"], validate_unique=False)
        # Two answers of one household at once: the partial unique constraint keeps one entry each.
        ManifestEntry.objects.bulk_create(new, ignore_conflicts=True)
        refresh_priorities(evacuation, citizen_ids=[person.citizen_id])
    return len(new)


def request_from_answer(*, checkin):
    """A "want to leave" answer asks for a seat in every operation taking people out of the person's country."""
    if checkin.status != PersonStatus.WANTS_TO_LEAVE:
        return 0
    person = checkin.person
    operations = Evacuation.objects.taking_requests().filter(crisis_id=person.crisis_id, from_country=person.country)
    return sum(
        request_seat(evacuation=evacuation, person=person, source=RequestSource.PERSON) for evacuation in operations
    )


def request_seats_for_everyone_leaving(*, evacuation, added_by=None):
    """Everyone on the crisis board in the operation's country who said they want to leave joins its queue."""
    if not evacuation.is_offering:
        return 0
    leaving = (
        CrisisPerson.objects.filter(
            crisis_id=evacuation.crisis_id, country=evacuation.from_country, status=PersonStatus.WANTS_TO_LEAVE
        )
        .order_by("citizen_id", "pk")
        .distinct()
    )
    joined, households = 0, set()
    for person in leaving:
        if person.citizen_id not in households:
            households.add(person.citizen_id)
            joined += request_seat(evacuation=evacuation, person=person, source=RequestSource.PERSON, added_by=added_by)
    return joined


def _facts(person, today):
    """(age or None, whether they gave medical or mobility needs with their consent)."""
    if person.member_id:
        member = person.member
        return _age(member.date_of_birth, today), bool(member.needs_consent_at and member.needs.strip())
    profile = profile_of(person)
    if profile is None:
        return None, False
    needs = (profile.medical_needs + profile.mobility_needs).strip()
    return _age(profile.date_of_birth, today), bool(profile.needs_consent_at and needs)


def party_key(entry):
    """Who is offered seats together: the household, or one person staff split from it."""
    return ("apart", entry.pk) if entry.travels_separately else ("household", entry.person.citizen_id)


def priority_reasons(entries, *, today):
    """[{"level", "person", "age"?}]: every fact that moves this party up, one per person and fact."""
    facts = [(entry, *_facts(entry.person, today)) for entry in entries]
    has_adult = any(age is None or age >= ADULT_AGE for _entry, age, _needs in facts)
    reasons = []
    for entry, age, _needs in facts:
        if age is not None and age < ADULT_AGE:
            level = Priority.MINOR_WITH_FAMILY if has_adult else Priority.UNACCOMPANIED_MINOR
            reasons.append({"level": level, "person": entry.person_id, "age": age})
    for entry, age, _needs in facts:
        if age is not None and age >= ELDERLY_AGE:
            reasons.append({"level": Priority.ELDERLY, "person": entry.person_id, "age": age})
    reasons += [{"level": Priority.NEEDS, "person": entry.person_id} for entry, _age, needs in facts if needs]
    reasons += [{"level": Priority.PREGNANCY, "person": entry.person_id} for entry, *_ in facts if entry.pregnant]
    return [{**reason, "level": int(reason["level"])} for reason in reasons]


def _waiting(evacuation):
    return evacuation.entries.filter(status=ManifestStatus.REQUESTED).select_related(
        "person__member", "person__citizen__citizen_profile"
    )


def _parties(entries):
    grouped = defaultdict(list)
    for entry in entries:
        grouped[party_key(entry)].append(entry)
    return list(grouped.values())


def refresh_priorities(evacuation, *, citizen_ids=None):
    """Compute the level and reasons of the waiting entries (of these households only, if given)."""
    today = timezone.localdate()
    entries = _waiting(evacuation)
    if citizen_ids is not None:
        entries = entries.filter(person__citizen_id__in=citizen_ids)
    changed = []
    for party in _parties(entries):
        reasons = priority_reasons(party, today=today)
        level = min((reason["level"] for reason in reasons), default=Priority.OTHERS)
        for entry in party:
            if (entry.priority_level, entry.priority_reasons) != (level, reasons):
                entry.priority_level, entry.priority_reasons = level, reasons
                changed.append(entry)
    ManifestEntry.objects.bulk_update(changed, ["priority_level", "priority_reasons"])


@dataclass
class Party:
    """A household (or one person split from it) waiting for seats, with its place in the queue."""

    entries: list

    @property
    def adjustment(self):
        return max(entry.priority_adjustment for entry in self.entries)

    @property
    def level(self):
        return min(entry.priority_level for entry in self.entries)

    @property
    def requested_at(self):
        return min(entry.requested_at for entry in self.entries)

    def sort_key(self):
        return (-self.adjustment, self.level, self.requested_at, min(entry.pk for entry in self.entries))

    def reasons(self):
        """Why the party is where it is, in words for staff."""
        return reasons_in_words(self.entries)


def reasons_in_words(entries):
    """Why these entries (a party, or one person of it) are where they are in the queue, in words for staff."""
    names = {entry.person_id: person_name(entry.person) for entry in entries}
    reasons = entries[0].priority_reasons
    others = {reason["person"] for reason in reasons} - set(names)
    for person in CrisisPerson.objects.filter(pk__in=others).select_related("member", "citizen__citizen_profile"):
        names[person.pk] = person_name(person)
    texts = [explain(reason, names) for reason in reasons]
    adjusted = next((entry for entry in entries if entry.priority_adjustment), None)
    if adjusted is not None:
        texts.insert(0, f"{adjusted.get_priority_adjustment_display()}: {adjusted.adjustment_reason}")
    return texts or [str(Priority.OTHERS.label)]


def explain(reason, names):
    level = Priority(reason["level"])
    who = names.get(reason.get("person"), "")
    if "age" in reason:
        return _("%(reason)s: %(name)s, %(age)d") % {"reason": level.label, "name": who, "age": reason["age"]}
    return _("%(reason)s: %(name)s") % {"reason": level.label, "name": who}


def queue(evacuation, *, user=None):
    """The parties waiting for seats, first to be offered first."""
    entries = _waiting(evacuation)
    if user is not None:
        entries = entries.visible_to(user)
    return sorted((Party(entries) for entries in _parties(entries)), key=Party.sort_key)


def update_entry(*, entry, pregnant, adjustment, adjustment_reason, travels_separately, separation_reason):
    """Staff's changes to a request: pregnancy, a raised or lowered priority (with a reason), a split household.

    A raised or lowered priority applies to everyone travelling together.
    """
    with transaction.atomic():
        entry.pregnant = pregnant
        entry.travels_separately = travels_separately
        entry.separation_reason = separation_reason.strip() if travels_separately else ""
        entry.priority_adjustment = adjustment
        entry.adjustment_reason = adjustment_reason.strip() if adjustment else ""
        entry.full_clean(exclude=["evacuation", "person", "transport", "seat", "offer", "added_by"])
        fields = [
            "pregnant",
            "travels_separately",
            "separation_reason",
            "priority_adjustment",
            "adjustment_reason",
        ]
        entry.save(update_fields=fields)
        if not entry.travels_separately:
            entry.evacuation.entries.filter(
                person__citizen_id=entry.person.citizen_id, travels_separately=False, status=ManifestStatus.REQUESTED
            ).update(priority_adjustment=entry.priority_adjustment, adjustment_reason=entry.adjustment_reason)
        refresh_priorities(entry.evacuation, citizen_ids=[entry.person.citizen_id])
    return entry


# The bus door. ------------------------------------------------------------------------------------------------------

# The marks staff make at the door, and the statuses each may follow ("back to confirmed" undoes a mistake).
DOOR_MOVES = {
    ManifestStatus.BOARDED: [
        ManifestStatus.CONFIRMED,
        ManifestStatus.OFFERED,
        ManifestStatus.NO_SHOW,
        ManifestStatus.ARRIVED,
    ],
    ManifestStatus.ARRIVED: [ManifestStatus.BOARDED],
    ManifestStatus.NO_SHOW: [ManifestStatus.CONFIRMED, ManifestStatus.OFFERED],
    ManifestStatus.CONFIRMED: [ManifestStatus.BOARDED, ManifestStatus.NO_SHOW],
}


def mark(*, entry, status, officer):
    """Mark a person boarded, arrived or not shown up (or back to confirmed); returns the entry.

    Someone offered a seat who turns up at the door boards: that is their
    yes. A no-show frees the seat; one who turns up after all needs a free seat.
    """
    status = ManifestStatus(status)
    with transaction.atomic():
        _evacuation, transport = lock_transport(entry.transport)
        locked = ManifestEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
        if locked.status not in DOOR_MOVES.get(status, []):
            raise EvacuationRefused(
                _("%(name)s is %(status)s: that cannot be changed here.")
                % {"name": person_name(locked.person), "status": locked.get_status_display().lower()}
            )
        if status in HOLDS_A_SEAT and locked.seat_id is None:
            locked.seat = free_seats(transport).first()
            if locked.seat is None:
                raise NotEnoughSeats
        if status not in HOLDS_A_SEAT:
            locked.seat = None
        was_offered = locked.status == ManifestStatus.OFFERED
        locked.status, locked.status_changed_at, locked.status_changed_by = status, timezone.now(), officer
        locked.full_clean(exclude=["evacuation", "person", "transport", "seat", "offer", "added_by"])
        locked.save(update_fields=["status", "seat", "status_changed_at", "status_changed_by"])
        if was_offered and locked.offer_id and not locked.offer.entries.filter(status=ManifestStatus.OFFERED).exists():
            # Everyone offered has now been seen at the door: the offer has its answer.
            SeatOffer.objects.filter(pk=locked.offer_id, status=OfferStatus.OPEN).update(
                status=OfferStatus.ACCEPTED, answered_at=timezone.now()
            )
    return locked
