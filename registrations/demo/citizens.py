"""A few hundred plausible Kazakh citizens abroad, for registrations.demo.

Deterministic (a fixed seed) and built with bulk_create so that it loads in a
second or two. Dates are relative to the day of loading, so "who is in Iran
today" has an answer on the day the demo runs.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from ..models import PRIVACY_NOTICE_VERSION, CitizenProfile, HouseholdMember, Stop, Trip
from ..models.trips import TripStatus
from ..national_ids import make_kazakh_iin

DEMO_CITIZEN_EMAIL = "demo.citizen.{:03d}@example.com"
DEMO_CITIZEN_COUNT = 320
SEED = 2026
# Citizens there today (with their families: about 70 people in Iran, 170 in Israel).
IRAN_CITIZENS = 36
ISRAEL_CITIZENS = 86

# (Latin male, Latin female, Cyrillic male, Cyrillic female)
SURNAMES = [
    ("AKHMETOV", "AKHMETOVA", "Ахметов", "Ахметова"),
    ("NURLANOV", "NURLANOVA", "Нурланов", "Нурланова"),
    ("SAPAROV", "SAPAROVA", "Сапаров", "Сапарова"),
    ("ZHUMABEKOV", "ZHUMABEKOVA", "Жумабеков", "Жумабекова"),
    ("ISKAKOV", "ISKAKOVA", "Искаков", "Искакова"),
    ("KASYMOV", "KASYMOVA", "Касымов", "Касымова"),
    ("ABDRAKHMANOV", "ABDRAKHMANOVA", "Абдрахманов", "Абдрахманова"),
    ("BEKOV", "BEKOVA", "Беков", "Бекова"),
    ("OMAROV", "OMAROVA", "Омаров", "Омарова"),
    ("TOKTAROV", "TOKTAROVA", "Токтаров", "Токтарова"),
    ("SULEIMENOV", "SULEIMENOVA", "Сулейменов", "Сулейменова"),
    ("MUKHAMETOV", "MUKHAMETOVA", "Мухаметов", "Мухаметова"),
    ("YESSENOV", "YESSENOVA", "Есенов", "Есенова"),
    ("KUANYSHEV", "KUANYSHEVA", "Куанышев", "Куанышева"),
    ("DOSMUKHAMEDOV", "DOSMUKHAMEDOVA", "Досмухамедов", "Досмухамедова"),
]
MALE_NAMES = [
    ("ASKAR", "Аскар"),
    ("BOLAT", "Болат"),
    ("ERLAN", "Ерлан"),
    ("NURSULTAN", "Нурсултан"),
    ("TIMUR", "Тимур"),
    ("DAULET", "Даулет"),
    ("ARMAN", "Арман"),
    ("YERZHAN", "Ержан"),
    ("MARAT", "Марат"),
    ("ALIKHAN", "Алихан"),
]
FEMALE_NAMES = [
    ("AIGERIM", "Айгерим"),
    ("ALIYA", "Алия"),
    ("DANA", "Дана"),
    ("GULNARA", "Гульнара"),
    ("ZHANAR", "Жанар"),
    ("ASEL", "Асель"),
    ("MADINA", "Мадина"),
    ("SAULE", "Сауле"),
    ("AIDANA", "Айдана"),
    ("KAMILA", "Камила"),
]
# Where people go: country → (region, city) they stay in.
PLACES = {
    "IR": [("IR-23", "Tehran"), ("IR-10", "Isfahan"), ("IR-09", "Mashhad"), ("IR-07", "Shiraz"), ("IR-03", "Tabriz")],
    "IL": [("IL-TA", "Tel Aviv"), ("IL-JM", "Jerusalem"), ("IL-HA", "Haifa"), ("IL-M", "Netanya"), ("IL-D", "Eilat")],
    "TR": [("TR-34", "Istanbul"), ("TR-07", "Antalya"), ("TR-06", "Ankara"), ("TR-35", "Izmir")],
    "AE": [("AE-DU", "Dubai"), ("AE-AZ", "Abu Dhabi"), ("AE-SH", "Sharjah")],
    "GE": [("GE-TB", "Tbilisi"), ("GE-AJ", "Batumi")],
    "DE": [("DE-BE", "Berlin"), ("DE-BY", "Munich"), ("DE-HE", "Frankfurt")],
    "US": [("US-NY", "New York"), ("US-CA", "Los Angeles"), ("US-IL", "Chicago")],
    "KR": [("KR-11", "Seoul"), ("KR-26", "Busan")],
    "CN": [("CN-BJ", "Beijing"), ("CN-SH", "Shanghai"), ("CN-XJ", "Urumqi")],
    "RU": [("RU-MOW", "Moscow"), ("RU-SPE", "Saint Petersburg"), ("RU-NVS", "Novosibirsk")],
    "TH": [("TH-10", "Bangkok"), ("TH-83", "Phuket"), ("TH-50", "Chiang Mai")],
    "EG": [("EG-BA", "Hurghada"), ("EG-JS", "Sharm el-Sheikh"), ("EG-C", "Cairo")],
}
ELSEWHERE = ["TR", "AE", "GE", "DE", "US", "KR", "CN", "RU", "TH", "EG"]
FOREIGN_CITIZENSHIPS = ["TR", "RU", "DE", "KR", "UZ", "IL"]


def load_citizens(*, stdout):
    User = get_user_model()
    first_email = DEMO_CITIZEN_EMAIL.format(1)
    if User.objects.filter(email=first_email).exists():
        stdout.write("Demo citizens: already there.")
        return
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    # Demo citizens cannot sign in: no password to know.
    no_password = make_password(None)
    users = User.objects.bulk_create(
        User(email=DEMO_CITIZEN_EMAIL.format(n), password=no_password, email_confirmed_at=now)
        for n in range(1, DEMO_CITIZEN_COUNT + 1)
    )
    profiles, members_by_user = [], {}
    for serial, user in enumerate(users, start=1):
        female = rng.random() < 0.5
        surname = rng.choice(SURNAMES)
        given_latin, given_native = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        surname_latin, surname_native = (surname[1], surname[3]) if female else (surname[0], surname[2])
        born = today - timedelta(days=rng.randint(19 * 365, 70 * 365))
        profiles.append(
            CitizenProfile(
                user=user,
                surname_latin=surname_latin,
                given_names_latin=given_latin,
                full_name_native=f"{surname_native} {given_native}",
                date_of_birth=born,
                national_id=make_kazakh_iin(born, female=female, serial=serial),
                passport_number=f"N{rng.randint(10**7, 10**8 - 1)}",
                passport_expires_on=today + timedelta(days=rng.randint(-30, 3650)),
                phone=f"+7701{rng.randint(10**6, 10**7 - 1)}",
                preferred_language=rng.choice(["ru", "ru", "kk", "kk", "en"]),
                preferred_channel=rng.choice(["email", "email", "sms"]),
                emergency_contact_name=f"{rng.choice(MALE_NAMES + FEMALE_NAMES)[0].title()} {surname[0].title()}",
                emergency_contact_relation=rng.choice(["mother", "father", "brother", "sister", "friend"]),
                emergency_contact_phone=f"+7702{rng.randint(10**6, 10**7 - 1)}",
                privacy_notice_version=PRIVACY_NOTICE_VERSION,
                privacy_consented_at=now,
            )
        )
        members_by_user[user.pk] = [
            HouseholdMember(
                owner=user,
                full_name=f"{rng.choice(FEMALE_NAMES + MALE_NAMES)[0].title()} {surname[0].title()}",
                date_of_birth=today - timedelta(days=rng.randint(365, 60 * 365)),
                relationship=rng.choice(["spouse", "child", "child", "parent"]),
                citizenship=rng.choice(FOREIGN_CITIZENSHIPS) if rng.random() < 0.15 else "KZ",
            )
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3]))
        ]
    CitizenProfile.objects.bulk_create(profiles)
    HouseholdMember.objects.bulk_create(member for members in members_by_user.values() for member in members)

    plans = _plan_trips(rng, users, members_by_user, today=today)
    trips = Trip.objects.bulk_create(plan["trip"] for plan in plans)
    Stop.objects.bulk_create(
        Stop(trip=trip, position=position, **stop)
        for trip, plan in zip(trips, plans, strict=True)
        for position, stop in enumerate(plan["stops"])
    )
    Trip.travellers.through.objects.bulk_create(
        Trip.travellers.through(trip=trip, householdmember=member)
        for trip, plan in zip(trips, plans, strict=True)
        for member in plan["travellers"]
    )
    stdout.write(
        f"Demo citizens: {len(users)} with {sum(map(len, members_by_user.values()))} household members "
        f"and {len(trips)} trips; today {Stop.objects.present_in('IR').count_people()} people in Iran, "
        f"{Stop.objects.present_in('IL').count_people()} in Israel."
    )


def _plan_trips(rng, users, members_by_user, *, today):
    """One or two trips per citizen: Iran and Israel first (for crisis drills), then everywhere else."""
    plans = []
    for index, user in enumerate(users):
        members = members_by_user[user.pk]
        if index < IRAN_CITIZENS:
            # Iran: embassy staff, engineers, traders; some live there.
            country, kind = "IR", rng.choice(["work", "work", "business", "business", "residence"])
        elif index < IRAN_CITIZENS + ISRAEL_CITIZENS:
            country, kind = "IL", rng.choice(["tourism", "tourism", "study", "work", "residence"])
        else:
            country, kind = rng.choice(ELSEWHERE), rng.choice(["tourism", "tourism", "business", "study", "work"])
        when = (
            "current"
            if index < IRAN_CITIZENS + ISRAEL_CITIZENS
            else rng.choice(["current", "current", "upcoming", "past", "resident"])
        )
        if kind == "residence":
            when = "resident"
        elif when == "resident":
            kind = "residence"
        travellers = members if kind in {"residence", "tourism"} or rng.random() < 0.4 else []
        plans.append(_plan(rng, user, country, kind, when, travellers, today=today))
        if rng.random() < 0.15:
            # An old trip, ended a while ago (some past the retention period).
            plans.append(_plan(rng, user, rng.choice(ELSEWHERE), "tourism", "past", [], today=today))
    return plans


def _plan(rng, user, country, kind, when, travellers, *, today):
    if when == "resident":
        arrival, departure = today - timedelta(days=rng.randint(100, 2000)), None
    elif when == "upcoming":
        arrival = today + timedelta(days=rng.randint(3, 90))
        departure = arrival + timedelta(days=rng.randint(5, 20))
    elif when == "past":
        departure = today - timedelta(days=rng.randint(1, 60))
        arrival = departure - timedelta(days=rng.randint(5, 20))
    else:
        arrival = today - timedelta(days=rng.randint(0, 20))
        departure = today + timedelta(days=rng.randint(1, 30))
    stops = [_stop(rng, country, arrival, departure)]
    if when in {"current", "upcoming"} and rng.random() < 0.2:
        # Then a few days somewhere else, e.g. Istanbul on the way home.
        onward = rng.choice([code for code in ELSEWHERE if code != country])
        stops.append(_stop(rng, onward, departure, departure + timedelta(days=rng.randint(1, 5))))
    status = {
        "resident": TripStatus.CURRENT,
        "current": TripStatus.CURRENT,
        "upcoming": TripStatus.PLANNED,
        "past": TripStatus.ENDED,
    }[when]
    trip = Trip(
        owner=user,
        kind=kind,
        status=status,
        phone_abroad="",
        last_confirmed_at=timezone.now() - timedelta(days=rng.randint(0, 150)),
    )
    return {"trip": trip, "stops": stops, "travellers": travellers}


def _stop(rng, country, arrival, departure):
    region, city = rng.choice(PLACES[country])
    return {
        "country": country,
        "region": region,
        "city": city,
        "address": rng.choice(["", "Hotel", "Apartment", "Company housing", "University dormitory"]),
        "arrival_date": arrival,
        "departure_date": departure,
    }
