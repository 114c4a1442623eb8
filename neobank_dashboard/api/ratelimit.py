"""Rate limiting: a token bucket per access-token subject, and one per client
address for logins (the UI's and the token endpoint's).

In one process the buckets live in memory. Several workers (production) must
share them: when ``REFLEX_REDIS_URL`` is set the bucket lives in Redis and is
updated atomically by a Lua script using the Redis server's clock. If Redis
cannot be reached the process falls back to its own buckets (logged), so the
limit degrades to "per worker" rather than blocking every caller.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

from neobank_dashboard.settings import get_settings

logger = logging.getLogger(__name__)
MAX_TRACKED_SUBJECTS = 100_000


class TokenBucket:
    """In-process buckets: ``rate`` tokens per second, at most ``burst`` stored."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate, self.burst, self.clock = float(rate), float(burst), clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> float:
        """Take one token for ``key``: 0.0 when allowed, else seconds until one is available."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            if len(self._buckets) > MAX_TRACKED_SUBJECTS:
                self._forget_full(now)
            return (1.0 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        full_after = self.burst / self.rate
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full_after}


_REDIS_SCRIPT = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local last = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""


class RedisTokenBucket:
    """The same bucket shared by every worker through Redis."""

    def __init__(self, url: str, rate: float, burst: int, prefix: str = "neobank:ratelimit:"):
        import redis.asyncio as redis

        self.rate, self.burst, self.prefix = float(rate), int(burst), prefix
        self._client = redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._script = self._client.register_script(_REDIS_SCRIPT)
        self._fallback = TokenBucket(rate, burst)

    async def acquire_async(self, key: str) -> float:
        try:
            wait = await self._script(keys=[self.prefix + key], args=[self.rate, self.burst])
            return float(wait)
        except Exception as error:  # noqa: BLE001 - Redis down: degrade to per-worker limits
            logger.warning(
                "rate limiter: Redis unavailable (%s), using in-process buckets", type(error).__name__
            )
            return self._fallback.acquire(key)


class RateLimiter:
    """The limiter the API uses: Redis-backed when configured, in-process otherwise."""

    def __init__(self, rate: float, burst: int, redis_url: str | None = None):
        self.backend = RedisTokenBucket(redis_url, rate, burst) if redis_url else None
        self.local = TokenBucket(rate, burst)

    async def retry_after(self, key: str) -> int:
        """0 when the call may proceed, else the whole seconds to wait (Retry-After)."""
        wait = await self.backend.acquire_async(key) if self.backend else self.local.acquire(key)
        return 0 if wait <= 0 else max(1, math.ceil(wait))


_limiter: RateLimiter | None = None
_login_limiter: RateLimiter | None = None


def get_limiter() -> RateLimiter:
    global _limiter
    if _limiter is None:
        settings = get_settings()
        _limiter = RateLimiter(settings.api_rate_per_second, settings.api_rate_burst, settings.redis_url)
    return _limiter


def get_login_limiter() -> RateLimiter:
    """Login attempts per client address (``NEOBANK_LOGIN_RATE_PER_MINUTE``, ``NEOBANK_LOGIN_BURST``)."""
    global _login_limiter
    if _login_limiter is None:
        settings = get_settings()
        _login_limiter = RateLimiter(
            settings.login_rate_per_minute / 60, settings.login_burst, settings.redis_url
        )
    return _login_limiter


async def login_retry_after(address: str | None) -> int:
    """0 when a login from ``address`` may be checked, else the seconds to wait."""
    return await get_login_limiter().retry_after(f"login:{address or 'unknown'}")


def reset_limiter() -> None:
    """Forget every bucket and re-read the settings (tests, settings reload)."""
    global _limiter, _login_limiter
    _limiter = _login_limiter = None
