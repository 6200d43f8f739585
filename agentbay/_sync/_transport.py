# Generated from agentbay/_async/_transport.py by scripts/unasync.py. Do not edit: edit the async source.
"""Sends one API action: a pooled httpx client, fresh Timestamp/SignatureNonce per attempt, retries, logging."""

from __future__ import annotations

import copy
import logging
import time
from typing import Any, TypeVar

import httpx

from .._config import Config
from .._exceptions import AgentBayError, APIConnectionError, APIError, APITimeoutError
from .._retry import retry_delay
from .._version import __version__
from .._wire import Operation

__all__ = ["Transport"]

logger = logging.getLogger("agentbay")

R = TypeVar("R")

# A connection that was never opened carried nothing: retrying it cannot repeat any work.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class Transport:
    """Owns the HTTP connection pool of one client and the API key; shared by the client's sessions."""

    def __init__(self, config: Config, http_client: httpx.Client | None = None) -> None:
        self._endpoint = config.endpoint
        self._max_retries = config.max_retries
        self._auth = f"Bearer {config.api_key}"
        self._owns_client = http_client is None
        self._client = http_client or httpx.Client(
            timeout=httpx.Timeout(config.timeout, connect=min(config.timeout, 10.0)),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=50),
            headers={"User-Agent": f"agentbay-python/{__version__}"},
        )
        self._timeout: float | None = None
        """Overrides the pool's timeout for this transport's requests (see `with_options`)."""
        self.sleep = time.sleep
        """Waits between retries; tests replace it."""

    def with_options(self, *, timeout: float | None, max_retries: int | None) -> Transport:
        """A transport on the same connection pool (which it does not close) with other defaults."""
        clone = copy.copy(self)
        clone._owns_client = False
        if timeout is not None:
            clone._timeout = timeout
        if max_retries is not None:
            clone._max_retries = max_retries
        return clone

    def __repr__(self) -> str:
        return f"{type(self).__name__}(endpoint={self._endpoint!r})"

    @property
    def auth(self) -> str:
        """The ``Authorization`` form value. Never log it, nor a request model that carries it."""
        return self._auth

    @property
    def endpoint(self) -> str:
        return self._endpoint

    def send(self, op: Operation[Any], body: Any, *, timeout: float | None = None) -> Any:
        """Send `op` with `body`; return its reply model or raise the typed error after any retries."""
        attempt = 0
        while True:
            kwargs = op.request(body)
            # The generated URL is "/#<Action>"; httpx drops the fragment, leaving "/?Action=...".
            kwargs["url"] = self._endpoint + kwargs["url"]
            started = time.perf_counter()
            sent = True
            error: AgentBayError
            try:
                if timeout is None:
                    timeout = self._timeout
                response = self._client.request(
                    **kwargs, timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT
                )
            except httpx.TimeoutException as exc:
                sent = not isinstance(exc, _NOT_SENT)
                error = APITimeoutError(f"{op.action} timed out: {type(exc).__name__}")
                error.__cause__ = exc
            except httpx.TransportError as exc:
                sent = not isinstance(exc, _NOT_SENT)
                error = APIConnectionError(f"{op.action} could not reach {self._endpoint}: {exc}")
                error.__cause__ = exc
            else:
                elapsed = (time.perf_counter() - started) * 1000
                try:
                    reply = op.parse(response.status_code, response.content, response.headers)
                except APIError as exc:
                    error = exc
                    logger.debug(
                        "%s -> HTTP %d %s in %.0f ms (request_id=%s)",
                        op.action,
                        response.status_code,
                        exc.code,
                        elapsed,
                        exc.request_id,
                    )
                else:
                    logger.debug(
                        "%s -> HTTP %d in %.0f ms (request_id=%s)",
                        op.action,
                        response.status_code,
                        elapsed,
                        getattr(reply, "request_id", ""),
                    )
                    return reply
            delay = retry_delay(
                error, attempt=attempt, max_retries=self._max_retries, retry_safe=op.retry_safe, sent=sent
            )
            if delay is None:
                raise error
            logger.debug(
                "%s attempt %d failed (%s); retrying in %.2f s", op.action, attempt + 1, error, delay
            )
            self.sleep(delay)
            attempt += 1

    def close(self) -> None:
        """Close the connection pool, unless the caller passed in their own httpx client."""
        if self._owns_client:
            self._client.close()
