"""Seat offers: seats handed out in queue order, answered through a signed link, going round by themselves.

Freed seats go round without staff: a declined offer offers its seats to
the next people at once, and `expire_seat_offers` (cron, every few minutes)
ends the offers past their deadline the same way and offers any seat still
free on a transport whose seats are being offered. Every write locks as
manifests.py says (`lock_transport`).
"""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.outbound import LinkInvalid, SignedLink, absolute_url

from ..models import CrisisPerson, SeatOffer, Transport
from ..models.evacuations import OFFERING_STATUSES, ManifestStatus, OfferStatus
from .manifests import (
    EvacuationRefused,
    NotEnoughSeats,
    free_seats,
    language_of,
    lock_transport,
    person_name,
    queue,
    refresh_priorities,
    send_to_citizen,
)


class OfferClosed(EvacuationRefused):
    """The offer was answered, withdrawn or has expired; `offer` says which."""

    def __init__(self, offer):
        super().__init__(_("This offer is no longer open: %(status)s.") % {"status": offer.get_status_display()})
        self.offer = offer


def offer_free_seats(*, transport, officer, hours=None):
    """Staff offer every free seat of the transport to the next people in the queue; the offers made."""
    with transaction.atomic():
        evacuation, locked = lock_transport(transport)
        if not evacuation.is_offering:
            raise EvacuationRefused(_("This operation has ended: it offers no more seats."))
        if locked.departs_at <= timezone.now():
            raise EvacuationRefused(_("This transport has left."))
        return _fill(evacuation, locked, offered_by=officer, hours=hours)


def _fill(evacuation, transport, *, offered_by, hours=None):
    """Offer the transport's free seats to the next parties that fit whole. Call under lock_transport."""
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
        evacuation, locked = lock_transport(transport)
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
        evacuation, transport = lock_transport(offer.transport)
        locked = SeatOffer.objects.select_for_update().get(pk=offer.pk)
        wanted = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
        if locked.status == wanted:
            return locked
        if locked.status == OfferStatus.OPEN and locked.expires_at > timezone.now():
            close_offer(locked, wanted)
            if not accept:
                _fill(evacuation, transport, offered_by=None)
            return locked
        if locked.status == OfferStatus.OPEN:
            close_offer(locked, OfferStatus.EXPIRED)
            _fill(evacuation, transport, offered_by=None)
    raise OfferClosed(locked)


def close_offer(offer, status):
    """Close an open offer: accepted confirms its people; anything else frees their seats. Call under lock_transport."""
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
            evacuation, transport = lock_transport(offer.transport)
            locked = SeatOffer.objects.select_for_update().get(pk=offer.pk)
            if locked.status != OfferStatus.OPEN or locked.expires_at > now:
                continue
            close_offer(locked, OfferStatus.EXPIRED)
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
            evacuation, locked = lock_transport(transport)
            made += len(_fill(evacuation, locked, offered_by=None))
    return expired, made


# The offer's link and message. --------------------------------------------------------------------------------------

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
