"""Context-backed (URL) file transfers without I/O: the choice of path, the session's file-transfer
context (GetAndLoadInternalContext), and the errors of a presigned URL.

`upload_file` / `download_file` move a file one of two ways:

- the tool path: ``write_file`` / ``read_file`` calls of about 50 KiB each (base64 for bytes), what
  every SDK version did first;
- the URL path, as the official SDK 0.22.3 does: the session's file-transfer context
  (GetAndLoadInternalContext), a presigned URL of the file in it (GetContextFileUploadUrl /
  GetContextFileDownloadUrl), an HTTP ``PUT`` or ``GET`` of the bytes straight to object storage, and a
  sync between the context and the session (SyncContext with the file's path, waited for through
  GetContextInfo). A few calls whatever the size, and the bytes travel in one stream.

``via="auto"`` takes the URL path for files of `URL_THRESHOLD` bytes or more, the tool path below
(where the URL path's fixed cost of about five calls and a sync would dominate) and for sources
whose size is unknown; ``via="tool"`` or ``via="url"`` forces one.
"""

from __future__ import annotations

import re
from typing import Final, Literal

import attrs
import httpx

from ._api.api.context import get_and_load_internal_context
from ._api.models import GetAndLoadInternalContextRequest, GetAndLoadInternalContextResponse
from ._exceptions import (
    AgentBayError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    InvalidInputError,
    NoSuchFileError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TransportError,
)
from ._files import ProgressCallback
from ._wire import Operation, _malformed, _str

__all__ = ["URL_THRESHOLD", "Via"]

Via = Literal["auto", "tool", "url"]
VIAS = ("auto", "tool", "url")

URL_THRESHOLD = 1024 * 1024
"""Files of at least this many bytes take the URL path when ``via="auto"``."""
STREAM_CHUNK = 1024 * 1024
"""Bytes read from the local file per piece of a PUT body (and the progress step of an upload)."""
OK_PUT = (200, 201, 204)
"""What object storage answers to a PUT that stored the object (0.22.3 accepts these)."""

FILE_TRANSFER: Final = "file_transfer"

# Object storage's XML error body: <Error><Code>AccessDenied</Code><Message>...</Message>...</Error>.
_XML_FIELD = r"<{0}>([^<]{{0,500}})</{0}>"


def check_via(via: object) -> Via:
    if via not in VIAS:
        raise InvalidInputError(f"Expected 'auto', 'tool' or 'url' for `via`, got {via!r}")
    return via  # type: ignore[return-value]


def use_url(via: Via, size: int, remote_path: str) -> bool:
    """Whether a transfer of `size` bytes (-1: unknown) of `remote_path` takes the URL path.

    Raises:
        InvalidInputError: ``via="url"`` for a relative path (a sync names an absolute sandbox path).
    """
    if via == "url" and not remote_path.startswith("/"):
        raise InvalidInputError(f"`via='url'` needs an absolute remote path, got {remote_path!r}")
    if via == "auto":
        return size >= URL_THRESHOLD and remote_path.startswith("/")
    return via == "url"


# ---- the session's file-transfer context ---------------------------------------------------------


# The same session always gets the same context: safe to repeat.
GET_INTERNAL_CONTEXT = Operation(
    "GetAndLoadInternalContext",
    get_and_load_internal_context,
    GetAndLoadInternalContextResponse,
    retry_safe=True,
)


@attrs.frozen
class TransferContext:
    """The session's file-transfer context: its id, and where the service says it is mounted."""

    context_id: str
    context_path: str


def internal_context_body(auth: str, session_id: str) -> GetAndLoadInternalContextRequest:
    """The form 0.22.3 sends: ``Authorization``, ``ContextTypes.1=file_transfer``, ``SessionId``."""
    return GetAndLoadInternalContextRequest(
        authorization=auth, session_id=session_id, context_types_1=FILE_TRANSFER
    )


def transfer_context(reply: GetAndLoadInternalContextResponse) -> TransferContext:
    """The first item with a context id and a path, as 0.22.3 picks it."""
    items = reply.data if isinstance(reply.data, list) else []
    for item in items:
        context_id, path = _str(item.context_id), _str(item.context_path)
        if context_id and path and _str(item.context_type) in ("", FILE_TRANSFER):
            return TransferContext(context_id, path)
    raise _malformed(GET_INTERNAL_CONTEXT.action, reply, "the session has no file-transfer context")


# ---- the presigned URL's replies -----------------------------------------------------------------


def url_error(method: str, status: int, body: bytes, remote_path: str) -> AgentBayError:
    """The typed error of a PUT or GET that object storage refused (`body`: its XML error, if any).

    A GET of an object that is not there (the sync found no file) is a `NoSuchFileError` naming the
    session path. The URL itself is never quoted: it is a credential until it expires.
    """
    text = body[:2000].decode("utf-8", "replace")
    code = _xml(text, "Code")
    message = _xml(text, "Message") or (f"HTTP {status}" if not text.strip() else text[:200].strip())
    if method == "GET" and status == 404 and code in ("", "NoSuchKey"):
        return NoSuchFileError("download_file", remote_path, f"{code or 'HTTP 404'}: {message}")
    what = f"{method} of {remote_path} through the context's presigned URL was refused"
    if status == 403:
        what += " (the URL expired, or is not valid for this request)"
    cls: type[APIError] = APIError
    if status == 404:
        cls = NotFoundError
    elif status == 429:
        cls = RateLimitError
    elif status >= 500:
        cls = ServerError
    return cls(f"{what}: {message}", code=code, http_status=status, action=f"{method} URL")


def _xml(text: str, field: str) -> str:
    found = re.search(_XML_FIELD.format(field), text)
    return found.group(1).strip() if found else ""


def transport_error(exc: httpx.TransportError, method: str, remote_path: str, url: str) -> TransportError:
    """The typed error of a PUT or GET that did not complete; the URL is never quoted."""
    return url_transport_error(exc, f"{method} of {remote_path} through the context's presigned URL", url)


def url_transport_error(exc: httpx.TransportError, what: str, url: str) -> TransportError:
    """The typed error of a request to a presigned URL (`what`) that did not complete. The URL is
    replaced by ``<url>``: it is a credential until it expires."""
    reason = str(exc).replace(url, "<url>") or repr(exc)
    text = f"{what} failed: {type(exc).__name__}: {reason}"
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(text)
    return APIConnectionError(text)


class Progress:
    """Counts the bytes of a transfer and reports each step to the caller's `progress(done, total)`."""

    def __init__(self, callback: ProgressCallback | None, total: int) -> None:
        self.callback = callback
        self.total = total
        self.done = 0

    def add(self, count: int) -> None:
        self.done += count
        if self.callback is not None and count:
            self.callback(self.done, self.total)
