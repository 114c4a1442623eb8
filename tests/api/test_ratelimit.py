"""Token buckets: in process, and shared through Redis when one answers."""

from __future__ import annotations

import asyncio
import socket
import uuid

import pytest

from neobank_dashboard.api.ratelimit import RateLimiter, TokenBucket


def test_bucket_allows_a_burst_then_the_sustained_rate():
    now = [0.0]
    bucket = TokenBucket(rate=2, burst=3, clock=lambda: now[0])
    assert [bucket.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.acquire("a") == pytest.approx(0.5)
    assert bucket.acquire("b") == 0.0  # one bucket per subject
    now[0] += 0.5
    assert bucket.acquire("a") == 0.0
    now[0] += 100
    assert [bucket.acquire("a") for _ in range(4)][-1] > 0  # refills up to the burst only


def test_limiter_answers_whole_seconds_for_retry_after():
    limiter = RateLimiter(rate=0.1, burst=1)
    assert asyncio.run(limiter.retry_after("x")) == 0
    assert asyncio.run(limiter.retry_after("x")) == 10


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis is not reachable on 127.0.0.1:6379")
def test_redis_buckets_are_shared_between_workers():
    key = f"test-{uuid.uuid4().hex}"

    async def run() -> list[int]:
        worker_1 = RateLimiter(rate=0.01, burst=2, redis_url="redis://127.0.0.1:6379/15")
        worker_2 = RateLimiter(rate=0.01, burst=2, redis_url="redis://127.0.0.1:6379/15")
        return [
            await worker_1.retry_after(key),
            await worker_2.retry_after(key),
            await worker_1.retry_after(key),
        ]

    first, second, third = asyncio.run(run())
    assert (first, second) == (0, 0) and third > 0


def test_unreachable_redis_falls_back_to_process_buckets():
    async def run() -> list[int]:
        limiter = RateLimiter(rate=0.01, burst=1, redis_url="redis://127.0.0.1:1/0")
        return [await limiter.retry_after("k"), await limiter.retry_after("k")]

    first, second = asyncio.run(run())
    assert first == 0 and second > 0
