"""Admin searches whose term never appears in a URL (issue 11): for every app whose lists search personal data.

A term in an address (`?q=jane@example.com`) ends up in access logs, browser
histories and Referer headers. Here the search box posts the term, the
session keeps it under a random, short-lived token, and the list's address
holds only the token.
"""

import secrets
import time

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

# In a list's URL, the token that stands for a search term kept in the session.
SEARCH_TOKEN_VAR = "qt"
# A kept search lives this long after its last use (like a staff session left idle), and a session keeps this many.
SEARCH_TOKEN_SECONDS = 30 * 60
SEARCH_TOKENS_PER_SESSION = 20
SEARCH_TERM_MAX_LENGTH = 200
_SESSION_KEY = "admin_searches"
# What the search form posts besides the list's own parameters, never passed on to the list's URL.
_NOT_PASSED_ON = {"csrfmiddlewaretoken", SEARCH_VAR, SEARCH_TOKEN_VAR, PAGE_VAR, "e"}


def keep_search_term(request, *, scope, term):
    """Keep `term` in the session for searches of `scope` (a model's label); return the token that stands for it."""
    now = time.time()
    kept = {
        token: search for token, search in request.session.get(_SESSION_KEY, {}).items() if search.get("until", 0) > now
    }
    token = secrets.token_urlsafe(12)
    kept[token] = {"scope": scope, "term": term, "until": now + SEARCH_TOKEN_SECONDS}
    newest = sorted(kept.items(), key=lambda item: item[1]["until"])[-SEARCH_TOKENS_PER_SESSION:]
    request.session[_SESSION_KEY] = dict(newest)
    return token


def kept_search_term(request, *, scope, token):
    """The term `token` stands for in this session's searches of `scope`, or None (unknown, expired, other scope)."""
    kept = request.session.get(_SESSION_KEY, {})
    search = kept.get(token) if isinstance(token, str) else None
    if not search or search.get("scope") != scope or search.get("until", 0) <= time.time():
        return None
    search["until"] = time.time() + SEARCH_TOKEN_SECONDS
    request.session.modified = True
    return search["term"]


def _refuse_term_in_url(request):
    messages.error(
        request, gettext("Search with the search box: a term in the web address is not used, to keep it out of logs.")
    )


def _refuse_dead_token(request):
    messages.warning(request, gettext("This search has expired, or was made in another session: search again."))


def page_search(request, *, scope):
    """The search of a page with a search box of its own (not an admin list), kept out of its URL like a list's.

    Returns (redirect, term): a redirect to answer with when the box was
    posted, or the URL held a term or a dead token; else None and the term
    kept for this page ("" without a search). The page's box posts `q` to the
    page itself, with the CSRF token.
    """
    url = request.path
    if request.method == "POST" and SEARCH_VAR in request.POST:
        term = request.POST[SEARCH_VAR][:SEARCH_TERM_MAX_LENGTH]
        if not term.strip():
            return HttpResponseRedirect(url), ""
        token = keep_search_term(request, scope=scope, term=term)
        return HttpResponseRedirect(f"{url}?{urlencode({SEARCH_TOKEN_VAR: token})}"), ""
    if SEARCH_VAR in request.GET:
        _refuse_term_in_url(request)
        return HttpResponseRedirect(url), ""
    token = request.GET.get(SEARCH_TOKEN_VAR)
    if token is None:
        return None, ""
    term = kept_search_term(request, scope=scope, token=token)
    if term is None:
        _refuse_dead_token(request)
        return HttpResponseRedirect(url), ""
    return None, term


