"""The demo crisis, "Iran and Israel, June": the seed's story of issue 9, told by the demo data.

Everyone present in Iran and Israel is on its board; one broadcast went out
in three languages an hour ago; answers have been coming in since; a few
people need help or want to leave, and a mission officer has claimed some of
their cases. Deterministic (a fixed seed), and loaded once.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from ..models import (
    PRIVACY_NOTICE_VERSION,
    Broadcast,
    CitizenProfile,
    Crisis,
    Delivery,
    HelpRequest,
    HouseholdMember,
    Stop,
    Trip,
)
from ..models.broadcasts import BroadcastStatus, DeliveryStatus
from ..models.checkins import CheckInChannel, Reporter
from ..models.crises import PersonStatus
from ..models.profile import Channel
from ..models.trips import TripStatus
from ..national_ids import make_kazakh_iin
from ..services import broadcasts, crises, help_requests
from ..services.checkins import record_checkin
from .evacuations import load_evacuations

NAME = "Iran and Israel, June"

MESSAGE = {
    "en": (
        "The situation in Iran and Israel is dangerous. Stay indoors, away from windows, and keep your "
        "documents with you. Tell us now whether you are safe, need help or want to leave."
    ),
    "ru": (
        "Обстановка в Иране и Израиле опасная. Оставайтесь в помещении, вдали от окон, держите документы "
        "при себе. Сообщите нам, в безопасности ли вы, нужна ли помощь, хотите ли выехать."  # noqa: RUF001
    ),
    "kk": (
        "Иран мен Израильдегі жағдай қауіпті. Үйде, терезеден алыс болыңыз, құжаттарыңызды өзіңізбен "
        "ұстаңыз. Қауіпсіз екеніңізді, көмек керек пе, кеткіңіз келе ме, бізге хабарлаңыз."
    ),
}

# How the answers are spread among the people who have answered so far.
ANSWERS = [PersonStatus.SAFE] * 40 + [PersonStatus.NEEDS_HELP] * 2 + [PersonStatus.WANTS_TO_LEAVE] * 3


def load_crisis(*, stdout):
    """Open the demo crisis over the demo's people in Iran and Israel, if it is not there yet."""
    if Crisis.objects.filter(name=NAME).exists():
        return None
    User = get_user_model()
    hq = User.objects.get(email="hq@example.com")
    _aigerim_in_tehran(User.objects.get(email="aigerim@example.com"))
    rng = random.Random(20250613)
    crisis = crises.open_crisis(
        name=NAME,
        areas=[("IR", ""), ("IL", "")],
        opened_by=hq,
        public_notice=(
            "Avoid all travel to Iran and Israel. Our embassies in Tehran and Tel Aviv are open; "
            "buses leave for the borders with Azerbaijan, Armenia, Turkmenistan and Egypt."
        ),
    )
    crisis.opened_at = timezone.now() - timedelta(hours=3)
    crisis.save(update_fields=["opened_at"])
    crises.set_estimate(crisis=crisis, country="IR", people=230, source="Border service and the community")
    crises.set_estimate(crisis=crisis, country="IL", people=300, source="Airline passenger lists")
    _sent_broadcast(crisis, hq)
    answered = _answers(crisis, rng)
    _claimed_cases(crisis)
    load_evacuations(crisis, stdout=stdout)
    stdout.write(
        f"Crisis {NAME!r}: {crisis.people.count()} people on the board, {answered} answers, "
        f"{HelpRequest.objects.filter(crisis=crisis).count()} help requests."
    )
    return crisis


