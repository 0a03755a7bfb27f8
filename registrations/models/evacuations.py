"""Evacuations: operations with a route, transports with seats, and the manifest of who goes.

Never overbooked. The database itself refuses a transport with more people
than seats, or a person with two places in one operation:
- a transport's capacity *is* its Seat rows, numbered 1 to N; the service
  adds and removes them under the transport's row lock;
- a manifest entry that holds a place (offered, confirmed, boarded,
  arrived) points to one Seat row, and no two entries may point to the
  same one (`registrations_manifest_seat_held_once`); an entry in any
  other status holds none (`registrations_manifest_seat_iff_held`);
- a person has at most one open entry (asking for a place, or holding one)
  per operation (`registrations_manifest_person_once`).
The services (services/manifests.lock_transport) take the transport's row lock before
it hands out or frees a seat, so that concurrent offers, answers and refills
queue up instead of failing on a constraint.
"""

from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.country_field import CountryField

from .crises import Crisis, CrisisPerson
from .scoping import PersonalDataQuerySet


def validate_time_zone(name):
    if name not in available_timezones():
        raise ValidationError(_("%(name)s is not a time zone name such as Asia/Tehran."), params={"name": name})


class EvacuationStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# Seats are offered while an operation is planned or under way, never once it has ended.
OFFERING_STATUSES = [EvacuationStatus.PLANNING, EvacuationStatus.ACTIVE]


class EvacuationQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        # A mission officer runs the operations that take people out of their jurisdiction (or part of it).
        return self.filter(jurisdiction.q(country="from_country", region=None))

    def taking_requests(self):
        return self.filter(status__in=OFFERING_STATUSES)


