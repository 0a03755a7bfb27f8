"""Add Kazakh country names to locale_django/kk from pycountry's catalogue.

django-countries has no Kazakh translation, so /kk/ pages would name
countries in English. pycountry ships iso-codes' Kazakh names, keyed by
pycountry's (ISO) English name; django-countries looks names up by its own
English names ("Iran" and "Iran (Islamic Republic of)", not pycountry's "Iran,
Islamic Republic of"). This script writes one entry per English name of
django-countries: msgid = that name, msgstr = the
Kazakh name, skipping codes pycountry leaves untranslated. Running it again
updates the entries in place.

    DEBUG=1 .venv/bin/python scripts/build_country_names_kk.py
    DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv
"""

import gettext
import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
CATALOGUE = PROJECT / "locale_django" / "kk" / "LC_MESSAGES" / "django.po"
# Everything below this line is generated; edit the script, not the entries.
MARKER = "# Country names: django-countries' English names, Kazakh from pycountry (scripts/build_country_names_kk.py)."


def kazakh_country_names():
    """{django-countries' English name: Kazakh name} for every country pycountry translates."""
    import pycountry
    from django.utils import translation
    from django_countries.base import CountriesBase
    from django_countries.data import COUNTRIES

    kazakh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["kk"])
    names = {}
    # The official names, and the common ones the pages show by default
    # (COUNTRIES_COMMON_NAMES: "Iran" rather than "Iran (Islamic Republic of)").
    english_names = [*COUNTRIES.items(), *CountriesBase.COMMON_NAMES.items()]
    with translation.override(None):  # the English msgid, not a translation of it
        for code, lazy_name in english_names:
            country = pycountry.countries.get(alpha_2=code)
            if country is None:
                continue
            translated = kazakh.gettext(country.name)
            if translated != country.name:
                names[str(lazy_name)] = translated
    return names


def main():
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django
    import polib

    django.setup()
    # The generated entries sit below a marker at the end; the hand-written
    # ones above it are left byte for byte as they are.
    text = CATALOGUE.read_text(encoding="utf-8")
    hand_written = text.split(MARKER, 1)[0].rstrip("\n") + "\n"
    own = {entry.msgid for entry in polib.pofile(hand_written)}
    entries = [
        str(polib.POEntry(msgid=english, msgstr=kazakh))
        for english, kazakh in sorted(kazakh_country_names().items())
        if english not in own
    ]
    CATALOGUE.write_text(hand_written + "\n" + MARKER + "\n\n" + "\n".join(entries), encoding="utf-8")
    print(f"{CATALOGUE.relative_to(PROJECT)}: {len(entries)} country names.")  # noqa: T201


if __name__ == "__main__":
    main()