def _sent_broadcast(crisis, hq):
    """The crisis's first message, as if sent an hour ago: its deliveries made and marked delivered."""
    broadcast = Broadcast.objects.create(crisis=crisis, texts=MESSAGE, by_email=True, by_sms=True, created_by=hq)
    sent_at = timezone.now() - timedelta(hours=1)
    Broadcast.objects.filter(pk=broadcast.pk).update(
        status=BroadcastStatus.SENT, sent_by=hq, sent_at=sent_at, asks_to_reconfirm=True
    )
    broadcast.refresh_from_db()
    broadcasts.create_deliveries(broadcast=broadcast)
    broadcast.deliveries.update(status=DeliveryStatus.DELIVERED, sent_at=sent_at, delivered_at=sent_at)
    crisis.people.filter(first_messaged_at__isnull=False).update(first_messaged_at=sent_at)
    # A few phones were off: their SMS failed, with the provider's reason.
    failed = list(broadcast.deliveries.filter(channel="sms").values_list("pk", flat=True)[:3])
    Delivery.objects.filter(pk__in=failed).update(status=DeliveryStatus.FAILED, error="30003: Unreachable handset")


def _answers(crisis, rng):
    """About two thirds have answered, each for themselves and their household, through link, dashboard or SMS."""
    answered = 0
    for citizen in crisis.people.citizens().order_by("id"):
        if rng.random() > 0.65:
            continue
        channel = rng.choice([CheckInChannel.LINK, CheckInChannel.LINK, CheckInChannel.DASHBOARD, CheckInChannel.SMS])
        status = rng.choice(ANSWERS)
        record_checkin(person=citizen, status=status, reporter=Reporter.PERSON, channel=channel)
        answered += 1
        for member in crisis.people.filter(citizen_id=citizen.citizen_id, member__isnull=False):
            member_status = status if rng.random() < 0.8 else rng.choice(ANSWERS)
            record_checkin(person=member, status=member_status, reporter=Reporter.RELATIVE, channel=channel)
            answered += 1
    return answered


def _claimed_cases(crisis):
    """The Tehran and Tel Aviv officers have each taken up one case, and noted what they did."""
    User = get_user_model()
    for email, country in (("tehran@example.com", "IR"), ("telaviv@example.com", "IL")):
        officer = User.objects.filter(email=email).first()
        case = HelpRequest.objects.filter(crisis=crisis, person__country=country, status="new").first()
        if officer is None or case is None:
            continue
        help_requests.claim(help_request=case, officer=officer)
        help_requests.add_note(
            help_request=case, author=officer, text="Called at 14:10: a doctor is on the way; call back at 18:00."
        )


def _aigerim_in_tehran(user):
    """aigerim@example.com studies in Tehran with her younger brother: she answers from her dashboard."""
    if CitizenProfile.objects.filter(user=user).exists():
        return
    born = date(2001, 11, 5)
    today = timezone.localdate()
    CitizenProfile.objects.create(
        user=user,
        surname_latin="SEITKALI",
        given_names_latin="AIGERIM",
        full_name_native="Сейтқали Әйгерім",
        date_of_birth=born,
        national_id=make_kazakh_iin(born, female=True, serial=11),
        passport_number="N24681357",
        passport_expires_on=today + timedelta(days=900),
        phone="+77015550456",
        preferred_language="kk",
        preferred_channel=Channel.SMS,
        emergency_contact_name="Gulmira Seitkali",
        emergency_contact_relation="mother",
        emergency_contact_phone="+77015550789",
        privacy_notice_version=PRIVACY_NOTICE_VERSION,
        privacy_consented_at=timezone.now(),
    )
    brother = HouseholdMember.objects.create(
        owner=user,
        full_name="Nurlan Seitkali",
        date_of_birth=date(2009, 4, 1),
        relationship="sibling",
        citizenship="KZ",
    )
    trip = Trip.objects.create(owner=user, kind="study", status=TripStatus.CURRENT, phone_abroad="+989121234567")
    trip.travellers.set([brother])
    Stop.objects.create(
        trip=trip,
        country="IR",
        region="IR-23",
        city="Tehran",
        address="University of Tehran, dormitory 3",
        arrival_date=today - timedelta(days=200),
        departure_date=today + timedelta(days=60),
    )
