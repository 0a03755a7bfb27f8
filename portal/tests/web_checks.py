"""Every public, citizen and staff page, found by following links, for the HTML and accessibility checks.

`build_world()` makes a portal worth looking at: the demo's advisories and
missions, a citizen with a household and a trip through Iran and İstanbul,
an open crisis with a public notice, and a superuser with a second factor.
`crawl()` then follows every link of each kind of visitor, in each
language, keeping two pages of each view (a country with regional levels
and one without, one trip…) and one of each admin view: every kind of page
is checked without checking 250 country pages.

The checkers come from registries, installed by `make web-checks` (and by
.ci/run) into .web-checks/, which git ignores: the Nu Html Checker's jar
(npm package vnu-jar, run by Debian's Java) and axe-core's script (npm
package axe-core, run in the page by Playwright's Chromium).
"""

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter, deque
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

PROJECT = Path(__file__).resolve().parents[2]
WEB_CHECKS = Path(os.environ.get("WEB_CHECKS_DIR", PROJECT / ".web-checks"))
VNU_JAR = WEB_CHECKS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = WEB_CHECKS / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ["en", "ru", "kk"]

# Links never followed: they change something on GET, or answer something other than a page.
NOT_PAGES = re.compile(
    r"/(logout|i18n|static|media|my-data|export)(/|$)|/(feed|cap\.xml|map\.svg)|^/api/|/regions/|\.(csv|json|xml|svg)$"
)
# Error pages are pages too: reached on purpose.
EXPECTED_ERRORS = {"/{language}/no-such-page/": 404}


@dataclass
class Page:
    role: str
    language: str
    url: str
    status: int
    html: str = ""


def require(path, what):
    """The checker's file, or a skip (a failure in CI) saying how to install it."""
    if path.exists():
        return path
    message = f"{what} is not installed ({path}): run `make web-checks`."
    if os.environ.get("CI"):
        pytest.fail(f"{message} In CI a skipped check is a failure.")
    pytest.skip(message)


def build_world():
    """The demo's advice and missions, one citizen in a crisis, one superuser; returns (citizen, superuser)."""
    from advisories import demo
    from registrations.services.crises import open_crisis
    from registrations.tests.factories import days, make_member, make_officer, make_profile, make_trip, make_user

    demo.load(stdout=StringIO())
    superuser = make_officer("root@mfa.example.gov.kz", is_superuser=True)[0]
    citizen = make_user("aigerim.saparova@example.com")
    make_profile(citizen)
    child = make_member(citizen)
    make_trip(
        citizen,
        ("IR", "IR-23", days(-2), days(4)),
        ("TR", "TR-34", days(4), days(12)),
        travellers=[child],
    )
    open_crisis(
        name="Iran 2026",
        areas=[("IR", "")],
        opened_by=superuser,
        public_notice="Airspace over Iran is closed. Land borders with Azerbaijan and Armenia are open.",
    )
    return citizen, superuser


