# Generated from agentbay/_async/_transport.py by scripts/unasync.py. Do not edit: edit the async source.
"""Sends one API action: a pooled httpx client, fresh Timestamp/SignatureNonce per attempt, a deadline per
attempt, retries, logging, and replies scrubbed of the API key before anything reads them."""

from __future__ import annotations

import copy
import logging
import time
from typing import Any, TypeVar

import httpx

from .._config import Config
from .._exceptions import AgentBayError, APIConnectionError, APIError, APITimeoutError, TransportError
from .._redact import Redactor
from .._retry import retry_delay
from .._version import __version__
from .._wire import Operation

__all__ = ["Transport"]

logger = logging.getLogger("agentbay")

R = TypeVar("R")

# A connection that was never opened carried nothing: retrying it cannot repeat any work.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# How a kept-alive connection that the server closed while it sat in our pool fails.
_STALE = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
# Idle pooled connections are dropped after this many seconds. Servers close idle keep-alive
# connections too (uvicorn after 5 s, many load balancers after 5-60 s); a connection the server is
# closing just as we reuse it fails our request. Expiring ours well before theirs avoids that race.
KEEPALIVE_EXPIRY = 2.0
CONNECT_TIMEOUT = 10.0


def _reason(exc: BaseException) -> str:
    """The class and text of a transport failure; its repr when its text is empty."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else repr(exc)


class _Attempt:
    """What httpcore reported about one attempt (its `trace` extension): whether it opened a new
    connection, and whether the response had begun."""

    def __init__(self) -> None:
        self.connected = False
        self.requested = False
        self.answered = False
        self.unsent = False
        """The attempt failed and provably did no work on the service (see `proves_unsent`)."""

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event.startswith(("connection.connect_tcp.", "connection.connect_unix_socket.")):
            self.connected = True
        elif event == "http11.send_request_headers.started":
            self.requested = True
        elif event == "http11.receive_response_headers.complete":
            self.answered = True

    def proves_unsent(self, exc: httpx.TransportError) -> bool:
        """Whether the failed attempt provably did no work on the service, so any action may be retried.

        A connection that never opened carried nothing. Otherwise the rule is the one of Go's net/http and
        urllib3: a connection reused from the pool that fails before any byte of a response, by the server
        closing it (EOF, reset, broken pipe), was closed by the server while idle: a server that had read
        the request would have answered or at least kept the connection open while working on it. Not
        provable: a read timeout (the request may be running), any failure on a fresh connection or
        after the response began, or on a transport that does not report its connections (a mock, HTTP/2).
        """
        if isinstance(exc, _NOT_SENT):
            return True
        reused = self.requested and not self.connected
        return isinstance(exc, _STALE) and reused and not self.answered


class Transport:
    """Owns the HTTP connection pool of one client and the API key; shared by the client's sessions."""

    def __init__(self, config: Config, http_client: httpx.Client | None = None) -> None:
        self._endpoint = config.endpoint
        self._max_retries = config.max_retries
        self._auth = f"Bearer {config.api_key}"
        self._redact = Redactor(config.api_key)
        self._owns_client = http_client is None
        self._client = http_client or httpx.Client(
            timeout=httpx.Timeout(config.timeout, connect=min(config.timeout, CONNECT_TIMEOUT)),
            limits=httpx.Limits(
                max_connections=100, max_keepalive_connections=50, keepalive_expiry=KEEPALIVE_EXPIRY
            ),
            headers={"User-Agent": f"agentbay-python/{__version__}"},
        )
        self._timeout: float | None = config.timeout if http_client is None else None
        """Seconds one attempt may take, start to last byte; None keeps the timeouts of a client the
        caller passed (see `with_options`)."""
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

    @property
    def http_client(self) -> httpx.Client:
        """The connection pool, for requests that are not API actions: the PUT and GET of a context
        file's presigned URL, which carry no API key (the client's headers hold none)."""
        return self._client

    @property
    def url_timeout(self) -> httpx.Timeout:
        """The timeout of each connect, read and write of such a request (not of the whole request: a
        64 MiB body may take longer than one API call): the client's, or that of an httpx client
        the caller passed."""
        if self._timeout is None:
            return self._client.timeout
        return httpx.Timeout(self._timeout, connect=min(self._timeout, CONNECT_TIMEOUT))

    def send(self, op: Operation[Any], body: Any, *, timeout: float | None = None) -> Any:
        """Send `op` with `body`; return its reply model or raise the typed error after any retries.

        Args:
            timeout: Seconds one attempt may take, from its start to the last byte of the reply
                (the transport's when None). A retry gets as long again, after its wait.
        """
        if timeout is None:
            timeout = self._timeout
        attempt = 0
        while True:
            started = time.monotonic()
            trace = _Attempt()
            error: AgentBayError
            try:
                status, content, headers = self._attempt(op, body, timeout, trace)
            except TransportError as exc:
                error = exc
            else:
                elapsed = (time.monotonic() - started) * 1000
                try:
                    reply = self._parse(op, status, content, headers)
                except APIError as exc:
                    error = exc
                    logger.debug(
                        "%s -> HTTP %d %s in %.0f ms (request_id=%s)",
                        op.action,
                        status,
                        exc.code,
                        elapsed,
                        exc.request_id,
                    )
                else:
                    logger.debug(
                        "%s -> HTTP %d in %.0f ms (request_id=%s)",
                        op.action,
                        status,
                        elapsed,
                        getattr(reply, "request_id", ""),
                    )
                    return reply
            delay = retry_delay(
                error,
                attempt=attempt,
                max_retries=self._max_retries,
                retry_safe=op.retry_safe,
                sent=not trace.unsent,
            )
            if delay is None:
                raise error
            logger.debug(
                "%s attempt %d failed (%s); retrying in %.2f s", op.action, attempt + 1, error, delay
            )
            self.sleep(delay)
            attempt += 1

    def _attempt(
        self, op: Operation[Any], body: Any, timeout: float | None, trace: _Attempt
    ) -> tuple[int, bytes, httpx.Headers]:
        """One attempt: the reply's status, body and headers.

        httpx's timeouts bound each connect, write and read, not the attempt: a reply trickled in small
        pieces would never time out. So the reply is streamed and the deadline checked after each piece,
        and no phase may take longer than `timeout` either. An attempt thus fails at the latest when a
        piece arrives after the deadline, or when one read has waited `timeout`: for a trickled reply
        within `timeout` plus one gap between pieces, and within 2 x `timeout` in the worst case.

        Raises:
            TransportError: The attempt failed; `trace.unsent` says whether it provably did no work.
        """
        kwargs = op.request(body)
        # The generated URL is "/#<Action>"; httpx drops the fragment, leaving "/?Action=...".
        kwargs["url"] = self._endpoint + kwargs["url"]
        deadline = None if timeout is None else time.monotonic() + timeout
        failure: TransportError
        try:
            with self._client.stream(
                **kwargs,
                timeout=httpx.USE_CLIENT_DEFAULT
                if timeout is None
                else httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
                extensions={"trace": trace.trace},
            ) as response:
                pieces: list[bytes] = []
                for piece in response.iter_bytes():
                    pieces.append(piece)
                    if deadline is not None and time.monotonic() > deadline:
                        raise httpx.ReadTimeout(f"the reply was not complete after {timeout:g} s")
                return response.status_code, b"".join(pieces), response.headers
        except httpx.TimeoutException as exc:
            cause: httpx.TransportError = exc
            failure = APITimeoutError(self._redact.text(f"{op.action} timed out: {_reason(exc)}"))
        except httpx.TransportError as exc:
            cause = exc
            failure = APIConnectionError(
                self._redact.text(f"{op.action} could not reach {self._endpoint}: {_reason(exc)}")
            )
        trace.unsent = trace.proves_unsent(cause)
        # Raised here, outside the except blocks, so that only `_chain` decides what the traceback shows.
        self._chain(failure, cause)
        raise failure

    def _parse(self, op: Operation[Any], status: int, content: bytes, headers: httpx.Headers) -> Any:
        """The reply model, or the `APIError` built from a copy of the reply scrubbed of the API key.

        Only errors are scrubbed: a successful reply is the user's data (a file may hold the key on
        purpose) and comes back exactly as sent.
        """
        if not 200 <= status < 300:
            return op.parse(status, self._redact.content(content), headers)
        try:
            return op.parse(status, content, headers)
        except APIError:
            pass  # parsed again below, outside this block: the unscrubbed error must not be its context
        return op.parse(status, self._redact.content(content), headers)  # raises, scrubbed

    def redact(self, text: str) -> str:
        """`text` with every form of the API key (and of the added secrets) replaced by ``***``: for
        errors built from a reply."""
        return self._redact.text(text)

    def add_secret(self, secret: str) -> None:
        """Scrub `secret` (a credential the user hands a tool) like the API key from now on, in this
        transport and every one `with_options` made of it or it was made from (they share the scrubber)."""
        self._redact.add(secret)

    def _chain(self, error: AgentBayError, exc: BaseException) -> None:
        # The httpx error explains the failure in tracebacks, unless its text quotes the key (h11 may
        # quote the bytes a broken server sent back); our message carries its text, scrubbed, anyway.
        texts = []
        link: BaseException | None = exc
        while link is not None:
            texts.append(f"{link!s} {link!r}")
            link = link.__cause__ or link.__context__
        if all(self._redact.is_clean(text) for text in texts):
            error.__cause__ = exc

    def close(self) -> None:
        """Close the connection pool, unless the caller passed in their own httpx client."""
        if self._owns_client:
            self._client.close()
