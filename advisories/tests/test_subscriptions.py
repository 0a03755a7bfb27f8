import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import translation

from advisories.subscriptions import services
from advisories.subscriptions.models import Subscription

# Real transactions: emails leave only after the subscription commits.
pytestmark = pytest.mark.django_db(transaction=True)


def subscribe(client, email="traveller@example.com", country="IR", language="en"):
    with translation.override(language):
        url = reverse("advisories:subscribe")
    return client.post(url, {"email": email, "country": country, "language": language})


def link_in(message, name):
    return re.search(rf"https?://\S+/subscriptions/{name}/\S+/", message.body).group(0)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def test_subscribing_records_a_pending_subscription_and_mails_the_link(client, mailoutbox):
    response = subscribe(client, email="Traveller@Example.com", country="IR", language="ru")

    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.country.code, subscription.language) == (
        "traveller@example.com",
        "IR",
        "ru",
    )
    assert subscription.confirmed_at is None
    [message] = mailoutbox
    assert message.to == ["traveller@example.com"]
    confirm_link = link_in(message, "confirm")
    assert "/ru/" in confirm_link
    assert "traveller" not in confirm_link.lower()


def test_the_form_offers_all_countries_and_keeps_the_pages_language(client):
    response = client.get("/kk/advisories/subscribe/?country=ir")

    form = response.context["form"]
    assert form.fields["country"].choices[0][0] == ""
    assert form["country"].value() == "IR"
    assert form["language"].value() == "kk"


def test_subscribers_choose_the_language_of_their_emails(client):
    response = client.get("/ru/advisories/subscribe/")

    # A visible choice of the three languages, the page's ticked to begin with.
    radios = re.findall(r'<input type="radio"[^>]*name="language"[^>]*value="(\w+)"', response.text)
    assert sorted(radios) == ["en", "kk", "ru"]
    assert response.context["form"]["language"].value() == "ru"
    subscribe(client, email="reader@example.com", country="IR", language="kk")
    assert Subscription.objects.get(email="reader@example.com").language == "kk"


def test_a_wrong_address_is_shown_in_the_error_summary(client, mailoutbox):
    response = subscribe(client, email="not-an-address")

    assert response.status_code == 200
    assert b"error-summary" in response.content
    assert not Subscription.objects.exists()
    assert mailoutbox == []


def test_subscribing_again_resends_the_link_without_a_second_row(client, mailoutbox):
    subscribe(client, country="")
    subscribe(client, country="")

    assert Subscription.objects.count() == 1
    assert Subscription.objects.get().country == ""
    assert len(mailoutbox) == 2


def test_following_the_link_confirms_the_subscription(client, mailoutbox):
    subscribe(client)

    response = client.get(path_of(link_in(mailoutbox[0], "confirm")))

    assert response.status_code == 200
    assert Subscription.objects.get().confirmed_at is not None


def test_a_changed_confirmation_link_confirms_nothing(client, mailoutbox):
    subscribe(client)
    path = path_of(link_in(mailoutbox[0], "confirm"))

    response = client.get(path.replace("/confirm/", "/confirm/x"))

    assert response.status_code == 404
    assert Subscription.objects.get().confirmed_at is None


def test_a_confirmation_link_does_not_unsubscribe():
    subscription = Subscription.objects.create(email="a@example.com", country="IR")
    confirm_token = path_of(services.confirm_url(subscription)).split("/")[-2]

    with pytest.raises(services.SubscriptionLinkInvalid):
        services.unsubscribe(token=confirm_token)


def test_a_link_does_not_reach_a_later_subscription_that_reuses_the_id():
    subscription = Subscription.objects.create(email="a@example.com", country="IR")
    forged = signing.dumps([subscription.pk, 1], salt="advisories.subscription-unsubscribe", compress=True)

    with pytest.raises(services.SubscriptionGone):
        services.unsubscribe(token=forged)
    assert Subscription.objects.exists()


def test_every_email_carries_one_click_unsubscribe_headers(client, mailoutbox):
    subscribe(client)

    [message] = mailoutbox
    unsubscribe_link = link_in(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_unsubscribe_link_asks_before_it_deletes(client, mailoutbox):
    subscribe(client)
    path = path_of(link_in(mailoutbox[0], "unsubscribe"))

    response = client.get(path)

    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert Subscription.objects.exists()


def test_a_one_click_post_without_csrf_token_deletes_the_subscription(client, mailoutbox):
    subscribe(client)
    path = path_of(link_in(mailoutbox[0], "unsubscribe"))
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Subscription.objects.exists()
    # A second click (or a retry by the mail program) is no error.
    assert mail_program.post(path).status_code == 200
    assert mail_program.get(path).status_code == 200


def test_a_changed_unsubscribe_link_deletes_nothing(client, mailoutbox):
    subscribe(client)
    path = path_of(link_in(mailoutbox[0], "unsubscribe"))

    response = Client(enforce_csrf_checks=True).post(path.replace("/unsubscribe/", "/unsubscribe/x"))

    assert response.status_code == 404
    assert Subscription.objects.exists()


def test_subscribing_is_rate_limited_per_client_address(client, settings, mailoutbox):
    settings.SUBSCRIPTION_RATE = "2/h"
    subscribe(client, email="one@example.com")
    subscribe(client, email="two@example.com")

    refused = subscribe(client, email="victim@example.com")

    assert refused.status_code == 429
    assert [mail.to for mail in mailoutbox] == [["one@example.com"], ["two@example.com"]]