class Evacuation(models.Model):
    """An evacuation operation of a crisis: people leave one country by a route of legs."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="evacuations", verbose_name=_("crisis"))
    name = models.CharField(_("name"), max_length=200)
    from_country = CountryField(
        _("takes people out of"), help_text=_("People of the crisis in this country may ask for a seat.")
    )
    status = models.CharField(_("status"), max_length=10, choices=EvacuationStatus, default=EvacuationStatus.PLANNING)
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to answer a seat offer"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
        help_text=_("An offer not answered in time frees its seats for the next people. Never after departure."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = EvacuationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evacuation operation")
        verbose_name_plural = _("evacuation operations")
        ordering = ["-created_at", "-id"]
        permissions = [("export_manifest", _("Can print and export evacuation manifests"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EvacuationStatus.values), name="registrations_evacuation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(offer_hours__gte=1, offer_hours__lte=72),
                name="registrations_evacuation_offer_hours_range",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_offering(self):
        return self.status in OFFERING_STATUSES


class CrossingState(models.TextChoices):
    OPEN = "open", _("Open")
    OPEN_AT_NIGHT = "night_only", _("Open at night only")
    OPEN_BY_DAY = "day_only", _("Open by day only")
    RESTRICTED = "restricted", _("Open with restrictions")
    CLOSED = "closed", _("Closed")
    UNKNOWN = "unknown", _("Unknown")


class RouteLegQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        return self.filter(jurisdiction.q("evacuation__", country="from_country", region=None))

    def crossings(self):
        return self.exclude(crossing_point="")


class RouteLeg(models.Model):
    """One leg of an operation's route, from place to place; it may pass a border crossing.

    A crossing's state and public note change as news comes in (waits,
    night-only opening); people on the transports through it are told.
    """

    evacuation = models.ForeignKey(
        Evacuation, on_delete=models.CASCADE, related_name="legs", verbose_name=_("evacuation operation")
    )
    position = models.PositiveSmallIntegerField(_("order"))
    origin = models.CharField(_("from"), max_length=120)
    destination = models.CharField(_("to"), max_length=120)
    crossing_point = models.CharField(
        _("border crossing"), max_length=120, blank=True, help_text=_("Empty when the leg crosses no border.")
    )
    exit_country = CountryField(_("leaving"), blank=True)
    entry_country = CountryField(_("entering"), blank=True)
    crossing_state = models.CharField(_("crossing's state"), max_length=10, choices=CrossingState, blank=True)
    public_note = models.TextField(
        _("public note"), blank=True, help_text=_("Waits, opening hours, documents asked for: sent to people on board.")
    )
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)

    objects = RouteLegQuerySet.as_manager()

    class Meta:
        verbose_name = _("route leg")
        verbose_name_plural = _("route legs")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evacuation", "position"], name="registrations_routeleg_position_once"),
            models.CheckConstraint(
                condition=Q(crossing_state="") | Q(crossing_state__in=CrossingState.values),
                name="registrations_routeleg_crossing_state_valid",
            ),
            # A crossing has its countries and a state; a leg without one has neither.
            models.CheckConstraint(
                condition=Q(crossing_point="", crossing_state="", exit_country="", entry_country="")
                | (~Q(crossing_point="") & ~Q(crossing_state="") & ~Q(exit_country="") & ~Q(entry_country="")),
                name="registrations_routeleg_crossing_complete",
            ),
        ]

    def __str__(self):
        if self.crossing_point:
            return f"{self.origin} → {self.destination} ({self.crossing_point})"
        return f"{self.origin} → {self.destination}"

    @property
    def is_crossing(self):
        return bool(self.crossing_point)


class TransportKind(models.TextChoices):
    BUS = "bus", _("Bus")
    MINIBUS = "minibus", _("Minibus")
    TRAIN = "train", _("Train")
    FLIGHT = "flight", _("Flight")
    FERRY = "ferry", _("Ferry")


class TransportQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        return self.filter(jurisdiction.q("evacuation__", country="from_country", region=None))


class Transport(models.Model):
    """A bus, train, flight or ferry of an operation. Its seats are its Seat rows (see the module's docstring)."""

    evacuation = models.ForeignKey(
        Evacuation, on_delete=models.CASCADE, related_name="transports", verbose_name=_("evacuation operation")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TransportKind, default=TransportKind.BUS)
    operator = models.CharField(_("operator"), max_length=120)
    vehicle_number = models.CharField(_("vehicle or flight number"), max_length=40)
    departure_place = models.CharField(_("departure place"), max_length=200)
    departure_time_zone = models.CharField(
        _("time zone of the departure place"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("Times are entered and shown in it, e.g. Asia/Tehran."),
    )
    departs_at = models.DateTimeField(_("departs at"))
    legs = models.ManyToManyField(RouteLeg, related_name="transports", verbose_name=_("legs it serves"))
    contact_on_board = models.CharField(
        _("contact on board"), max_length=200, blank=True, help_text=_("Name and phone of the officer or driver.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TransportQuerySet.as_manager()

    class Meta:
        verbose_name = _("transport")
        verbose_name_plural = _("transports")
        ordering = ["departs_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=TransportKind.values), name="registrations_transport_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.vehicle_number}"

    @property
    def local_departure(self):
        """The departure time on the clocks of the departure place."""
        return self.departs_at.astimezone(ZoneInfo(self.departure_time_zone))


class Seat(models.Model):
    """One seat of a transport: the unit that cannot be given twice."""

    transport = models.ForeignKey(
        Transport, on_delete=models.CASCADE, related_name="seats", verbose_name=_("transport")
    )
    number = models.PositiveSmallIntegerField(_("seat"))

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["number", "id"]
        constraints = [
            # Serves "the free seats of this transport, lowest first" too.
            models.UniqueConstraint(fields=["transport", "number"], name="registrations_seat_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="registrations_seat_number_positive"),
        ]

    def __str__(self):
        return str(self.number)


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Not answered in time")
    WITHDRAWN = "withdrawn", _("Withdrawn by staff")


class SeatOfferQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        return self.filter(jurisdiction.q("recipient__"))

    def overdue(self, now):
        return self.filter(status=OfferStatus.OPEN, expires_at__lte=now)


class SeatOffer(models.Model):
    """Seats on a transport offered to one household (or one person split from it): one message, one answer."""

    transport = models.ForeignKey(
        Transport, on_delete=models.CASCADE, related_name="offers", verbose_name=_("transport")
    )
    # The citizen's own row: the account holder reads the message and answers for the household.
    recipient = models.ForeignKey(CrisisPerson, on_delete=models.CASCADE, related_name="+", verbose_name=_("sent to"))
    status = models.CharField(_("status"), max_length=10, choices=OfferStatus, default=OfferStatus.OPEN)
    offered_at = models.DateTimeField(_("offered at"), default=timezone.now)
    expires_at = models.DateTimeField(_("answer before"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offered by"),
        help_text=_("Empty when the seats were freed by another offer and offered again automatically."),
    )

    objects = SeatOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat offer")
        verbose_name_plural = _("seat offers")
        ordering = ["-offered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values), name="registrations_seatoffer_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("offered_at")), name="registrations_seatoffer_deadline_after_offer"
            ),
            models.CheckConstraint(
                condition=Q(status=OfferStatus.OPEN, answered_at__isnull=True)
                | (~Q(status=OfferStatus.OPEN) & Q(answered_at__isnull=False)),
                name="registrations_seatoffer_answered_iff_closed",
            ),
        ]
        indexes = [
            # Serves expire_seat_offers: open offers past their deadline.
            models.Index(fields=["status", "expires_at"], name="registrations_offer_due_idx"),
        ]

    def __str__(self):
        return _("Seat offer #%(id)s") % {"id": self.pk}

    @property
    def is_open(self):
        return self.status == OfferStatus.OPEN


class ManifestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    OFFERED = "offered", _("Offered")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    BOARDED = "boarded", _("Boarded")
    ARRIVED = "arrived", _("Arrived")
    NO_SHOW = "no_show", _("No-show")


# The statuses that hold a seat on a transport.
HOLDS_A_SEAT = [ManifestStatus.OFFERED, ManifestStatus.CONFIRMED, ManifestStatus.BOARDED, ManifestStatus.ARRIVED]
# A person's open entry in an operation: waiting for a seat, or holding one.
OPEN_ENTRY = [ManifestStatus.REQUESTED, *HOLDS_A_SEAT]
# Who is on a transport's printed manifest: people who said yes, and those who then boarded.
ON_MANIFEST = [ManifestStatus.CONFIRMED, ManifestStatus.BOARDED, ManifestStatus.ARRIVED]


class RequestSource(models.TextChoices):
    PERSON = "person", _("The person, from the answer page")
    STAFF = "staff", _("Staff")


class Priority(models.IntegerChoices):
    """The order in which people are offered seats, first to last; within a level, by request time."""

    UNACCOMPANIED_MINOR = 1, _("Unaccompanied minor")
    MINOR_WITH_FAMILY = 2, _("Minor with their family")
    ELDERLY = 3, _("65 or over")
    NEEDS = 4, _("Medical or mobility needs")
    PREGNANCY = 5, _("Pregnancy")
    OTHERS = 6, _("Everyone else, by request time")


class Adjustment(models.IntegerChoices):
    RAISED = 1, _("Raised by staff: before everyone else")
    NONE = 0, _("As computed")
    LOWERED = -1, _("Lowered by staff: after everyone else")


class ManifestEntryQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        # Like the people on the crisis board: by where the person is.
        return self.filter(jurisdiction.q("person__"))

    def by_priority(self):
        """The queue's order: staff's adjustment, the computed level, then who asked first."""
        return self.order_by("-priority_adjustment", "priority_level", "requested_at", "id")

    def on_manifest(self):
        return self.filter(status__in=ON_MANIFEST)


class ManifestEntry(models.Model):
    """One person in one operation: asking for a seat, offered one, on board, arrived, or not going.

    A household travels together: its entries are offered seats on the same
    transport at once, unless staff split someone off (`travels_separately`).
    """

    evacuation = models.ForeignKey(
        Evacuation, on_delete=models.CASCADE, related_name="entries", verbose_name=_("evacuation operation")
    )
    person = models.ForeignKey(
        CrisisPerson, on_delete=models.CASCADE, related_name="manifest_entries", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=10, choices=ManifestStatus, default=ManifestStatus.REQUESTED)
    # The transport offered or taken; kept after a decline or a no-show, for the record.
    transport = models.ForeignKey(
        Transport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("transport"),
    )
    seat = models.ForeignKey(
        Seat, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("seat")
    )
    offer = models.ForeignKey(
        SeatOffer, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries", verbose_name=_("offer")
    )
    source = models.CharField(_("asked by"), max_length=6, choices=RequestSource, default=RequestSource.STAFF)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    pregnant = models.BooleanField(
        _("pregnant"), default=False, help_text=_("Recorded by staff when the person says so.")
    )
    travels_separately = models.BooleanField(
        _("travels apart from the household"), default=False, help_text=_("Staff split the household on purpose.")
    )
    separation_reason = models.CharField(_("why apart"), max_length=300, blank=True)
    # Computed by services.evacuations.refresh_priorities for the person's whole household.
    priority_level = models.PositiveSmallIntegerField(_("priority"), choices=Priority, default=Priority.OTHERS)
    # [{"level": 2, "age": 9}, …]: why, one reason per person and fact, shown to staff in words.
    priority_reasons = models.JSONField(_("why this priority"), default=list, blank=True, editable=False)
    priority_adjustment = models.SmallIntegerField(_("staff's adjustment"), choices=Adjustment, default=Adjustment.NONE)
    adjustment_reason = models.CharField(_("reason for the adjustment"), max_length=300, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )

    objects = ManifestEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("manifest entry")
        verbose_name_plural = _("manifest entries")
        ordering = ["-priority_adjustment", "priority_level", "requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ManifestStatus.values), name="registrations_manifest_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=RequestSource.values), name="registrations_manifest_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority_level__in=Priority.values), name="registrations_manifest_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority_adjustment__in=Adjustment.values),
                name="registrations_manifest_adjustment_valid",
            ),
            # A raised or lowered priority says why: it is someone's decision over someone else's seat.
            models.CheckConstraint(
                condition=Q(priority_adjustment=Adjustment.NONE) | ~Q(adjustment_reason=""),
                name="registrations_manifest_adjustment_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(travels_separately=False) | ~Q(separation_reason=""),
                name="registrations_manifest_separation_has_reason",
            ),
            # Exactly the entries holding a place point to a seat (the overbooking guarantee, with the next one).
            models.CheckConstraint(
                condition=Q(status__in=HOLDS_A_SEAT, seat__isnull=False, transport__isnull=False)
                | (~Q(status__in=HOLDS_A_SEAT) & Q(seat__isnull=True)),
                name="registrations_manifest_seat_iff_held",
            ),
            models.CheckConstraint(
                condition=~Q(status=ManifestStatus.REQUESTED) | Q(transport__isnull=True),
                name="registrations_manifest_requested_has_no_transport",
            ),
            # One seat, one person.
            models.UniqueConstraint(
                fields=["seat"], condition=Q(seat__isnull=False), name="registrations_manifest_seat_held_once"
            ),
            # One open entry (asking for a seat, or holding one) per person and operation: one seat at most.
            models.UniqueConstraint(
                fields=["evacuation", "person"],
                condition=Q(status__in=OPEN_ENTRY),
                name="registrations_manifest_person_once",
            ),
        ]
        indexes = [
            # Serves the queue: an operation's requests in priority order.
            models.Index(
                fields=["evacuation", "status", "-priority_adjustment", "priority_level", "requested_at"],
                name="registrations_queue_idx",
            ),
            # Serves manifests, the door page and the board's counts: a transport's people by status.
            models.Index(fields=["transport", "status"], name="registrations_onboard_idx"),
        ]

    def __str__(self):
        return _("Manifest entry #%(id)s") % {"id": self.pk}

    @property
    def holds_a_seat(self):
        return self.status in HOLDS_A_SEAT
