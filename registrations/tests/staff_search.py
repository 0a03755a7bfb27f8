"""Searching an admin list as staff do: the search box posts the term, the list comes back with a token."""

from urllib.parse import parse_qs, urlsplit


def search(client, list_url, term, **params):
    """POST `term` (and the list's other parameters) from the search box; the list it redirects to, followed."""
    return client.post(f"{list_url}search/", {"q": term, **params}, follow=True)


def token_of(response):
    """The search token in the address the search landed on."""
    url = response.redirect_chain[-1][0]
    return parse_qs(urlsplit(url).query)["qt"][0]
