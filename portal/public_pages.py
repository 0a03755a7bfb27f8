"""The anonymous public pages, kept whole in each process's memory: a cached page costs what a bare view does.

The pages of settings.PUBLIC_PAGES (URL names) are kept with their headers and
their gzip encoding (made once), keyed on their address and the public pages'
version (with Redis, known in memory: portal/generation_watch.py; else one read
of the cache). Only a response to a request without session or messages cookie,
that set no cookie and used no CSRF token, is kept: there is nothing personal or
secret on such a page, so compressing it is safe (no BREACH). Pages are checked
against the version on every request, so a publication shows at once; each is
kept at most PUBLIC_PAGES_MAX_AGE seconds (a page may show the time it was made).
"""

import gzip
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string
from django.utils.translation.trans_real import parse_accept_lang_header

from portal.generation_watch import GenerationWatch


class _PageStore:
    """Whole responses in this process's memory, the least recently used dropped first."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pages = OrderedDict()
        self._bytes = 0

    def get(self, key):
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key, page):
        size = len(page["body"]) + len(page.get("gzip") or b"")
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= old["size"]
            page["size"] = size
            self._pages[key] = page
            self._bytes += size
            while self._pages and (
                len(self._pages) > settings.PUBLIC_PAGES_MAX_ENTRIES or self._bytes > settings.PUBLIC_PAGES_MAX_BYTES
            ):
                _key, dropped = self._pages.popitem(last=False)
                self._bytes -= dropped["size"]

    def clear(self):
        with self._lock:
            self._pages.clear()
            self._bytes = 0


pages = _PageStore()

_LANGUAGES = {code for code, _name in settings.LANGUAGES}
GENERATION_KEY = "public-pages:generation"
VERSION_KEY = "public-pages:data-version"
# Set-Cookie is never kept (a kept page sets none); these are the response's own.
_COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/atom+xml", "image/svg+xml")


def public_pages_changed(**_signal):
    """Every process's public pages are out of date: on each write to their data (PUBLIC_PAGES_DATA_MODULES).

    A process that reads the data between this and the writer's commit keeps
    the old data's version at most PUBLIC_PAGES_VERSION_SECONDS.
    """
    _bump()


def data_changed(sender, **_signal):
    """The receiver of every model's saves and deletions: public data only bumps the version."""
    if sender.__module__ in settings.PUBLIC_PAGES_DATA_MODULES:
        public_pages_changed()


def _new_generation():
    """A generation no page was kept under: for a new or flushed cache."""
    return time.time_ns() // 1000


# With Redis, each process knows the generation without asking (portal/generation_watch.py).
_watch = GenerationWatch(GENERATION_KEY, _new_generation)


def _watched():
    return hasattr(cache, "redis")


def _bump():
    try:
        generation = cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, _new_generation(), None)
        generation = cache.get(GENERATION_KEY)
    cache.delete(VERSION_KEY)
    if _watched():
        _watch.publish(cache, generation)


def public_pages_version():
    """The version the kept pages are checked against: one read of the shared cache in the usual case.

    The data's own version (read from the database by PUBLIC_PAGES_VERSION) is
    shared for PUBLIC_PAGES_VERSION_SECONDS, so a change made behind the ORM's
    back (SQL, a bulk update) shows within that time; every change through the
    ORM bumps the generation at once, in every process sharing the cache.
    With Redis, the generation is the one this process was told of, and the
    data's version is read from the database by each process (no round trip).
    """
    generation = _watch.current() if _watched() else None
    if generation is not None:
        return f"{generation}:{_data_version_here(generation)}"
    values = cache.get_many([GENERATION_KEY, VERSION_KEY])
    generation, data_version = values.get(GENERATION_KEY), values.get(VERSION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _new_generation(), None)
        generation = cache.get(GENERATION_KEY)
    if data_version is None:
        data_version = _data_version()
        cache.set(VERSION_KEY, data_version, settings.PUBLIC_PAGES_VERSION_SECONDS)
    return f"{generation}:{data_version}"


def _data_version():
    return ".".join(import_string(path)() for path in settings.PUBLIC_PAGES_VERSION)


_here = {"generation": None, "data_version": None, "until": 0.0}


def _data_version_here(generation):
    """The data's version read by this process: again after PUBLIC_PAGES_VERSION_SECONDS or a new generation."""
    now = time.monotonic()
    if _here["generation"] != generation or now >= _here["until"]:
        until = now + settings.PUBLIC_PAGES_VERSION_SECONDS
        _here.update(generation=generation, data_version=_data_version(), until=until)
    return _here["data_version"]


def _is_public(path):
    """Whether the address is one of PUBLIC_PAGES (resolved in the language of its prefix, as i18n_patterns do)."""
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        try:
            return resolve(path).view_name in settings.PUBLIC_PAGES
        except Resolver404:
            return False


def _page_key(request):
    """The page's address, and for an address without a language prefix the language Accept-Language asks for.

    Such pages (the JSON API) answer in that language, with Vary: Accept-Language:
    an answer kept for a Kazakh reader must not be replayed to an English one.
    """
    path = request.get_full_path()
    if translation.get_language_from_path(request.path_info):
        return path
    for accepted, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        language = accepted.split("-")[0].lower()
        if language in _LANGUAGES:
            return f"{path}|{language}"
    return f"{path}|"


def _anonymous(request):
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def _accepts_gzip(request):
    return "gzip" in request.headers.get("accept-encoding", "")


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or not _anonymous(request) or not settings.PUBLIC_PAGES:
            return self.get_response(request)
        key = _page_key(request)
        page = pages.get(key)
        if page is None and not _is_public(request.path_info):
            return self.get_response(request)
        # Read before the page is made: a page is never kept under a version newer than its data.
        version = public_pages_version()
        if page is not None and page["version"] == version and time.monotonic() < page["expires"]:
            return self._replay(request, page)
        response = self.get_response(request)
        if self._keepable(request, response):
            return self._replay(request, self._keep(key, version, response))
        return response

    @staticmethod
    def _keepable(request, response):
        match = request.resolver_match
        return (
            match is not None
            and match.view_name in settings.PUBLIC_PAGES
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _keep(key, version, response):
        body = response.content
        encoded = response.get("Content-Encoding")
        if encoded == "gzip":  # a view's own gzip_page, made for one answer: decompressed and made again below
            body, encoded = gzip.decompress(body), None
        compressed = None
        if not encoded and response.get("Content-Type", "").startswith(_COMPRESSIBLE) and len(body) > 200:
            # Made once and kept, so the smallest gzip is worth its time: the map is 4% lighter at 9 than at 6.
            compressed = gzip.compress(body, compresslevel=9, mtime=0)
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in {"content-encoding", "content-length", "set-cookie"}
        ]
        page = {
            "version": version,
            "expires": time.monotonic() + settings.PUBLIC_PAGES_MAX_AGE,
            "status": response.status_code,
            "headers": headers,
            "body": body,
            "gzip": compressed,
        }
        pages.put(key, page)
        return page

    @staticmethod
    def _replay(request, page):
        use_gzip = page["gzip"] is not None and _accepts_gzip(request)
        response = HttpResponse(page["gzip"] if use_gzip else page["body"], status=page["status"])
        for name, value in page["headers"]:
            response[name] = value
        if page["gzip"] is not None:
            patch_vary_headers(response, ("Accept-Encoding",))
        if use_gzip:
            response["Content-Encoding"] = "gzip"
            if response.get("ETag", "").startswith('"'):
                response["ETag"] = "W/" + response["ETag"]
        etag = response.get("ETag")
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        if etag or last_modified:
            return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
        return response
