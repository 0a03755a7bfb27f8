"""What the citizen's dashboard shows: their trips, how risky and how fresh, and what to do next.

Reads only. The cost is fixed by prefetching: a few queries for the profile and
trips whatever their number, one for the advisory levels, one for the
mission that helps at each destination (by its region, where missions share a
country), and one for the open crises the citizen is on the board of (shown
first, with the way to answer) when there are any.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advisories.models import Advisory, Level, Mission

from ..models import CitizenProfile, CrisisPerson, Stop
from ..models.crises import CrisisStatus


@dataclass
class Destination:
    stop: Stop
    level: int | None
    level_label: str
    mission: object | None


@dataclass
class TripCard:
    trip: object
    status: str
    destinations: list
    days_since_confirmed: int
    needs_confirmation: bool
    passport_expires_first: bool

    @property
    def route(self):
        """The countries in travel order, each once per visit: "Iran → Türkiye"."""
        countries = []
        for destination in self.destinations:
            if not countries or countries[-1] != destination.stop.country:
                countries.append(destination.stop.country)
        return countries


@dataclass
class NextStep:
    text: str
    url: str = ""
    link_text: str = ""
    kind: str = "info"


@dataclass
class CrisisBanner:
    """An open crisis the citizen is on the board of: its notice, their last answer, the way to answer."""

    crisis: object
    person: CrisisPerson

    @property
    def answer_url(self):
        return reverse("registrations:crisis_answer", kwargs={"crisis_id": self.crisis.pk})


@dataclass
class Dashboard:
    profile: CitizenProfile | None
    trips: list = field(default_factory=list)
    next_steps: list = field(default_factory=list)
    crises: list = field(default_factory=list)


def dashboard_for(user, *, now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Most dashboards concern no crisis: an EXISTS on the profile's query spares them the crisis query.
    open_crisis_rows = CrisisPerson.objects.citizens().filter(
        citizen=OuterRef("user"), crisis__status=CrisisStatus.OPEN
    )
    profile = CitizenProfile.objects.filter(user=user).annotate(on_crisis_board=Exists(open_crisis_rows)).first()
    trips = list(
        user.trips.current_or_upcoming(today=today)
        .prefetch_related(
            Prefetch("stops", queryset=Stop.objects.order_by("position", "arrival_date")),
            "travellers",
        )
        .order_by("created_at")
    )
    trips.sort(key=lambda trip: (trip.starts_on or today, trip.pk))
    codes = sorted({stop.country.code for trip in trips for stop in trip.stops.all()})
    levels = Advisory.objects.levels_for(codes) if codes else {}
    # "Who helps me at this stop?": by the stop's region where a mission covers only some of the country.
    missions = Mission.objects.first_serving_each({_place(stop) for trip in trips for stop in trip.stops.all()})

    cards = [_card(trip, profile=profile, levels=levels, missions=missions, now=now) for trip in trips]
    return Dashboard(
        profile=profile,
        trips=cards,
        next_steps=_next_steps(profile, cards),
        crises=_crises(user) if profile and profile.on_crisis_board else [],
    )


def _crises(user):
    """The open crises the citizen is on the board of, newest first (one query)."""
    people = (
        CrisisPerson.objects.citizens()
        .filter(citizen=user, crisis__status=CrisisStatus.OPEN)
        .select_related("crisis")
        .order_by("-crisis__opened_at", "-crisis_id")
    )
    return [CrisisBanner(crisis=person.crisis, person=person) for person in people]


def _place(stop):
    return (stop.country.code, stop.region)


def _card(trip, *, profile, levels, missions, now):
    today = timezone.localdate(now)
    destinations = [
        Destination(
            stop=stop,
            level=levels.get(stop.country.code),
            level_label=Level(levels[stop.country.code]).label if stop.country.code in levels else "",
            mission=missions.get(_place(stop)),
        )
        for stop in trip.stops.all()
    ]
    passport_expires_first = profile is not None and trip.outlasts_passport(profile.passport_expires_on, today=today)
    return TripCard(
        trip=trip,
        status=trip.status_on(today),
        destinations=destinations,
        days_since_confirmed=(now - trip.last_confirmed_at).days,
        needs_confirmation=trip.needs_reconfirmation(now),
        passport_expires_first=passport_expires_first,
    )


def _next_steps(profile, cards):
    steps = []
    if profile is None:
        return [
            NextStep(
                _("Tell us who you are and how to reach you. It takes about three minutes."),
                reverse("registrations:profile"),
                _("Complete your profile"),
                "warning",
            )
        ]
    if not profile.accepted_current_privacy_notice:
        steps.append(
            NextStep(
                _("The privacy notice has changed."),
                reverse("registrations:profile"),
                _("Read and accept it"),
                "warning",
            )
        )
    steps.extend(
        NextStep(
            _("Are you still in %(place)s? Please confirm so that we know whom to help in an emergency.")
            % {"place": card.destinations[-1].stop.country.name if card.destinations else ""},
            kind="warning",
        )
        for card in cards
        if card.needs_confirmation
    )
    if any(card.passport_expires_first for card in cards):
        steps.append(
            NextStep(
                _("Your passport expires on %(date)s, before your trip ends. The embassy can help you renew it.")
                % {"date": profile.passport_expires_on.isoformat()},
                reverse("advisories:missions"),
                _("Find the embassy"),
                "warning",
            )
        )
    if not cards:
        steps.append(
            NextStep(
                _("Travelling soon, or living abroad? Register it so that we can reach you."),
                reverse("registrations:trip_add"),
                _("Add a trip"),
            )
        )
    return steps
