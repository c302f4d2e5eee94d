"""An experiment, not a supported set-up: bench/load/settings.py with the session and the
signed-in user read from Redis instead of the database, to measure what the load target would
gain (bench/README.md, "What a shared cache would change"). Needs a Redis server on
127.0.0.1:6379 and `pip install redis`; run with LOAD_SETTINGS=bench.load.settings_redis."""

from __future__ import annotations

import os

from bench.load.settings import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/3"),
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTHENTICATION_BACKENDS = ["bench.load.cached_user.UserFromCache"]
