import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_feeds_and_data_page_links_every_output(client, language):
    response = client.get(f"/{language}/advisories/data/")

    assert response.status_code == 200
    for path in ["/advisories/feed/", "/advisories/cap.xml", "/api/v1/advisories/", "/api/v1/missions/"]:
        assert f'href="{path}"'.encode() in response.content
    assert f'href="/{language}/advisories/subscribe/"'.encode() in response.content


def test_every_page_links_to_it_from_the_footer(client):
    assert b'href="/en/advisories/data/"' in client.get("/en/").content
