"""Signed links: one helper, a salt and a maximum age per purpose."""

from datetime import timedelta

import pytest
import time_machine

from portal.outbound import LinkExpired, LinkInvalid, SignedLink

CONFIRM = SignedLink(salt="tests.confirm", max_age=lambda: timedelta(days=3))
UNSUBSCRIBE = SignedLink(salt="tests.unsubscribe")


def test_a_link_reads_back_the_value_it_was_made_for():
    assert CONFIRM.read(CONFIRM.make(42)) == 42


def test_a_token_made_for_one_purpose_is_refused_by_another():
    with pytest.raises(LinkInvalid):
        UNSUBSCRIBE.read(CONFIRM.make(42))


def test_an_altered_token_is_refused():
    token = CONFIRM.make(42)
    with pytest.raises(LinkInvalid):
        CONFIRM.read(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])


def test_a_token_older_than_its_purpose_allows_has_expired_and_one_without_limit_has_not():
    with time_machine.travel("2026-01-01 12:00Z"):
        confirm, unsubscribe = CONFIRM.make(42), UNSUBSCRIBE.make(42)
    with time_machine.travel("2026-01-05 12:00Z"), pytest.raises(LinkExpired):
        CONFIRM.read(confirm)
    with time_machine.travel("2027-01-05 12:00Z"):
        assert UNSUBSCRIBE.read(unsubscribe) == 42


def test_a_setting_named_as_the_maximum_age_is_read_when_the_link_is_opened(settings):
    link = SignedLink(salt="tests.setting", max_age="EMAIL_CONFIRMATION_MAX_AGE")
    with time_machine.travel("2026-01-01 12:00Z"):
        token = link.make(1)
    settings.EMAIL_CONFIRMATION_MAX_AGE = 3600
    with time_machine.travel("2026-01-01 13:30Z"), pytest.raises(LinkExpired):
        link.read(token)
