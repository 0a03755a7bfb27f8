"""With Redis, each process knows the public pages' generation without asking: told by a subscription.

These run against the Redis of REDIS_TEST_URL (default: a database of its own on
127.0.0.1:6379); without one they skip, except in CI, where that is a failure.
"""

import os
import time
import uuid

import pytest
import redis
from django.core.cache import caches

from advisories.tests.factories import make_published_advisory
from portal import generation_watch, public_pages
from portal.generation_watch import CHANNEL, GenerationWatch

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_cache(settings, monkeypatch):
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        message = f"no Redis at {REDIS_TEST_URL}."
        if os.environ.get("CI"):
            pytest.fail(f"{message} CI has one: the subscription must be tested.")
        pytest.skip(message)
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # nothing shared with another test or process
        }
    }
    # Only a publication tells the watches here in time: not the refresh every second.
    monkeypatch.setattr(generation_watch, "REFRESH_SECONDS", 30)
    cache = caches["default"]
    yield cache
    for watch in watches:
        watch.stop()
    watches.clear()
    cache.clear()


watches = []


def new_watch(key):
    watches.append(GenerationWatch(key, lambda: 1000))
    return watches[-1]


def another_process_bumps(cache, key):
    """What a write in another process does: increment the generation in Redis and publish it."""
    cache.incr(key)
    cache.redis().publish(cache.make_and_validate_key(CHANNEL), b"")


def wait_for(condition, seconds=5):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the watch was not told in time"
        time.sleep(0.005)


def test_a_generation_changed_by_another_process_is_known_here_without_a_round_trip(redis_cache, monkeypatch):
    key = "public-pages:generation"
    watch = new_watch(key)
    wait_for(lambda: watch.current() is not None)  # subscribed, the generation read once
    before = watch.current()
    assert before == redis_cache.get(key)

    another_process_bumps(redis_cache, key)

    wait_for(lambda: watch.current() != before)
    assert watch.current() == before + 1


def test_this_process_knows_its_own_publication_at_once(redis_cache):
    key = "public-pages:generation"
    watch = new_watch(key)
    wait_for(lambda: watch.current() is not None)

    generation = redis_cache.incr(key)
    watch.publish(redis_cache, generation)

    assert watch.current() == generation


def test_a_kept_page_is_checked_without_asking_redis_and_a_publication_elsewhere_shows_on_it(
    redis_cache, client, monkeypatch, db, settings
):
    settings.PUBLIC_PAGES_VERSION_SECONDS = 60  # the data's version read again only for a new generation
    monkeypatch.setattr(public_pages, "_watch", new_watch(public_pages.GENERATION_KEY))
    public_pages.pages.clear()
    make_published_advisory("IR", level=3, summary="Reconsider your need to travel to Iran.")
    wait_for(lambda: public_pages._watch.current() is not None)
    assert "Reconsider your need" in client.get("/en/advisories/ir/").text  # made and kept

    asked = []
    real_get_many = type(redis_cache).get_many
    monkeypatch.setattr(type(redis_cache), "get_many", lambda *args, **kwargs: asked.append(1) or real_get_many(*args))
    assert "Reconsider your need" in client.get("/en/advisories/ir/").text
    assert asked == []  # the kept page was served on what this process knew

    # Another process publishes: its edition reaches the database and its bump Redis; none of it passes here.
    monkeypatch.setattr(public_pages, "_bump", lambda: None)
    make_published_advisory("IR", level=4, summary="Do not travel to Iran.")
    another_process_bumps(redis_cache, public_pages.GENERATION_KEY)

    wait_for(lambda: "Do not travel to Iran." in client.get("/en/advisories/ir/").text)
    public_pages.pages.clear()


def test_without_redis_requests_read_the_generation_themselves_and_the_log_says_so_once(settings, monkeypatch, caplog):
    settings.CACHES = {"default": {"BACKEND": "portal.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    monkeypatch.setattr(generation_watch, "REFRESH_SECONDS", 0.01)  # it tries again a hundred times a second
    watch = new_watch("public-pages:generation")

    with caplog.at_level("WARNING", logger="portal.generation_watch"):
        assert watch.current() is None  # not subscribed: the caller reads the cache
        time.sleep(0.5)
        watch.stop()

    assert watch.current() is None
    downs = [record for record in caplog.records if "subscription is down" in record.getMessage()]
    assert len(downs) == 1
    watches.clear()
