"""The public pages' generation in this process's memory, kept current by a Redis subscription.

Every kept public page is checked against the generation on each request
(portal.public_pages). Read from Redis, that check was a round trip (an MGET of
about 75 µs, and a context switch to Redis on the same cores): the largest part
of serving a kept page. Instead, each write to public data increments the
generation and publishes on CHANNEL, and a thread of each process, subscribed,
reads the new generation as soon as it is told, then at least every second (a
message lost with a dropped connection costs at most that). While the thread is
not subscribed (starting, Redis restarting), current() says None and the caller
reads the cache on every request, as before.
"""

import logging
import os
import threading
import time

from django.core.cache import caches

logger = logging.getLogger(__name__)

CHANNEL = "public-pages:generation"
REFRESH_SECONDS = 1.0


class GenerationWatch:
    def __init__(self, key, first_value):
        self.key = key
        self._first_value = first_value  # what to store when Redis holds no generation yet
        self._value = None
        self._pid = None
        self._lock = threading.Lock()
        self._stopped = False

    def stop(self):
        """Stop listening (the thread ends at its next wake-up, without touching Redis)."""
        self._stopped = True
        self._value = None

    def current(self):
        """The generation as last told, or None while not subscribed."""
        if self._pid != os.getpid():  # a new process (gunicorn forks): a thread of its own
            self._start()
        return self._value

    def publish(self, cache, generation):
        """Tell every process's watch that the generation changed; this one knows at once."""
        self._note(generation)
        cache.redis().publish(cache.make_and_validate_key(CHANNEL), b"")

    def _note(self, generation):
        """A newer generation, while subscribed (a read racing a publication must not bring back an older one)."""
        with self._lock:
            if self._value is not None and generation is not None and generation > self._value:
                self._value = generation

    def _start(self):
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._value = None
            threading.Thread(target=self._listen, name="public-pages-generation", daemon=True).start()

    def _listen(self):
        cache = caches["default"]  # this thread's own client and connections
        channel = cache.make_and_validate_key(CHANNEL)
        was_down = False
        while not self._stopped:
            pubsub = None
            try:
                pubsub = cache.redis().pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(channel)
                pubsub.get_message(timeout=REFRESH_SECONDS)  # the subscription's confirmation: told from now on
                cache.add(self.key, self._first_value(), None)
                self._value = cache.get(self.key)
                if was_down:
                    logger.warning("Public pages: the generation's subscription is back")
                    was_down = False
                while True:
                    pubsub.get_message(timeout=REFRESH_SECONDS)  # a publication, or a second gone by
                    if self._stopped:
                        return
                    cache.add(self.key, self._first_value(), None)  # (a flushed cache)
                    self._note(cache.get(self.key))
            except Exception:  # Redis unreachable or restarting: read on each request meanwhile, and try again
                if not was_down:  # once, not every second while it lasts
                    logger.warning("Public pages: the generation's subscription is down; reading it per request")
                    was_down = True
                self._value = None
                time.sleep(REFRESH_SECONDS)
            finally:
                if pubsub is not None:
                    pubsub.close()
