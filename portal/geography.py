"""Regions of countries (ISO 3166-2), shared by registrations and advisories, named in the reader's language.

Citizens choose a stop's region, and staff set regional advisory levels, from
the country's real list (pycountry, from Debian's iso-codes). Names come from
iso-codes' translations of ISO 3166-2 where it has one for the language
(Russian has about 1,900 of 5,000; Kazakh has no catalogue, so Kazakh pages
keep ISO's romanisation), else ISO's own name. Those translations are keyed by
the ISO name, which several regions share, so a few name the wrong place:
they are listed in WRONG_TRANSLATIONS and ignored.

Lists are sorted as a reader of the language expects: by the Unicode
Collation Algorithm (pyuca, as django-countries sorts its lists), so İstanbul
comes among the I's and not after Zonguldak; on Russian and Kazakh pages,
names in Cyrillic before those left in Latin script; on Kazakh pages, Kazakh's
own letters where its alphabet puts them.
"""

import gettext
import unicodedata
from functools import lru_cache

import pycountry
import pyuca
from django.utils import translation

# (language, region code): iso-codes' translation is another region's name.
WRONG_TRANSLATIONS = {
    ("ru", "IL-Z"),  # Israel's Northern District, "Ash Shamālī", comes out as the emirate of Sharjah.
}

_collator = pyuca.Collator()
# Kazakh's own letters, placed where its alphabet puts them: schwa after a, ghe with stroke after ghe…
_KAZAKH_LETTERS = str.maketrans(
    {
        "\u04d9": "\u0430\U0010fff0",  # schwa after a
        "\u0493": "\u0433\U0010fff0",  # ghe with stroke after ghe
        "\u049b": "\u043a\U0010fff0",  # ka with descender after ka
        "\u04a3": "\u043d\U0010fff0",  # en with descender after en
        "\u04e9": "\u043e\U0010fff0",  # barred o after o
        "\u04b1": "\u0443\U0010fff0",  # straight u with stroke after u
        "\u04af": "\u0443\U0010fff1",  # straight u after straight u with stroke
        "\u04bb": "\u0445\U0010fff0",  # shha after ha
        "\u0456": "\u044b\U0010fff0",  # dotted i after yeru
    }
)
_CYRILLIC_READERS = {"ru", "kk"}


def _language(language=None):
    return (language or translation.get_language() or "en").split("-")[0]


def collation_key(name, language=None):
    """The sort key of a name for a reader of `language` (the active one by default)."""
    language = _language(language)
    text = str(name)
    is_cyrillic = any("CYRILLIC" in unicodedata.name(char, "") for char in text[:1])
    script_first = 0 if is_cyrillic == (language in _CYRILLIC_READERS) else 1
    if language == "kk":
        text = text.lower().translate(_KAZAKH_LETTERS)
    return (script_first, _collator.sort_key(text))


def sorted_names(names, language=None):
    return sorted(names, key=lambda name: collation_key(name, language))


@lru_cache(maxsize=8)
def _catalogue(language):
    try:
        return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language])
    except FileNotFoundError:
        return gettext.NullTranslations()


@lru_cache(maxsize=256)
def _iso_regions(country_code):
    """((code, ISO name), …) of the country, in ISO's order."""
    return tuple((s.code, s.name) for s in pycountry.subdivisions.get(country_code=str(country_code).upper()) or ())


def _name_in(code, iso_name, language):
    if language == "en" or (language, code) in WRONG_TRANSLATIONS:
        return iso_name
    return _catalogue(language).gettext(iso_name)


@lru_cache(maxsize=1024)
def _regions(country_code, language):
    named = [(code, _name_in(code, iso_name, language)) for code, iso_name in _iso_regions(country_code)]
    return tuple(sorted(named, key=lambda region: collation_key(region[1], language)))


def regions_of(country_code, language=None):
    """(code, name) of every ISO 3166-2 region of the country, named and sorted for the language."""
    return list(_regions(str(country_code).upper(), _language(language)))


def is_region_of(region_code, country_code):
    return any(code == region_code for code, _name in _iso_regions(str(country_code).upper()))


def region_name(region_code, language=None):
    """The region's name in the language (the active one by default), or the code itself if it is unknown."""
    language = _language(language)
    for code, iso_name in _iso_regions(region_code.split("-", 1)[0]):
        if code == region_code:
            return _name_in(code, iso_name, language)
    return region_code
