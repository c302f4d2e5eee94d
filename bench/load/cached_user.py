"""For bench/load/settings_redis.py only: the signed-in user read from the cache."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from debrief.org.backends import ThrottledModelBackend


class UserFromCache(ThrottledModelBackend):
    """The signed-in user read from the cache. Nothing here forgets a user who changed, which
    is why this stays an experiment."""

    def get_user(self, user_id: Any) -> Any:
        key = f"bench-user:{user_id}"
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(key, user, 300)
        return user
