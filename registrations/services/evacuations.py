"""Evacuations: who goes, in which order, on which seat; offers that go round by themselves; the bus door.

Never overbooked (the database's part is in models/evacuations.py). Every
write that hands out, frees or moves a seat runs in a transaction that first
locks the operation's row and then the transport's row (select_for_update),
always in that order, so that two writers never deadlock:
- the operation's lock serialises its queue: a household offered seats on one
  bus is no longer "next" for another bus offered at the same moment;
- the transport's lock serialises its seats: the free seats counted are
  still free when they are given.
SQLite has no row locks; there a writing transaction locks the whole file,
which serialises them as well.

Freed seats go round without staff: a declined offer offers its seats to
the next people at once, and `expire_seat_offers` (cron, every few minutes)
ends the offers past their deadline the same way and offers any seat still
free on a transport whose seats are being offered.

Messages to people (offers, changes) leave through `send_to_citizen`, the
one place to switch to the crisis broadcasts once they can address chosen
people: today services/broadcasts.py sends to an audience rule only.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.outbound import LinkInvalid, SignedLink, absolute_url, queue_email

from ..models import CrisisPerson, Evacuation, ManifestEntry, RouteLeg, Seat, SeatOffer, Transport
from ..models.crises import PersonStatus
from ..models.evacuations import (
    HOLDS_A_SEAT,
    OFFERING_STATUSES,
    ON_MANIFEST,
    OPEN_ENTRY,
    EvacuationStatus,
    ManifestStatus,
    OfferStatus,
    Priority,
    RequestSource,
)

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


class OfferClosed(EvacuationRefused):
    """The offer was answered, withdrawn or has expired; `offer` says which."""

    def __init__(self, offer):
        super().__init__(_("This offer is no longer open: %(status)s.") % {"status": offer.get_status_display()})
        self.offer = offer


def _lock(transport):
    """Lock the transport's operation, then the transport (see the module's docstring); return both, fresh."""
    evacuation = Evacuation.objects.select_for_update().get(pk=transport.evacuation_id)
    return evacuation, Transport.objects.select_for_update().get(pk=transport.pk)


# Operations, routes, transports. ------------------------------------------------------------------------------------


def save_evacuation(*, evacuation, officer):
    """Create or change an operation; a new one takes everyone who already said they want to leave.

    An operation cancelled withdraws its open offers: nobody can say yes to a seat that will not leave.
    """
    with transaction.atomic():
        created = evacuation.pk is None
        if created:
            evacuation.created_by = officer
        evacuation.full_clean()
        evacuation.save()
        if created:
            request_seats_for_everyone_leaving(evacuation=evacuation, added_by=officer)
        if evacuation.status == EvacuationStatus.CANCELLED:
            for transport in evacuation.transports.order_by("pk"):
                _lock(transport)
                for offer in transport.offers.filter(status=OfferStatus.OPEN).select_for_update():
                    _close(offer, OfferStatus.WITHDRAWN)
    return evacuation


def save_leg(*, leg):
    """Save a route leg; True when a crossing's state or public note changed (people on board should hear)."""
    before = RouteLeg.objects.filter(pk=leg.pk).values("crossing_state", "public_note").first() if leg.pk else None
    changed = bool(
        leg.crossing_point
        and before is not None
        and (before["crossing_state"], before["public_note"]) != (leg.crossing_state, leg.public_note)
    )
    if changed or (leg.crossing_point and before is None):
        leg.state_changed_at = timezone.now()
    leg.full_clean(exclude=["evacuation"], validate_unique=False)
    leg.save()
    return changed


def save_transport(*, transport, legs, seats):
    """Create or change a transport with `seats` seats; return the names of the changed fields people must hear of.

    The seats are the rows 1…`seats`. Fewer seats than people holding one is
    refused; people on seats above the new number move to free lower seats.
    """
    if any(leg.evacuation_id != transport.evacuation_id for leg in legs):
        raise ValidationError(_("Choose legs of this transport's own operation."))
    with transaction.atomic():
        changed = []
        if transport.pk:
            _evacuation, before = _lock(transport)
            changed = [
                name
                for name in ("departs_at", "departure_place", "departure_time_zone")
                if getattr(before, name) != getattr(transport, name)
            ]
        transport.full_clean()
        transport.save()
        transport.legs.set(legs)
        _set_capacity(transport, seats)
    return changed


