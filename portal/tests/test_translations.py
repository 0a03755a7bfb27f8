"""Every message is translated into Russian and Kazakh, and compiled.

The compiled .mo files are committed so that a machine without gettext shows
every language; these tests make sure they say what the .po files say.
"""

import gettext
import re
from pathlib import Path

import django
import polib
import pytest

PROJECT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(PROJECT.glob("locale*/*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")


def test_russian_and_kazakh_catalogues_exist():
    languages = {path.parts[-3] for path in CATALOGUES if path.parts[-4] == "locale"}
    assert {"ru", "kk"} <= languages


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(PROJECT)))
def test_every_message_is_translated_with_the_same_placeholders(path):
    catalogue = polib.pofile(str(path))
    assert not any("fuzzy" in entry.flags for entry in catalogue), "fuzzy entries show English"
    for entry in catalogue:
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        assert all(translations), f"untranslated: {entry.msgid!r}"
        expected = sorted(set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or ""))))
        for translation in translations:
            assert sorted(set(PLACEHOLDER.findall(translation))) == expected, entry.msgid


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(PROJECT)))
def test_compiled_catalogue_matches_its_source(path):
    with open(path.with_suffix(".mo"), "rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)._catalog
    for entry in polib.pofile(str(path)):
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                assert compiled.get((entry.msgid, int(index))) == text, f"recompile: {entry.msgid!r}"
        else:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            assert compiled.get(key) == entry.msgstr, f"run 'make messages' to recompile: {entry.msgid!r}"


def django_countries_english_names():
    """The names django-countries asks gettext for: official and common ones."""
    from django.utils import translation
    from django_countries.base import CountriesBase
    from django_countries.data import COUNTRIES

    with translation.override(None):
        return {str(name) for name in [*COUNTRIES.values(), *CountriesBase.COMMON_NAMES.values()]}


def test_supplementary_catalogue_only_holds_djangos_own_messages():
    django_messages = set()
    for english in Path(django.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po"):
        django_messages.update(entry.msgid for entry in polib.pofile(str(english)))
    # Kazakh country names (scripts/build_country_names_kk.py): django-countries has no kk catalogue.
    django_messages |= django_countries_english_names()
    for path in PROJECT.glob("locale_django/*/LC_MESSAGES/django.po"):
        stale = [entry.msgid for entry in polib.pofile(str(path)) if entry.msgid not in django_messages]
        assert stale == [], f"{path}: not (or no longer) a Django message"


def test_country_names_are_kazakh_on_kazakh_pages():
    from django.utils import translation
    from django_countries import countries

    with translation.override("kk"):
        assert countries.name("IR") == "Иран"
        assert countries.name("KZ") == "Қазақстан"
