"""The upload and download URLs of context files, served by the server itself.

`GetContextFileUploadUrl` / `GetContextFileDownloadUrl` answer `<base>/contexts/files/<token>`: the
token (`secrets.token_urlsafe(32)`, stored only as its SHA-256) allows one direction on one object of
one context of one API key, for `URL_LIFETIME_S` seconds. Like a presigned object-storage URL it
needs no other credential, and it still works after a restart.

- `PUT` streams the body into a new file beside the context's objects and renames it into place
  once all of it (`Content-Length` bytes, when given) has arrived: 200 with the `ETag` (MD5 hex,
  quoted). A body that does not fit on the disk is refused before it is written when its length is
  declared, and stopped when the disk fills up otherwise: 507, and nothing of it remains.
- `GET` (and `HEAD`) streams the object with `Content-Length` and `ETag`; no ranges. An object that
  does not exist is a 404 at GET time (the URL can be asked for before the object is uploaded or
  synced, as with object storage).
- A token this server never gave, or an expired one, or one used in the other direction: 403. Errors
  have object storage's XML body: `<Error><Code>AccessDenied</Code><Message>...</Message>...</Error>`.

Neither direction holds a whole object in memory: a megabyte at a time goes to or from the disk in a
worker thread.
"""

from __future__ import annotations

import email.utils
import errno
import os
import uuid
from xml.sax.saxutils import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse

from .._bodies import drained, file_chunks, free_bytes, receive_into
from . import _store
from ._files import ETAGS, Conflict, Upload, open_object
from ._store import DOWNLOAD, UPLOAD, ContextStore, UrlGrant

#: The path under which the URLs are served; the token follows.
URL_PATH = "/contexts/files/"
#: How long an upload or download URL works, in seconds.
URL_LIFETIME_S = 3600
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def url_for(base_url: str, token: str) -> str:
    return f"{base_url}{URL_PATH}{token}"


class ContextUrls:
    """The ASGI endpoint of the URLs (`Route(URL_PATH + "{token}", ContextUrls(...).endpoint)`)."""

    def __init__(self, contexts: ContextStore) -> None:
        self.contexts = contexts

    async def endpoint(self, request: Request) -> Response:
        token = str(request.path_params.get("token", ""))
        method = request.method
        if method not in ("GET", "HEAD", "PUT"):
            return _error(
                405, "MethodNotAllowed", "These URLs accept PUT (upload) or GET (download).", request
            )
        direction = UPLOAD if method == "PUT" else DOWNLOAD
        grant = self.contexts.url_grant(token)
        refusal = _refusal(grant, direction)
        if refusal is not None or grant is None:
            return await drained(request, _error(403, "AccessDenied", refusal or "", request))
        if self.contexts.get(grant.owner, context_id=grant.context_id) is None:
            return await drained(
                request, _error(404, "NoSuchBucket", "The context no longer exists.", request)
            )
        if method == "PUT":
            return await self._put(request, grant)
        return await self._get(request, grant, head=method == "HEAD")

    async def _put(self, request: Request, grant: UrlGrant) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None and not (declared.isascii() and declared.isdigit()):
            return _error(400, "InvalidArgument", "Content-Length must be a decimal number.", request)
        length = int(declared) if declared is not None else None
        if length is not None and length > free_bytes(self.contexts.root):
            message = f"The object ({length} bytes) is larger than the free space on the server's disk."
            return await drained(request, _error(507, "InsufficientStorage", message, request), length)
        tmp, files = self.contexts.tmp_dir(grant.context_id), self.contexts.files_dir(grant.context_id)
        upload = await run_in_threadpool(Upload, tmp, files, grant.key)
        try:
            await receive_into(request.stream(), upload.write)
        except ClientDisconnect:
            await run_in_threadpool(upload.discard)
            return _error(400, "IncompleteBody", "The client went away before the body ended.", request)
        except OSError as error:
            await run_in_threadpool(upload.discard)
            if error.errno not in _NO_SPACE:
                raise
            message = "The server's disk filled up while the object was written; nothing was kept."
            return await drained(request, _error(507, "InsufficientStorage", message, request))
        except BaseException:
            await run_in_threadpool(upload.discard)
            raise
        if length is not None and upload.size != length:
            await run_in_threadpool(upload.discard)
            message = f"The body has {upload.size} bytes, not the {length} of its Content-Length."
            return _error(400, "IncompleteBody", message, request)
        # Lands under the context's lock: a sync in progress sees the object before or after, whole.
        async with self.contexts.lock(grant.context_id):
            if self.contexts.get(grant.owner, context_id=grant.context_id) is None:
                await run_in_threadpool(upload.discard)
                return _error(404, "NoSuchBucket", "The context was deleted during the upload.", request)
            try:
                etag = await run_in_threadpool(upload.commit)
            except Conflict:
                message = f"{grant.key!r} cannot be stored: a folder has that name, or a file has the name of one of its folders."
                return _error(409, "ObjectConflict", message, request)
        return Response(status_code=200, headers={"ETag": f'"{etag}"', "Content-Length": "0"})

    async def _get(self, request: Request, grant: UrlGrant, *, head: bool) -> Response:
        files = self.contexts.files_dir(grant.context_id)
        opened = await run_in_threadpool(open_object, files, grant.key)
        if opened is None:
            return _error(404, "NoSuchKey", "The specified key does not exist.", request)
        fd, info = opened
        try:
            etag = await run_in_threadpool(ETAGS.of, fd, info)
        except BaseException:
            os.close(fd)
            raise
        headers = {
            "Content-Length": str(info.st_size),
            "ETag": f'"{etag}"',
            "Last-Modified": email.utils.formatdate(info.st_mtime, usegmt=True),
            "Accept-Ranges": "none",
        }
        if head:
            os.close(fd)
            return Response(status_code=200, headers=headers, media_type="application/octet-stream")
        return StreamingResponse(
            file_chunks(fd, 0, info.st_size), headers=headers, media_type="application/octet-stream"
        )


def _refusal(grant: UrlGrant | None, direction: str) -> str | None:
    """Why the token does not allow this request, or None if it does."""
    if grant is None:
        return "The URL is not valid: its token was not issued by this server."
    if grant.expires_at <= _store._now():
        return "The URL has expired; ask for a new one."
    if grant.direction != direction:
        wanted = "PUT (upload)" if grant.direction == UPLOAD else "GET (download)"
        return f"This URL is for {wanted} only."
    return None


def _error(status: int, code: str, message: str, request: Request) -> Response:
    """An error in object storage's XML shape."""
    request_id = str(uuid.uuid4()).upper()
    server = request.scope.get("server")
    host = str(server[0]) if server else "127.0.0.1"
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n'
        f"  <Code>{code}</Code>\n  <Message>{escape(message)}</Message>\n"
        f"  <RequestId>{request_id}</RequestId>\n  <HostId>{escape(host)}</HostId>\n</Error>\n"
    )
    return Response(
        body.encode("utf-8"), status, {"x-oss-request-id": request_id}, media_type="application/xml"
    )