def _set_capacity(transport, seats):
    if seats < 1:
        raise ValidationError(_("A transport has at least one seat."))
    existing = set(transport.seats.values_list("number", flat=True))
    Seat.objects.bulk_create(
        [Seat(transport=transport, number=number) for number in range(1, seats + 1) if number not in existing]
    )
    beyond = transport.seats.filter(number__gt=seats)
    if not beyond.exists():
        return
    held = ManifestEntry.objects.filter(transport=transport, seat__isnull=False)
    if held.count() > seats:
        raise EvacuationRefused(
            _("%(held)d people hold a seat on this transport: it cannot have fewer seats.") % {"held": held.count()}
        )
    movers = list(held.filter(seat__in=beyond).order_by("seat__number"))
    for entry, seat in zip(movers, free_seats(transport).filter(number__lte=seats), strict=False):
        entry.seat = seat
        entry.save(update_fields=["seat"])
    beyond.delete()


def free_seats(transport):
    """The transport's seats nobody holds, lowest first."""
    held = ManifestEntry.objects.filter(transport=transport, seat__isnull=False).values("seat_id")
    return transport.seats.exclude(pk__in=held).order_by("number")


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


# Seat offers. -------------------------------------------------------------------------------------------------------


def offer_free_seats(*, transport, officer, hours=None):
    """Staff offer every free seat of the transport to the next people in the queue; the offers made."""
    with transaction.atomic():
        evacuation, locked = _lock(transport)
        if not evacuation.is_offering:
            raise EvacuationRefused(_("This operation has ended: it offers no more seats."))
        if locked.departs_at <= timezone.now():
            raise EvacuationRefused(_("This transport has left."))
        return _fill(evacuation, locked, offered_by=officer, hours=hours)


def _fill(evacuation, transport, *, offered_by, hours=None):
    """Offer the transport's free seats to the next parties that fit whole. Call under _lock."""
    now = timezone.now()
    if not evacuation.is_offering or transport.departs_at <= now:
        return []
    free = list(free_seats(transport))
    if not free:
        return []
    refresh_priorities(evacuation)
    deadline = min(now + timedelta(hours=hours or evacuation.offer_hours), transport.departs_at)
    offers = []
    for party in queue(evacuation):
        # A household travels together: one too big for the seats left waits for the next transport.
        if len(party.entries) > len(free):
            continue
        seats, free = free[: len(party.entries)], free[len(party.entries) :]
        offers.append(_offer(party, transport, seats, deadline=deadline, offered_by=offered_by, now=now))
        if not free:
            break
    return offers


def _offer(party, transport, seats, *, deadline, offered_by, now):
    first = party.entries[0].person
    recipient = (
        CrisisPerson.objects.filter(crisis_id=first.crisis_id, citizen_id=first.citizen_id, member__isnull=True).first()
        or first
    )
    offer = SeatOffer(
        transport=transport, recipient=recipient, offered_at=now, expires_at=deadline, offered_by=offered_by
    )
    offer.full_clean(exclude=["transport", "recipient", "offered_by"])
    offer.save()
    for entry, seat in zip(party.entries, seats, strict=True):
        entry.status = ManifestStatus.OFFERED
        entry.transport, entry.seat, entry.offer = transport, seat, offer
        entry.status_changed_at, entry.status_changed_by = now, offered_by
        entry.save(update_fields=["status", "transport", "seat", "offer", "status_changed_at", "status_changed_by"])
    transaction.on_commit(lambda: send_offer(offer_id=offer.pk))
    return offer


def confirm_seats(*, transport, entries, officer):
    """Seat people who said yes to staff (by phone, at the door): waiting entries straight to confirmed."""
    with transaction.atomic():
        evacuation, locked = _lock(transport)
        waiting = list(
            evacuation.entries.filter(pk__in=[entry.pk for entry in entries], status=ManifestStatus.REQUESTED)
        )
        if len(waiting) != len(entries):
            raise EvacuationRefused(_("Someone chosen is no longer waiting for a seat in this operation."))
        seats = list(free_seats(locked)[: len(waiting)])
        if len(seats) < len(waiting):
            raise NotEnoughSeats
        now = timezone.now()
        for entry, seat in zip(waiting, seats, strict=True):
            entry.status = ManifestStatus.CONFIRMED
            entry.transport, entry.seat = locked, seat
            entry.status_changed_at, entry.status_changed_by = now, officer
            entry.save(update_fields=["status", "transport", "seat", "status_changed_at", "status_changed_by"])
    return waiting


