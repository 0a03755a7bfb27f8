from io import StringIO

import pytest

from advisories import demo
from advisories.models import Advisory, AdvisoryEdition, Mission, RegionalAdvisory

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates_and_is_valid():
    demo.load(stdout=StringIO())
    counts = (Advisory.objects.count(), AdvisoryEdition.objects.count(), Mission.objects.count())
    output = StringIO()

    demo.load(stdout=output)

    assert (Advisory.objects.count(), AdvisoryEdition.objects.count(), Mission.objects.count()) == counts
    assert "0 new" in output.getvalue()
    assert Advisory.objects.levels_for(["IR", "IL", "TR", "AE"]) == {"IR": 4, "IL": 3, "TR": 2, "AE": 1}
    for region in RegionalAdvisory.objects.select_related("edition__advisory"):
        region.full_clean()  # a real ISO 3166-2 region of its country
    for edition in AdvisoryEdition.objects.all():
        edition.full_clean()
    assert AdvisoryEdition.objects.filter(advisory__country="IR").public_history().count() == 2
    assert [mission.city for mission in Mission.objects.serving("SD")] == ["Cairo"]
    assert {mission.city for mission in Mission.objects.serving("OM")} == {"Abu Dhabi"}
    assert all("example" in mission.website for mission in Mission.objects.all())


def test_the_demo_speaks_kazakh_and_russian_and_shares_turkiye_between_two_missions():
    demo.load(stdout=StringIO())

    for code in ["IR", "IL", "AZ", "AM", "TM", "EG", "TR"]:
        edition = Advisory.objects.get(country=code).current_edition
        assert edition.summary_kk and edition.summary_ru, code
        for region in edition.regions.all():
            assert region.reason_kk and region.reason_ru, region.region
        for name in AdvisoryEdition.SECTION_FIELDS:
            if getattr(edition, f"{name}_en"):
                assert getattr(edition, f"{name}_kk") and getattr(edition, f"{name}_ru"), (code, name)
    for mission in Mission.objects.all():
        for field in ["name", "city", "address", "opening_hours", "services"]:
            assert getattr(mission, f"{field}_kk") and getattr(mission, f"{field}_ru"), (mission.name_en, field)
    istanbul = Mission.objects.get(name_en="Consulate General in Istanbul")
    ankara = Mission.objects.get(name_en="Embassy in Ankara")
    assert istanbul.jurisdictions.filter(region="TR-34").exists()
    assert not ankara.jurisdictions.filter(region="TR-34").exists()
    assert Mission.objects.serving("TR", "TR-34").first() == istanbul
    assert Mission.objects.serving("TR", "TR-06").first() == ankara
    # Every province of Türkiye has its mission, and only one of the two.
    provinces = set(istanbul.jurisdictions.values_list("region", flat=True))
    assert provinces.isdisjoint(ankara.jurisdictions.values_list("region", flat=True))
    assert len(provinces) + ankara.jurisdictions.count() == 81
