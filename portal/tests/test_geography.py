from portal.geography import is_region_of, region_name, regions_of


def test_regions_are_the_countrys_iso_3166_2_list():
    regions = regions_of("IR")

    assert ("IR-23", "Tehrān") in regions
    assert all(code.startswith("IR-") for code, _name in regions)
    assert [name for _code, name in regions] == sorted(name for _code, name in regions)
    assert is_region_of("IL-TA", "IL")
    assert not is_region_of("IL-TA", "IR")


def test_region_names():
    assert region_name("IR-23") == "Tehrān"
    assert region_name("XX-99") == "XX-99"
