# ruff: noqa: RUF001 - Russian names: Cyrillic letters are meant.
from django.utils import translation

from portal.geography import collation_key, is_region_of, region_name, regions_of, sorted_names


def test_regions_are_the_countrys_iso_3166_2_list_sorted_by_collation():
    regions = regions_of("IR", "en")

    assert ("IR-23", "Tehrān") in regions
    assert all(code.startswith("IR-") for code, _name in regions)
    names = [name for _code, name in regions]
    assert names == sorted(names, key=lambda name: collation_key(name, "en"))
    assert is_region_of("IL-TA", "IL")
    assert not is_region_of("IL-TA", "IR")


def test_istanbul_is_among_the_is_not_after_zonguldak():
    """Code points put İ (U+0130) after Z: 79th of 82 on the trip form before the Unicode Collation Algorithm."""
    for language in ["en", "ru", "kk"]:
        names = [name for _code, name in regions_of("TR", language)]
        assert names.index("İstanbul") < names.index("Kahramanmaraş") < names.index("Zonguldak")
        assert names.index("Iğdır") < names.index("İstanbul")


def test_region_names_in_russian_where_iso_codes_has_them_cyrillic_first():
    with translation.override("ru"):
        armenia = regions_of("AM")
        assert region_name("AM-ER") == "Ереван"
    names = [name for _code, name in armenia]
    assert "Ереван" in names
    # Names still in Latin script (no translation) come after the Cyrillic ones.
    cyrillic = [name for name in names if name[0].lower() != name[0].upper() and "\u0400" <= name[0] <= "\u04ff"]
    assert names[: len(cyrillic)] == cyrillic


def test_a_translation_that_names_another_region_is_ignored():
    # iso-codes' Russian for Israel's "Ash Shamālī" (Northern District) is the emirate of Sharjah.
    assert region_name("IL-Z", "ru") == "Ash Shamālī"


def test_kazakh_has_no_catalogue_so_iso_names_in_its_order():
    assert region_name("AM-ER", "kk") == "Erevan"
    assert sorted_names(["ұл", "үй", "ул", "іні", "ыс", "әке", "аяк"], "kk") == [
        "аяк",
        "әке",
        "ул",
        "ұл",
        "үй",
        "ыс",
        "іні",
    ]


def test_region_names():
    assert region_name("IR-23", "en") == "Tehrān"
    assert region_name("XX-99") == "XX-99"
