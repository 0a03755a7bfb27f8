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
