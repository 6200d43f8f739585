"""Errors raised by the SDK. Every one derives from `AgentBayError`.

```
AgentBayError
├── InvalidInputError        bad arguments, refused before anything is sent (also a ValueError)
├── SessionClosedError       a call on a session that was deleted; nothing is sent
├── APIError                 the service answered with an error (code, message, request_id, http_status)
│   ├── AuthenticationError    NOT_LOGIN, HTTP 401/403: a missing, wrong or expired API key
│   ├── NotFoundError          *.NotFound, HTTP 404: e.g. InvalidMcpSession.NotFound
│   ├── InvalidParameterError  InvalidParameter*, MissingParameter*: the service refused an argument
│   ├── RateLimitError         Throttling*, HTTP 429
│   └── ServerError            HTTP 5xx, or a reply that is not the JSON the API promises
│                              (every APIError has `retry_after`: seconds, when the reply said)
├── TransportError           no usable reply: the request did not complete
│   ├── APIConnectionError     could not connect, or the connection broke
│   └── APITimeoutError        the service did not answer in time
└── ToolError                an MCP tool ran and reported failure (`tool`, `message`)
    ├── NoSuchFileError        a file tool's path does not exist in the session (`path`); also a
    │                          FileNotFoundError
    ├── CommandTimeoutError    a shell command ran past its timeout and was killed
    └── NonZeroExitError       a shell command exited non-zero (`exit_code`, `stderr`); carried by
                               `CommandResult.error`, raised only by `raise_for_error()`
└── ContextSyncError         a context sync task failed or did not finish in time (`context_id`,
                             `path`, `task_type`, `status`, `reason`, `timed_out`)
└── BrowserError             no browser in the session's image, it failed to start, or it is not
                             initialized (`session_id`, `code`, `request_id`)
```

`error_from_reply` is the one place that turns a reply into an error.
"""

from __future__ import annotations

import errno
import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AgentBayError",
    "AuthenticationError",
    "BrowserError",
    "CommandTimeoutError",
    "ContextSyncError",
    "InvalidInputError",
    "InvalidParameterError",
    "NoSuchFileError",
    "NonZeroExitError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "SessionClosedError",
    "ToolError",
    "TransportError",
]

# How much of a non-JSON body (an HTML error page from a proxy, say) an error message quotes.
_BODY_EXCERPT = 200


class AgentBayError(Exception):
    """The root of every error this SDK raises."""


class InvalidInputError(AgentBayError, ValueError):
    """An argument was refused before any request was sent."""


class SessionClosedError(AgentBayError):
    """The session was deleted; the SDK refuses further calls on it without sending anything."""

    def __init__(self, session_id: str) -> None:
        super().__init__(f"Session {session_id} was deleted; create or get a new session to continue")
        self.session_id = session_id