def _kind(url):
    """What makes two addresses the same kind of page: their view (admin: their kind of admin view)."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return url
    name = match.view_name
    for suffix in ("_delete", "_history"):
        if name.startswith("admin:") and name.endswith(suffix):
            return f"admin:any{suffix}"  # Django's own pages, the same for every model
    return name


def _links(page_html):
    for href in re.findall(r'href="([^"#]*)', page_html):
        url = html.unescape(href)
        if url.startswith("/") and not url.startswith("//") and not NOT_PAGES.search(url):
            yield url


def crawl(client, *, role, language, seeds, within, per_view, limit=300):
    """The pages reached from `seeds` by following links under `within`, at most `per_view` of each view."""
    queue, seen, kinds, pages = deque(seeds), set(), Counter(), []
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in seen or not url.startswith(within):
            continue
        seen.add(url)
        is_admin = url.startswith("/admin/")
        if is_admin and "?" in url and url not in seeds:
            continue  # filters, sorting and searches of a list: the same page
        kind = _kind(url)
        if kinds[kind] >= (1 if is_admin else per_view):
            continue
        response = client.get(url)
        expected = EXPECTED_ERRORS.get(url.replace(f"/{language}/", "/{language}/", 1), 200)
        if response.status_code != expected or not response.get("Content-Type", "").startswith("text/html"):
            if response.status_code >= 500:
                pages.append(Page(role, language, url, response.status_code))
            continue
        kinds[kind] += 1
        text = response.content.decode()
        pages.append(Page(role, language, url, response.status_code, text))
        queue.extend(_links(text))
    return pages


def signed_in_clients(citizen, superuser, language):
    """{role: (client, seeds, within)} for anonymous visitors, the citizen and staff, in `language`."""
    from registrations.tests.factories import sign_in_staff

    anonymous = Client()
    citizen_client = Client()
    citizen_client.force_login(citizen)
    staff = sign_in_staff(Client(), superuser)
    staff.cookies["django_language"] = language  # the admin has no language prefix
    prefix = f"/{language}/"
    public_seeds = [
        prefix,
        f"{prefix}advisories/",
        f"{prefix}advisories/tr/",
        f"{prefix}advisories/kr/",
        f"{prefix}advisories/fr/",
        f"{prefix}embassies/?helps-country=TR",
        f"{prefix}advisories/subscribe/sent/",
        f"{prefix}accounts/signup/",
        f"{prefix}accounts/signup/check-your-email/",
        f"{prefix}accounts/login/",
        f"{prefix}accounts/password/reset/",
        f"{prefix}accounts/confirm/resend/",
        f"{prefix}no-such-page/",
    ]
    return {
        "public": (anonymous, public_seeds, prefix),
        "citizen": (citizen_client, [f"{prefix}accounts/", f"{prefix}accounts/trips/add/"], f"{prefix}accounts/"),
        "staff": (staff, ["/admin/"], "/admin/"),
    }


def every_page(citizen, superuser, languages=LANGUAGES):
    pages = []
    for language in languages:
        for role, (client, seeds, within) in signed_in_clients(citizen, superuser, language).items():
            pages += crawl(client, role=role, language=language, seeds=seeds, within=within, per_view=2)
    return pages


def server_errors(pages):
    return [f"{page.status} {page.role} {page.url}" for page in pages if page.status >= 500]


def html_errors(pages):
    """The Nu Html Checker's errors, as "page: line: message", for every page at once (one Java start)."""
    java = shutil.which("java")
    if java is None:
        message = "The Nu Html Checker needs Java: apt-get install default-jre-headless."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    jar = require(VNU_JAR, "The Nu Html Checker (npm package vnu-jar)")
    with tempfile.TemporaryDirectory() as directory:
        files = {}
        for index, page in enumerate(pages):
            path = Path(directory).resolve() / f"{index:04d}.html"
            path.write_text(page.html, encoding="utf-8")
            files[str(path)] = page
        command = [java, "-jar", str(jar), "--format", "json", "--errors-only", "--exit-zero-always", "--stdout"]
        result = subprocess.run([*command, *files], capture_output=True, text=True, check=True, timeout=900)
    errors = []
    for message in json.loads(result.stdout)["messages"]:
        path = re.sub(r"^file:/+", "/", message.get("url", ""))
        page = files.get(path)
        where = f"{page.role} {page.url}" if page else message.get("url")
        extract = message.get("extract", "").strip()
        errors.append(f"{where}: line {message.get('lastLine')}: {message['message']} [{extract}]")
    return errors


def axe_violations(browser_page, url):
    """axe-core's serious and critical violations on the page, as readable lines."""
    browser_page.goto(url)
    browser_page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    results = browser_page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in {"serious", "critical"}:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"][:1])
            lines.append(f"{url}: {violation['id']} ({violation['impact']}): {target} {node['html'][:160]}")
    return lines