def answer_offer(*, offer, accept):
    """The household's answer; returns the offer. A declined offer's seats go to the next people at once.

    The same answer twice (a double click) changes nothing. Past the
    deadline the offer expires here and now (freeing its seats) and
    OfferClosed is raised: a late "yes" never takes a seat offered on since.
    """
    with transaction.atomic():
        evacuation, transport = _lock(offer.transport)
        locked = SeatOffer.objects.select_for_update().get(pk=offer.pk)
        wanted = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
        if locked.status == wanted:
            return locked
        if locked.status == OfferStatus.OPEN and locked.expires_at > timezone.now():
            _close(locked, wanted)
            if not accept:
                _fill(evacuation, transport, offered_by=None)
            return locked
        if locked.status == OfferStatus.OPEN:
            _close(locked, OfferStatus.EXPIRED)
            _fill(evacuation, transport, offered_by=None)
    raise OfferClosed(locked)


def _close(offer, status):
    """Close an open offer: accepted confirms its people; anything else frees their seats. Call under _lock."""
    now = timezone.now()
    offer.status, offer.answered_at = status, now
    offer.save(update_fields=["status", "answered_at"])
    held = offer.entries.filter(status=ManifestStatus.OFFERED)
    if status == OfferStatus.ACCEPTED:
        held.update(status=ManifestStatus.CONFIRMED, status_changed_at=now, status_changed_by=None)
    else:
        held.update(status=ManifestStatus.DECLINED, seat=None, status_changed_at=now, status_changed_by=None)


def expire_seat_offers():
    """End the offers past their deadline and offer every free seat of the transports being offered.

    Returns (offers expired, offers made). Each offer and each transport in a
    transaction of its own: one failure leaves the rest done.
    """
    expired, made = 0, 0
    now = timezone.now()
    for offer in SeatOffer.objects.overdue(now).select_related("transport").order_by("expires_at", "pk"):
        with transaction.atomic():
            evacuation, transport = _lock(offer.transport)
            locked = SeatOffer.objects.select_for_update().get(pk=offer.pk)
            if locked.status != OfferStatus.OPEN or locked.expires_at > now:
                continue
            _close(locked, OfferStatus.EXPIRED)
            expired += 1
            made += len(_fill(evacuation, transport, offered_by=None))
    # Seats still free where offers have started: a household too big before, people who asked since.
    offering = Transport.objects.filter(
        evacuation__status__in=OFFERING_STATUSES,
        departs_at__gt=now,
        pk__in=SeatOffer.objects.values("transport_id"),
    )
    for transport in offering.order_by("departs_at", "pk"):
        with transaction.atomic():
            evacuation, locked = _lock(transport)
            made += len(_fill(evacuation, locked, offered_by=None))
    return expired, made


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
        _evacuation, transport = _lock(entry.transport)
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


# Messages. ----------------------------------------------------------------------------------------------------------

SEAT_OFFER_SALT = "registrations.seat_offer"


def offer_link(offer):
    """The offer's signed link: its maximum age is the time the offer gives to answer."""
    return SignedLink(salt=SEAT_OFFER_SALT, max_age=lambda: offer.expires_at - offer.offered_at)


def offer_url(offer, *, language):
    with translation.override(language):
        path = reverse("registrations:seat_offer", kwargs={"token": offer_link(offer).make(offer.pk)})
    return absolute_url(path)


def offer_for_link(token):
    """The offer a link was made for; LinkInvalid if altered or gone, LinkExpired past its deadline."""
    offer_id = SignedLink(salt=SEAT_OFFER_SALT).read(token)  # the signature; the age is the offer's own
    offer = (
        SeatOffer.objects.select_related("transport__evacuation", "recipient__citizen__citizen_profile")
        .filter(pk=offer_id if isinstance(offer_id, int) else None)
        .first()
    )
    if offer is None:
        raise LinkInvalid
    offer_link(offer).read(token)
    return offer


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


