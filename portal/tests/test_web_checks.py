"""Every public, citizen and staff page, in Kazakh, Russian and English, is valid HTML and passes axe-core.

The Nu Html Checker must find no error; axe-core no serious or critical
violation, on a phone-sized screen (390 px, where the regions table scrolls
sideways). web_checks.py finds the pages and runs the checkers.
"""

import pytest

from .web_checks import (
    AXE_SCRIPT,
    LANGUAGES,
    axe_violations,
    build_world,
    every_page,
    html_errors,
    require,
    server_errors,
)

PHONE = {"width": 390, "height": 844}


@pytest.mark.django_db
def test_every_page_in_every_language_is_valid_html(settings):
    settings.PUBLIC_PAGES = []  # each page rendered here, not replayed from a previous test's
    pages = every_page(*build_world())

    assert server_errors(pages) == []
    assert len({page.url for page in pages if page.role == "staff"}) > 20, "the crawl lost the staff pages"
    errors = html_errors([page for page in pages if page.html])
    assert errors == [], f"{len(errors)} HTML errors:\n" + "\n".join(errors)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_passes_axe_core_without_serious_violations(
    language, browser, live_server, transactional_db, settings
):
    require(AXE_SCRIPT, "axe-core (npm package axe-core)")
    settings.SITE_URL = live_server.url
    settings.PUBLIC_PAGES = []
    citizen, superuser = build_world()
    pages = [page for page in every_page(citizen, superuser, [language]) if page.html]
    violations = []
    # One browser context per kind of visitor, signed in as the crawl was (the same session cookie).
    from .web_checks import signed_in_clients

    for role, (client, _seeds, _within) in signed_in_clients(citizen, superuser, language).items():
        # axe-core is injected into the page: the CSP would refuse it, as it refuses any script not ours.
        context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="en-GB")
        cookies = [
            {"name": name, "value": morsel.value, "url": live_server.url} for name, morsel in client.cookies.items()
        ]
        if cookies:
            context.add_cookies(cookies)
        page = context.new_page()
        for checked in [page_ for page_ in pages if page_.role == role]:
            violations += axe_violations(page, live_server.url + checked.url)
        context.close()

    assert violations == [], f"{len(violations)} serious or critical violations:\n" + "\n".join(violations)
