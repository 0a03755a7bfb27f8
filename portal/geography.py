"""Regions of countries (ISO 3166-2), shared by registrations and advisories.

Citizens choose a stop's region, and staff set regional advisory levels, from
the country's real list (pycountry, from Debian's iso-codes). Names are ISO's
official romanisation in every language: iso-codes' translations are keyed by
that name, which several countries share, so they can name the wrong region
(Israel's "Ash Shamālī" comes out as the emirate of Sharjah in Russian).
"""

from functools import lru_cache

import pycountry


@lru_cache(maxsize=256)
def _regions(country_code):
    subdivisions = pycountry.subdivisions.get(country_code=str(country_code).upper()) or ()
    return tuple(sorted(((s.code, s.name) for s in subdivisions), key=lambda region: region[1]))


def regions_of(country_code):
    """(code, name) of every ISO 3166-2 region of the country, sorted by name."""
    return list(_regions(country_code))


def is_region_of(region_code, country_code):
    return any(code == region_code for code, _name in _regions(country_code))


def region_name(region_code):
    """The region's ISO name, or the code itself if it is unknown."""
    for code, name in _regions(region_code.split("-", 1)[0]):
        if code == region_code:
            return name
    return region_code