def send_offer(*, offer_id):
    offer = SeatOffer.objects.select_related(
        "transport__evacuation", "recipient__citizen__citizen_profile", "recipient__member"
    ).get(pk=offer_id)
    entries = offer.entries.select_related("person__member", "person__citizen__citizen_profile", "seat")
    transport = offer.transport
    send_to_citizen(
        recipient=offer.recipient,
        email="seat_offer",
        context={
            "names": [person_name(entry.person) for entry in entries],
            "operation": transport.evacuation.name,
            "transport": str(transport),
            "operator": transport.operator,
            "departure_place": transport.departure_place,
            "departs_at": transport.departs_at,
            "expires_at": offer.expires_at,
            "time_zone": transport.departure_time_zone,
            "link": offer_url(offer, language=language_of(offer.recipient)),
        },
        sms_template="registrations/evacuations/sms/seat_offer.txt",
    )


def notice_recipients(transports):
    """The citizens (their own rows) of everyone confirmed or on board on these transports: one message a household."""
    on_board = ManifestEntry.objects.filter(transport__in=transports, status__in=ON_MANIFEST)
    return (
        CrisisPerson.objects.filter(member__isnull=True)
        .filter(
            Q(crisis_id__in=on_board.values("evacuation__crisis_id")),
            citizen_id__in=on_board.values("person__citizen_id"),
        )
        .select_related("citizen__citizen_profile")
        .order_by("pk")
    )


def draft_notice(*, transports, leg=None):
    """{language: text}: a ready message about a changed departure, or about `leg`'s changed crossing."""
    template = (
        "registrations/evacuations/notice_crossing.txt" if leg else "registrations/evacuations/notice_departure.txt"
    )
    drafts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            drafts[code] = render_to_string(template, {"transports": transports, "leg": leg}).strip()
    return drafts


def send_notice(*, transports, texts, officer):
    """Send staff's message about a change to everyone confirmed on `transports` whom the officer may reach.

    Returns how many households it goes to.
    """
    written = {code: text.strip() for code, text in texts.items() if text.strip()}
    if not written:
        raise ValidationError(_("Write the message in at least one language."))
    fallback = [code for code, _name in settings.LANGUAGES if code in written]
    sent = 0
    with transaction.atomic():
        for recipient in notice_recipients(transports).visible_to(officer):
            send_to_citizen(
                recipient=recipient,
                email="evacuation_notice",
                context={
                    "text": written.get(language_of(recipient)) or written[fallback[0]],
                    "operation": transports[0].evacuation.name,
                },
                sms_template="registrations/evacuations/sms/notice.txt",
            )
            sent += 1
    return sent


# What the crisis board shows. ---------------------------------------------------------------------------------------


def _counts():
    return {
        "offered": Count("pk", filter=Q(status=ManifestStatus.OFFERED)),
        "confirmed": Count("pk", filter=Q(status=ManifestStatus.CONFIRMED)),
        "boarded": Count("pk", filter=Q(status=ManifestStatus.BOARDED)),
        "arrived": Count("pk", filter=Q(status=ManifestStatus.ARRIVED)),
        "no_show": Count("pk", filter=Q(status=ManifestStatus.NO_SHOW)),
    }


def progress(crisis, user):
    """(transports, crossings) of the crisis's operations the user may see, each with its people counted by status.

    Only the people the user may see are counted. Four queries.
    """
    entries = ManifestEntry.objects.filter(evacuation__crisis=crisis).visible_to(user).order_by()
    by_transport = {row.pop("transport"): row for row in entries.values("transport").annotate(**_counts())}
    by_leg = {row.pop("transport__legs"): row for row in entries.values("transport__legs").annotate(**_counts())}
    transports = list(
        Transport.objects.filter(evacuation__crisis=crisis)
        .visible_to(user)
        .select_related("evacuation")
        .annotate(seat_count=Count("seats"))
        .order_by("departs_at", "pk")
    )
    crossings = list(
        RouteLeg.objects.crossings()
        .filter(evacuation__crisis=crisis)
        .visible_to(user)
        .select_related("evacuation")
        .order_by("evacuation_id", "position")
    )
    empty = dict.fromkeys(_counts(), 0)
    for transport in transports:
        transport.counts = by_transport.get(transport.pk, empty)
    for leg in crossings:
        leg.counts = by_leg.get(leg.pk, empty)
    return transports, crossings
