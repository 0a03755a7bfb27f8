"""Django's Redis cache with one client per server for the process, instead of one per call.

Django's RedisCacheClient builds a new redis.Redis for every operation (120 µs
with redis-py 8, measured: it copies the table of reply callbacks), which made
the public pages' version check, one MGET of 74 µs, cost 250 µs: more than the
rest of serving a kept page. A redis.Redis is safe to share between threads (it
takes a connection from its pool for each command), so one is kept per pool.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _OneClientPerPool(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool

    def redis(self):
        """The redis.Redis client of the server written to, for what a cache does not do (publish, subscribe)."""
        return self._cache.get_client(write=True)
