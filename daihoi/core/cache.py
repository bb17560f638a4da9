"""Django's Redis cache with one client object per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every cache call; building one sets up
its table of response callbacks, about a quarter of a millisecond of Python each time (cProfile
of the vote hot path, where the session read is one cache call). A `redis.Redis` is thread-safe
and only wraps its pool, so one per pool serves every call; redis-py's pool itself notices a
fork (gunicorn workers) and opens new connections in the child.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