class KeptSearchFilter(admin.ListFilter):
    """The list's search, found from the token in its URL: a filter, so that every list built from the URL
    (the page, its actions, an export) applies it, and every link the list makes keeps the token."""

    title = _("search")
    template = "admin/kept_search_filter.html"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.model_admin = model_admin
        self.term = None
        tokens = params.pop(SEARCH_TOKEN_VAR, None)
        if tokens:
            token = tokens[-1] if isinstance(tokens, list) else tokens
            self.term = model_admin.kept_search_term(request, token)
            if self.term is None:
                # Another session's, or expired: never the list unsearched, as if it were the answer.
                raise IncorrectLookupParameters(SEARCH_TOKEN_VAR)
            self.used_parameters[SEARCH_TOKEN_VAR] = token
            request._kept_search = self.term

    def has_output(self):
        return self.term is not None

    def choices(self, changelist):
        return []

    def expected_parameters(self):
        return [SEARCH_TOKEN_VAR]

    def queryset(self, request, queryset):
        results, may_have_duplicates = self.model_admin.get_search_results(request, queryset, self.term)
        if may_have_duplicates:
            results = queryset.filter(Exists(results.filter(pk=OuterRef("pk")).values("pk")))
        return results


class PrivateSearchMixin:
    """Searches whose term never appears in a URL (issue 11): an address ends up in access logs and histories.

    The search box posts the term (with the CSRF token) to the list's "search/"
    address, which keeps it in the session under a random, short-lived token
    and redirects to the list with only `?qt=<token>`. The list searches with
    the kept term (KeptSearchFilter), its links (pages, sorting, filters, a
    record's page and back) carry the token, and the box shows the term again
    in the page's body. A token is good only in the session that made it and
    for the list it was made for.

    A search term in the URL (`?q=`) is refused: the list answers with a
    redirect to itself without it, and a message, and does not search. Turning
    it into a token instead would make such links keep working, and be shared
    and bookmarked, while the value has already reached the logs.

    The admin's autocomplete (a GET with `?term=`) is not offered: the list's
    foreign keys to these models are picked with raw_id_fields, whose lookup is
    this list and its private search.
    """

    def kept_search_term(self, request, token):
        return kept_search_term(request, scope=self.opts.label_lower, token=token)

    def get_search_fields(self, request):
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            return []  # the autocomplete view answers 404: its term would be in the URL
        return super().get_search_fields(request)

    def get_list_filter(self, request):
        list_filter = super().get_list_filter(request)
        if self.get_search_fields(request):
            return [*list_filter, KeptSearchFilter]
        return list_filter

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "search/",
                self.admin_site.admin_view(require_POST(self.search_view)),
                name="{}_{}_search".format(*info),
            ),
            *super().get_urls(),
        ]

    def _changelist_url(self, params=()):
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist", current_app=self.admin_site.name
        )
        query = urlencode(list(params), doseq=True)
        return f"{url}?{query}" if query else url

    def search_view(self, request):
        """The search box's POST: keep the term, and go to the list with its token and the list's other parameters."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        term = request.POST.get(SEARCH_VAR, "")[:SEARCH_TERM_MAX_LENGTH]
        params = [(key, values) for key, values in request.POST.lists() if key not in _NOT_PASSED_ON]
        if term.strip():
            params.append((SEARCH_TOKEN_VAR, self.keep_search(request, term)))
        return HttpResponseRedirect(self._changelist_url(params))

    def keep_search(self, request, term):
        return keep_search_term(request, scope=self.opts.label_lower, term=term)

    def get_changelist_instance(self, request):
        if SEARCH_VAR in request.GET:
            # Never a search by a value from the URL, whichever view builds the list (an export too).
            raise IncorrectLookupParameters(SEARCH_VAR)
        return super().get_changelist_instance(request)

    def changelist_view(self, request, extra_context=None):
        others = [(key, values) for key, values in request.GET.lists() if key not in {SEARCH_VAR, SEARCH_TOKEN_VAR}]
        if SEARCH_VAR in request.GET:
            _refuse_term_in_url(request)
            return HttpResponseRedirect(self._changelist_url(others))
        token = request.GET.get(SEARCH_TOKEN_VAR)
        if token is not None and self.kept_search_term(request, token) is None:
            _refuse_dead_token(request)
            return HttpResponseRedirect(self._changelist_url(others))
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            # The box posts here, and shows the term again: in the page, never in an address.
            changelist.search_action = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_search", current_app=self.admin_site.name
            )
            changelist.search_token_var = SEARCH_TOKEN_VAR
            changelist.query = getattr(request, "_kept_search", "") or ""
        return response
