"""Evacuations: operations, their routes and transports; notices of a change; progress on the crisis board.

The queue, the seats and the bus door are in manifests.py, the seat offers
and their signed links in seat_offers.py; this module re-exports their
public names, so that `services.evacuations` stays the one door the admin,
views and check-ins use.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import CrisisPerson, ManifestEntry, RouteLeg, Seat, Transport
from ..models.evacuations import ON_MANIFEST, EvacuationStatus, ManifestStatus, OfferStatus
from .manifests import (
    EvacuationRefused,
    NotEnoughSeats,
    free_seats,
    language_of,
    lock_transport,
    mark,
    person_name,
    profile_of,
    queue,
    reasons_in_words,
    request_from_answer,
    request_seat,
    request_seats_for_everyone_leaving,
    send_to_citizen,
    update_entry,
)
from .seat_offers import (
    OfferClosed,
    answer_offer,
    close_offer,
    confirm_seats,
    expire_seat_offers,
    offer_for_link,
    offer_free_seats,
    offer_url,
)

__all__ = [
    "EvacuationRefused",
    "NotEnoughSeats",
    "OfferClosed",
    "answer_offer",
    "confirm_seats",
    "draft_notice",
    "expire_seat_offers",
    "free_seats",
    "mark",
    "notice_recipients",
    "offer_for_link",
    "offer_free_seats",
    "offer_url",
    "person_name",
    "profile_of",
    "progress",
    "queue",
    "reasons_in_words",
    "request_from_answer",
    "request_seat",
    "request_seats_for_everyone_leaving",
    "save_evacuation",
    "save_leg",
    "save_transport",
    "send_notice",
    "update_entry",
]


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
                lock_transport(transport)
                for offer in transport.offers.filter(status=OfferStatus.OPEN).select_for_update():
                    close_offer(offer, OfferStatus.WITHDRAWN)
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
            _evacuation, before = lock_transport(transport)
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


# Notices of a change. -----------------------------------------------------------------------------------------------


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
