"""When to retry a failed attempt, and how long to wait: pure, so both clients share it and tests can drive it."""

from __future__ import annotations

import random

from ._exceptions import (
    AgentBayError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    RateLimitError,
    ServerError,
)

__all__ = ["retry_delay"]

BASE_DELAY = 0.5
MAX_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""The longest `Retry-After` the SDK waits out by itself. A service asking for longer gets the error at
once (its `retry_after` says how long), rather than a retry that is sure to come too early."""


def retry_delay(
    error: AgentBayError,
    *,
    attempt: int,
    max_retries: int,
    retry_safe: bool,
    sent: bool,
    rand: random.Random | None = None,
) -> float | None:
    """Seconds to wait before the next attempt, or None to give up and raise `error`.

    Args:
        error: What the attempt failed with.
        attempt: 0 for the first attempt.
        max_retries: Retries allowed after the first attempt.
        retry_safe: Whether the action may be repeated (never CreateMcpSession or a tool call).
        sent: Whether the request may have reached the service. One that provably did no work (the
            connection never opened, or the server had closed the pooled connection) is retried for
            every action.
        rand: A random source, for tests.
    """
    if attempt >= max_retries:
        return None
    if not sent and isinstance(error, APIConnectionError | APITimeoutError):
        pass
    elif not retry_safe or not isinstance(
        error, APIConnectionError | APITimeoutError | RateLimitError | ServerError
    ):
        return None
    retry_after = error.retry_after if isinstance(error, APIError) else None
    if retry_after is not None:
        # The service said when: earlier would fail again, so wait exactly that, or give up.
        return retry_after if retry_after <= MAX_RETRY_AFTER else None
    # Exponential backoff with full jitter, capped.
    ceiling = min(MAX_DELAY, BASE_DELAY * (2**attempt))
    return (rand or random).uniform(ceiling / 2, ceiling)