class APIError(AgentBayError):
    """The service answered, with an error.

    Attributes:
        code: The service's error code, e.g. ``InvalidMcpSession.NotFound`` ("" when it gave none).
        message: The service's message.
        request_id: The service's id of the request; quote it when asking for support.
        http_status: The HTTP status of the reply (200 for a ``Success: false`` envelope).
        action: The API action that failed, e.g. ``GetLabel``.
        retry_after: Seconds the reply's ``Retry-After`` asked to wait (a 429 or 503, say), or None.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "",
        request_id: str = "",
        http_status: int | None = None,
        action: str = "",
        retry_after: float | None = None,
    ) -> None:
        self.message = message
        self.code = code
        self.request_id = request_id
        self.http_status = http_status
        self.action = action
        self.retry_after = retry_after
        super().__init__(self._describe())

    def _describe(self) -> str:
        head = f"[{self.code}] {self.message}" if self.code else self.message
        details = [
            f"action={self.action}" if self.action else "",
            f"http_status={self.http_status}" if self.http_status is not None else "",
            f"request_id={self.request_id}" if self.request_id else "",
        ]
        tail = ", ".join(d for d in details if d)
        return f"{head} ({tail})" if tail else head


class AuthenticationError(APIError):
    """The API key is missing, wrong or expired (``NOT_LOGIN``)."""


class NotFoundError(APIError):
    """The session (or other resource) does not exist, or not for this API key."""


class InvalidParameterError(APIError):
    """The service refused an argument."""


class RateLimitError(APIError):
    """The service throttled the request; `retry_after` says how long it asked to wait, when it did."""


class ServerError(APIError):
    """The service failed (HTTP 5xx), or answered with something that is not its JSON API."""


class TransportError(AgentBayError):
    """The request did not complete: no usable reply came back."""


class APIConnectionError(TransportError):
    """The SDK could not connect to the endpoint, or the connection broke."""


class APITimeoutError(TransportError):
    """The endpoint did not answer in time."""


class ToolError(AgentBayError):
    """An MCP tool ran inside the session and reported failure.

    Attributes:
        tool: The tool's name, e.g. ``shell``.
        message: What the tool said.
        request_id: The service's id of the request.
    """

    def __init__(self, tool: str, message: str, *, request_id: str = "") -> None:
        self.tool = tool
        self.message = message
        self.request_id = request_id
        super().__init__(
            f"Tool {tool} failed: {message}" + (f" (request_id={request_id})" if request_id else "")
        )


class NoSuchFileError(ToolError, FileNotFoundError):
    """A file tool's path does not exist in the session (a builtin `FileNotFoundError` too).

    Attributes:
        path: The session path that does not exist.
        detail: What the tool said, e.g. ``Error: ENOENT: no such file or directory, stat '/tmp/x'``.
    """

    def __init__(self, tool: str, path: str, detail: str = "", *, request_id: str = "") -> None:
        self.path = path
        self.detail = detail
        message = f"No such file or directory: {path}" + (f" ({detail})" if detail else "")
        super().__init__(tool, message, request_id=request_id)
        # Only errno: OSError.__str__ would replace the message with "[Errno 2] ..." if strerror or
        # filename were set too.
        self.errno = errno.ENOENT


class CommandTimeoutError(ToolError):
    """A shell command, or a program run by `run_code`, ran past its timeout and was stopped."""


class NonZeroExitError(ToolError):
    """A shell command exited with a non-zero code.

    Attributes:
        exit_code: The command's exit code.
        stderr: What it wrote to stderr.
    """

    def __init__(self, exit_code: int, stderr: str, *, request_id: str = "") -> None:
        self.exit_code = exit_code
        self.stderr = stderr
        tail = stderr.strip().splitlines()[-1][:200] if stderr.strip() else ""
        super().__init__(
            "shell", f"exit code {exit_code}" + (f": {tail}" if tail else ""), request_id=request_id
        )


class BrowserError(AgentBayError):
    """The session's browser (`session.browser`) is not there: the session's image has no browser, the
    browser failed to start (InitBrowser failed on the service's side, or replied no port), or a call
    needs it initialized and it is not. The service's error, when there was one, is the `__cause__`.

    Attributes:
        session_id: The session.
        code: The service's error code ("" when it gave none or nothing was sent).
        request_id: The reply's request id ("" when no request was sent).
    """

    def __init__(self, message: str, *, session_id: str = "", code: str = "", request_id: str = "") -> None:
        super().__init__(message)
        self.session_id = session_id
        self.code = code
        self.request_id = request_id


class ContextSyncError(AgentBayError):
    """A context sync task (a download at create, an upload or download of `session.context.sync`)
    failed, or did not finish in time. The call itself succeeded: the service ran the task.

    Attributes:
        session_id: The session the task ran in.
        context_id: The context it synced.
        path: The sandbox path it synced.
        task_type: ``download`` or ``upload``.
        status: Its last status (``Failed``; for a timeout ``Pending``, ``Running`` or "" if never seen).
        reason: The service's error message ("" for a timeout).
        timed_out: The task did not finish within the wait's timeout.
    """

    def __init__(
        self,
        message: str,
        *,
        session_id: str = "",
        context_id: str = "",
        path: str = "",
        task_type: str = "",
        status: str = "",
        reason: str = "",
        timed_out: bool = False,
    ) -> None:
        super().__init__(message)
        self.session_id = session_id
        self.context_id = context_id
        self.path = path
        self.task_type = task_type
        self.status = status
        self.reason = reason
        self.timed_out = timed_out


def _classify(code: str, status: int) -> type[APIError]:
    # The code is the more specific signal: a 400 can mean a bad key, a missing session or a bad argument.
    if code in {"NOT_LOGIN", "InvalidApiKey", "Forbidden"} or code.startswith(
        ("InvalidAccessKey", "Unauthorized")
    ):
        return AuthenticationError
    if code.endswith("NotFound") or code.startswith("NotFound"):
        return NotFoundError
    if code.startswith(("Throttling", "TooManyRequests")):
        return RateLimitError
    if code.startswith(("InvalidParameter", "MissingParameter", "InvalidParam")):
        return InvalidParameterError
    if status in (401, 403):
        return AuthenticationError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return ServerError
    return APIError


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:  # "-0000": UTC, by RFC 5322
            when = when.replace(tzinfo=UTC)
        seconds = max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
    return seconds if seconds >= 0 and math.isfinite(seconds) else None


def error_from_reply(
    action: str, status: int, content: bytes, headers: Mapping[str, str] | None = None
) -> APIError:
    """Map a reply that is not a success into the matching `APIError`.

    Handles the gateway's HTTP 4xx/5xx JSON body (``{RequestId, HostId, Code, Message}``), a 200
    envelope with ``Success: false``, and bodies that are not JSON at all (an HTML 502 from a proxy,
    an empty body), keeping the HTTP status in every case.
    """
    headers = headers or {}
    retry_after = parse_retry_after(headers.get("retry-after"))
    try:
        body = json.loads(content) if content else None
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        excerpt = content[:_BODY_EXCERPT].decode("utf-8", "replace").strip()
        what = "an empty body" if not content.strip() else f"a non-JSON body: {excerpt!r}"
        # Below 400 the API always answers JSON, so anything else there is a broken service or proxy.
        cls = _classify("", status) if status >= 400 else ServerError
        return cls(f"HTTP {status} with {what}", action=action, http_status=status, retry_after=retry_after)
    code = str(body.get("Code") or "")
    message = str(body.get("Message") or "") or f"{action} failed"
    request_id = str(body.get("RequestId") or "")
    # A Success:false envelope carries the status the failure would have had in HttpStatusCode.
    effective = status
    if status < 400 and isinstance(body.get("HttpStatusCode"), int):
        effective = body["HttpStatusCode"]
    return _classify(code, effective)(
        message,
        code=code,
        request_id=request_id,
        http_status=status,
        action=action,
        retry_after=retry_after,
    )


CALL_FAILURES = (APIError, TransportError, ToolError)
"""What a result-returning call captures into its result; anything else (bad input, a deleted session)
is raised."""
