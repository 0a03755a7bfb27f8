"""Demonstration advisories and missions; called by `manage.py load_demo_data`.

Safe to run again: a country that already has editions, and a mission that
already exists (by name), are left as they are. Every phone number, address,
email and website here is invented (example domains): never real embassy data.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import (
    Advisory,
    AdvisoryEdition,
    EditionStatus,
    Mission,
    MissionJurisdiction,
    MissionKind,
    MissionPhone,
    OperatingStatus,
    PhoneKind,
    RegionalAdvisory,
)

EVACUATION_NOTE = (
    "Land crossings to {country} are among our evacuation routes from Iran. If you are in Iran, register your "
    "stay so that we can contact you and plan seats."
)

# Per country: its editions, oldest first, as (days ago, level, change note; "" for a minor update),
# then what the current edition says.
ADVISORIES = {
    "IR": {
        "history": [
            (400, 3, "First edition."),
            (120, 3, ""),
            (9, 4, "Raised to level 4: military strikes on several cities and airspace closures."),
        ],
        "summary": "Do not travel to Iran. If you are there, consider leaving by commercial means while they operate.",
        "risks": ["civil_unrest", "wrongful_detention", "kidnapping", "time_limited_event"],
        "regions": [
            ("IR-11", 4, "Armed groups and kidnapping near the borders with Pakistan and Afghanistan."),
            ("IR-12", 4, "Clashes near the border with Iraq."),
        ],
        "safety_and_security": (
            "Airspace closures can come without warning. Keep your passport and a bag ready.\n\n"
            "Foreign nationals, dual nationals in particular, risk arbitrary detention."
        ),
        "entry_and_exit": "Land borders with Azerbaijan, Armenia and Türkmenistan were open at the last check.",
        "getting_help": "Call the 24/7 line of the embassy in Tehran. Register your stay so that we can reach you.",
    },
    "IL": {
        "history": [(300, 2, "First edition."), (60, 3, "Raised to level 3 after rocket fire on several cities.")],
        "summary": "Reconsider travel to Israel. Rocket fire and air-raid sirens are frequent.",
        "risks": ["terrorism", "civil_unrest", "time_limited_event"],
        "regions": [
            ("IL-D", 4, "Do not travel to areas near the Gaza Strip."),
            ("IL-Z", 4, "Do not travel to areas near the northern border with Lebanon."),
        ],
        "safety_and_security": (
            "Learn where the nearest shelter is and follow the instructions of the local authorities."
        ),
        "getting_help": "The embassy in Tel Aviv offers limited services; emergencies are answered around the clock.",
    },
    "TR": {
        "history": [(500, 2, "First edition."), (30, 2, "")],
        "summary": "Exercise increased caution in Türkiye because of terrorism.",
        "risks": ["terrorism", "natural_disaster"],
        "regions": [
            ("TR-31", 4, "Do not travel within 10 km of the Syrian border."),
            ("TR-79", 4, "Do not travel within 10 km of the Syrian border."),
            ("TR-63", 3, "Reconsider travel near the Syrian border."),
        ],
        "natural_disasters": "Türkiye lies on active fault lines. Know what to do in an earthquake.",
    },
    "AE": {
        "history": [(200, 1, "First edition.")],
        "summary": "Exercise normal precautions in the United Arab Emirates.",
        "risks": [],
        "local_laws": "Penalties for drug offences are severe, including for residues and some prescription drugs.",
    },
    "GE": {
        "history": [(365, 2, "First edition.")],
        "summary": "Exercise increased caution in Georgia.",
        "risks": ["civil_unrest"],
        "regions": [
            ("GE-AB", 4, "Do not travel to Abkhazia: we cannot help you there."),
            ("GE-SK", 3, "Reconsider travel near the administrative boundary line of South Ossetia."),
        ],
    },
    "DE": {"history": [(180, 1, "First edition.")], "summary": "Exercise normal precautions in Germany.", "risks": []},
    "US": {
        "history": [(180, 1, "First edition.")],
        "summary": "Exercise normal precautions in the United States.",
        "risks": ["natural_disaster"],
        "entry_and_exit": "You need a visa or an ESTA travel authorisation before you board.",
    },
    "KR": {
        "history": [(180, 1, "First edition.")],
        "summary": "Exercise normal precautions in South Korea.",
        "risks": [],
    },
    "CN": {
        "history": [(250, 2, "First edition.")],
        "summary": "Exercise increased caution in China: laws are applied arbitrarily, exit bans are possible.",
        "risks": ["wrongful_detention"],
    },
    "RU": {
        "history": [(700, 2, "First edition."), (330, 3, "Raised to level 3 because of the armed conflict.")],
        "summary": "Reconsider travel to Russia.",
        "risks": ["civil_unrest", "wrongful_detention", "other"],
        "regions": [
            ("RU-BEL", 4, "Do not travel to regions bordering Ukraine: shelling and drone attacks."),
            ("RU-KRS", 4, "Do not travel to regions bordering Ukraine: shelling and drone attacks."),
            ("RU-BRY", 4, "Do not travel to regions bordering Ukraine: shelling and drone attacks."),
        ],
    },
    "TH": {
        "history": [(400, 2, "First edition.")],
        "summary": "Exercise increased caution in Thailand.",
        "risks": ["terrorism", "crime"],
        "regions": [
            ("TH-94", 3, "Reconsider travel to the deep south: insurgent violence."),
            ("TH-95", 3, "Reconsider travel to the deep south: insurgent violence."),
            ("TH-96", 3, "Reconsider travel to the deep south: insurgent violence."),
        ],
    },
    "EG": {
        "history": [(600, 3, "First edition."), (90, 3, "Updated the section on entry requirements.")],
        "summary": "Reconsider travel to Egypt because of terrorism.",
        "risks": ["terrorism"],
        "regions": [("EG-SIN", 4, "Do not travel to North Sinai: military operations and terrorism.")],
    },
    "AZ": {
        "history": [(300, 2, "First edition.")],
        "summary": "Exercise increased caution in Azerbaijan near the border with Armenia.",
        "risks": ["other"],
        "entry_and_exit": EVACUATION_NOTE.format(country="Azerbaijan") + " Astara is the main crossing.",
    },
    "AM": {
        "history": [(300, 2, "First edition.")],
        "summary": "Exercise increased caution in Armenia near the border with Azerbaijan.",
        "risks": ["other"],
        "entry_and_exit": EVACUATION_NOTE.format(country="Armenia") + " Agarak is the crossing.",
    },
    "TM": {
        "history": [(300, 2, "First edition.")],
        "summary": "Exercise increased caution in Turkmenistan: rules on entry change without notice.",
        "risks": ["other"],
        "entry_and_exit": EVACUATION_NOTE.format(country="Turkmenistan") + " Sarahs is the crossing.",
    },
}

# name, kind, country, city, latitude, longitude, jurisdiction, status, public note, phone area code
MISSIONS = [
    ("Embassy in Tehran", MissionKind.EMBASSY, "IR", "Tehran", "35.69", "51.39", ["IR"], OperatingStatus.OPERATIONAL,
     "Open. The consular section handles emergencies and registers citizens for departure.", "+98 21"),
    ("Embassy in Tel Aviv", MissionKind.EMBASSY, "IL", "Tel Aviv", "32.08", "34.78", ["IL", "PS"],
     OperatingStatus.LIMITED, "Visa and notary services are suspended; emergencies are answered 24/7.", "+972 3"),
    ("Embassy in Ankara", MissionKind.EMBASSY, "TR", "Ankara", "39.93", "32.86", ["TR"], OperatingStatus.OPERATIONAL,
     "", "+90 312"),
    ("Consulate General in Istanbul", MissionKind.CONSULATE_GENERAL, "TR", "Istanbul", "41.01", "28.98", ["TR"],
     OperatingStatus.OPERATIONAL, "", "+90 212"),
    ("Honorary Consul in Antalya", MissionKind.HONORARY_CONSUL, "TR", "Antalya", "36.90", "30.70", ["TR"],
     OperatingStatus.OPERATIONAL, "Helps with lost documents and contacts with local authorities.", "+90 242"),
    ("Embassy in Abu Dhabi", MissionKind.EMBASSY, "AE", "Abu Dhabi", "24.45", "54.38", ["AE", "OM"],
     OperatingStatus.OPERATIONAL, "", "+971 2"),
    ("Consulate General in Dubai", MissionKind.CONSULATE_GENERAL, "AE", "Dubai", "25.20", "55.27", ["AE"],
     OperatingStatus.OPERATIONAL, "", "+971 4"),
    ("Embassy in Tbilisi", MissionKind.EMBASSY, "GE", "Tbilisi", "41.72", "44.79", ["GE"], OperatingStatus.OPERATIONAL,
     "", "+995 32"),
    ("Embassy in Berlin", MissionKind.EMBASSY, "DE", "Berlin", "52.52", "13.40", ["DE"], OperatingStatus.OPERATIONAL,
     "", "+49 30"),
    ("Embassy in Washington", MissionKind.EMBASSY, "US", "Washington", "38.91", "-77.04", ["US"],
     OperatingStatus.OPERATIONAL, "", "+1 202"),
    ("Embassy in Seoul", MissionKind.EMBASSY, "KR", "Seoul", "37.57", "126.98", ["KR"], OperatingStatus.OPERATIONAL,
     "", "+82 2"),
    ("Embassy in Beijing", MissionKind.EMBASSY, "CN", "Beijing", "39.90", "116.41", ["CN"], OperatingStatus.OPERATIONAL,
     "", "+86 10"),
    ("Embassy in Moscow", MissionKind.EMBASSY, "RU", "Moscow", "55.76", "37.62", ["RU"], OperatingStatus.OPERATIONAL,
     "", "+7 495"),
    ("Consulate General in Saint Petersburg", MissionKind.CONSULATE_GENERAL, "RU", "Saint Petersburg", "59.94",
     "30.31", ["RU"], OperatingStatus.OPERATIONAL, "", "+7 812"),
    ("Consulate in Novosibirsk", MissionKind.CONSULATE, "RU", "Novosibirsk", "55.01", "82.93", ["RU"],
     OperatingStatus.REMOTE, "Staff work remotely; call before you come.", "+7 383"),
    ("Embassy in Bangkok", MissionKind.EMBASSY, "TH", "Bangkok", "13.76", "100.50", ["TH"], OperatingStatus.OPERATIONAL,
     "", "+66 2"),
    ("Embassy in Cairo", MissionKind.EMBASSY, "EG", "Cairo", "30.04", "31.24", ["EG", "SD"],
     OperatingStatus.OPERATIONAL, "Also serves Sudan, where our embassy is closed.", "+20 2"),
    ("Embassy in Baku", MissionKind.EMBASSY, "AZ", "Baku", "40.41", "49.87", ["AZ"], OperatingStatus.OPERATIONAL,
     "Receives citizens leaving Iran through Astara; a duty officer meets every evacuation convoy.", "+994 12"),
    ("Embassy in Yerevan", MissionKind.EMBASSY, "AM", "Yerevan", "40.18", "44.51", ["AM"], OperatingStatus.OPERATIONAL,
     "", "+374 10"),
    ("Embassy in Ashgabat", MissionKind.EMBASSY, "TM", "Ashgabat", "37.96", "58.33", ["TM"],
     OperatingStatus.OPERATIONAL, "", "+993 12"),
]  # fmt: skip

OPENING_HOURS = "Monday to Friday, 9:00-13:00 and 14:30-18:00 (local time).\nClosed on public holidays."
SERVICES = "Passports and emergency travel documents\nNotarial acts\nHelp in emergencies, arrest or detention"


def _staff(email):
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"is_staff": True, "email_confirmed_at": timezone.now()}
    )
    if created:
        user.set_unusable_password()  # names on the demo history only; nobody signs in as them
        user.save(update_fields=["password"])
    return user


def _load_advisory(code, advice, *, author, publisher, now):
    advisory, _created = Advisory.objects.get_or_create(country=code)
    if advisory.editions.exists():
        return False
    history = advice["history"]
    edition = None
    for version, (days_ago, level, change_note) in enumerate(history, start=1):
        published_at = now - timedelta(days=days_ago)
        if edition is not None:
            edition.status, edition.archived_at = EditionStatus.ARCHIVED, published_at
            edition.save(update_fields=["status", "archived_at"])
        is_current = version == len(history)
        edition = AdvisoryEdition.objects.create(
            advisory=advisory,
            version=version,
            status=EditionStatus.PUBLISHED,
            level=level,
            risk_indicators=advice["risks"],
            summary=advice["summary"] if is_current else advice["summary"].split(".")[0] + ".",
            **{field: advice.get(field, "") for field in AdvisoryEdition.SECTION_FIELDS},
            change_note=change_note,
            is_major=bool(change_note),
            reviewed_at=published_at.date(),
            # One review is overdue, so that staff see what that looks like.
            next_review_due=published_at.date() + timedelta(days=60 if code == "CN" else 180),
            author=author,
            publisher=publisher,
            published_at=published_at,
        )
    RegionalAdvisory.objects.bulk_create(
        RegionalAdvisory(edition=edition, region=region, level=level, reason=reason)
        for region, level, reason in advice.get("regions", [])
    )
    advisory.current_edition = edition
    advisory.save(update_fields=["current_edition"])
    return True


def _load_mission(row, *, now):
    name, kind, country, city, latitude, longitude, jurisdiction, status, note, area = row
    if Mission.objects.filter(name=name).exists():
        return False
    slug = city.lower().replace(" ", "-")
    mission = Mission.objects.create(
        name=name,
        kind=kind,
        country=country,
        city=city,
        address=f"{len(city) * 3} Example Avenue\n{city}",
        latitude=latitude,
        longitude=longitude,
        email=f"{slug}@mfa.example.gov.kz",
        website=f"https://mfa.example.gov.kz/missions/{slug}/",
        opening_hours=OPENING_HOURS if kind != MissionKind.HONORARY_CONSUL else "By appointment.",
        services=SERVICES,
        operating_status=status,
        status_note=note,
        status_changed_at=now - timedelta(days=7 if note else 200),
    )
    MissionJurisdiction.objects.bulk_create(MissionJurisdiction(mission=mission, country=code) for code in jurisdiction)
    # Invented numbers: the area code of the city, then 555 01xx.
    MissionPhone.objects.bulk_create(
        [
            MissionPhone(mission=mission, kind=PhoneKind.MAIN, number=f"{area} 555 0100"),
            MissionPhone(mission=mission, kind=PhoneKind.EMERGENCY, number=f"{area} 555 0199"),
        ]
    )
    return True


def load(*, stdout):
    now = timezone.now()
    author = _staff("advisory.editor@example.gov.kz")
    publisher = _staff("advisory.publisher@example.gov.kz")
    advisories = sum(
        _load_advisory(code, advice, author=author, publisher=publisher, now=now) for code, advice in ADVISORIES.items()
    )
    missions = sum(_load_mission(row, now=now) for row in MISSIONS)
    stdout.write(f"Advisories: {advisories} new of {len(ADVISORIES)}; missions: {missions} new of {len(MISSIONS)}.")
