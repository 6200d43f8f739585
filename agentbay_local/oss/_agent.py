"""The program the `oss_*` tools run inside a session: one transfer, then it exits.

It runs in the session's sandbox, as the session's user, on the session's files (`python -I -S -c
<this file's text> <site dirs>...`). It imports only the standard library, oss2 and requests (oss2's
own HTTP client). The request comes as one JSON object on stdin, so that the credentials are never in
argv, the environment or a file the session can read:

    {"op": "upload" | "download" | "put_url" | "get_url",
     "path": the file as this program sees it, "shown": the path as the caller wrote it (for messages),
     "endpoint", "access_key_id", "access_key_secret", "security_token" (or null), "bucket", "object"
       (upload/download), "url" (put_url/get_url), "connect_timeout", "read_timeout" (seconds)}

The reply is one JSON line on stdout: `{"ok": true|false, "text": "..."}`. The text quotes the caller's
path, never where the file lives on the host; the server scrubs the secrets from it anyway.

A download is written to a temporary file beside the target and renamed over it once complete, so a
failed download (a missing object, a broken connection) leaves an existing file as it was.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
import tempfile
import urllib.parse
from collections.abc import Callable, Iterator
from typing import IO, Any

if __name__ == "__main__":  # run with -I -S: the directories of oss2 and its dependencies are argv
    sys.path[:0] = [entry for entry in sys.argv[1:] if entry not in sys.path]

import oss2  # type: ignore[import-untyped, unused-ignore]
import requests  # type: ignore[import-untyped, unused-ignore]

#: Above this size a file is uploaded in parts (one PutObject takes at most 5 GB), of this size.
MULTIPART_THRESHOLD = 256 << 20
PART_SIZE = 64 << 20
#: How much of an HTTP error body a reply quotes.
_BODY_EXCERPT = 300
_CHUNK = 1 << 20


class Failure(Exception):
    """A transfer that failed, with the reply text."""


def _os_failure(error: OSError, shown: str) -> Failure:
    reason = os.strerror(error.errno) if error.errno is not None else str(error)
    return Failure(f"{reason}: {shown}")


def _timeouts(request: dict[str, Any]) -> tuple[float, float]:
    return float(request.get("connect_timeout", 5)), float(request.get("read_timeout", 60))


# ---- files ---------------------------------------------------------------------------------------


def _files_to_upload(path: str, shown: str) -> Iterator[tuple[str, str, str]]:
    """(file, path shown, the part of the key below the object) of a file, or of every file of a
    directory (sorted, so that a retry goes in the same order)."""
    if not os.path.isdir(path):
        yield path, shown, ""
        return
    for top, dirs, names in os.walk(path, onerror=lambda error: _raise(_os_failure(error, shown))):
        dirs.sort()
        for name in sorted(names):
            full = os.path.join(top, name)
            rel = os.path.relpath(full, path)
            yield full, os.path.join(shown, rel), rel.replace(os.sep, "/")


def _raise(error: Exception) -> None:
    raise error


def _open_for_reading(path: str, shown: str) -> IO[bytes]:
    try:
        return open(path, "rb")
    except OSError as error:
        raise _os_failure(error, shown) from None


def _download_target(path: str, shown: str, key: str) -> tuple[str, str]:
    """Where a download goes: `path`, or `path/<last part of the key>` when it is a directory."""
    if os.path.isdir(path):
        name = key.rstrip("/").rsplit("/", 1)[-1]
        if name in ("", ".", ".."):
            name = "object"
        return os.path.join(path, name), os.path.join(shown, name)
    return path, shown


def _write_atomically(path: str, shown: str, copy: Callable[[IO[bytes]], None]) -> int:
    """Run `copy` into a temporary file beside `path` (parents made), then rename it to `path`."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        try:
            os.makedirs(directory, exist_ok=True)
        except FileExistsError:  # a file where a directory should be, as the kernel puts it
            raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)) from None
        fd, temporary = tempfile.mkstemp(prefix=".download-", dir=directory)
    except OSError as error:
        raise _os_failure(error, shown) from None
    try:
        with os.fdopen(fd, "wb") as out:
            copy(out)
        size = os.path.getsize(temporary)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 is not what a downloaded file gets
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise _os_failure(error, shown) from None
    except BaseException:
        _remove(temporary)
        raise
    return size


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


# ---- OSS (oss2) ----------------------------------------------------------------------------------


def _bucket(request: dict[str, Any]) -> Any:
    oss2.defaults.request_retries = 1  # a refused connection is reported at once, not after 3 tries
    token = request.get("security_token")
    if token:
        auth = oss2.StsAuth(request["access_key_id"], request["access_key_secret"], token)
    else:
        auth = oss2.Auth(request["access_key_id"], request["access_key_secret"])
    return oss2.Bucket(auth, request["endpoint"], request["bucket"], connect_timeout=_timeouts(request))


def _oss_failure(error: Exception, endpoint: str) -> Failure:
    """oss2's exception as a reply: the OSS error code and message, and the HTTP status."""
    if isinstance(error, oss2.exceptions.RequestError):
        cause = getattr(error, "exception", None) or error
        return Failure(f"Could not reach the object storage endpoint {endpoint}: {_connection_cause(cause)}")
    if isinstance(error, oss2.exceptions.InconsistentError):
        return Failure(f"The transfer was incomplete or corrupted: {error.body}")
    if isinstance(error, oss2.exceptions.ClientError):
        return Failure(str(error.body))
    if isinstance(error, oss2.exceptions.OssError):
        code = error.code or "Error"
        message = error.message or (
            error.body.decode("utf-8", "replace")[:_BODY_EXCERPT]
            if isinstance(error.body, bytes)
            else str(error.body or "")
        )
        text = f"{code}: {message} (HTTP {error.status}"
        if error.request_id:
            text += f", RequestId {error.request_id}"
        return Failure(text + ")")
    return Failure(f"{type(error).__name__}: {error}")


def _connection_cause(error: BaseException) -> str:
    """The innermost reason of a connection error ("Connection refused", "timed out"), not requests'
    long chain of wrappers."""
    seen = set()
    while True:
        seen.add(id(error))
        inner = error.__cause__ or error.__context__ or (error.args[0] if error.args else None)
        if isinstance(inner, BaseException) and id(inner) not in seen:
            if isinstance(inner, OSError) and inner.strerror:
                return str(inner.strerror)
            error = inner
            continue
        break
    text = str(error)
    if "] " in text:  # "[Errno 111] Connection refused" wrapped in urllib3's text
        text = text.rsplit("] ", 1)[-1].rstrip("'\")")
    return text


def _upload_in_parts(bucket: Any, key: str, file: str) -> None:
    """A big file in parts, several at once; its progress is kept in the session's temporary
    directory, so the same upload retried after a failure sends only the parts still missing."""
    store = oss2.ResumableStore(root=tempfile.gettempdir())
    oss2.resumable_upload(
        bucket,
        key,
        file,
        store=store,
        multipart_threshold=MULTIPART_THRESHOLD,
        part_size=PART_SIZE,
        num_threads=4,
    )


def upload(request: dict[str, Any]) -> str:
    bucket = _bucket(request)
    key, path, shown = request["object"], request["path"], request["shown"]
    count = 0
    for file, file_shown, rel in _files_to_upload(path, shown):
        object_key = f"{key.rstrip('/')}/{rel}" if rel else key
        with _open_for_reading(file, file_shown) as source:
            try:
                if os.fstat(source.fileno()).st_size > MULTIPART_THRESHOLD:
                    _upload_in_parts(bucket, object_key, file)
                else:
                    bucket.put_object(object_key, source)
            except oss2.exceptions.OssError as error:
                raise _oss_failure(error, request["endpoint"]) from None
            except OSError as error:
                raise _os_failure(error, file_shown) from None
        count += 1
    target = f"oss://{request['bucket']}/{key}"
    if os.path.isdir(path):
        return f"Upload success: {count} files from {shown} to {target.rstrip('/')}/"
    return f"Upload success: {shown} to {target}"


def download(request: dict[str, Any]) -> str:
    bucket = _bucket(request)
    key = request["object"]
    path, shown = _download_target(request["path"], request["shown"], key)
    try:
        result = bucket.get_object(key)  # the object exists before anything is written
    except oss2.exceptions.OssError as error:
        raise _oss_failure(error, request["endpoint"]) from None

    def copy(out: IO[bytes]) -> None:
        try:
            if result.content_length is None:
                for chunk in iter(lambda: result.read(_CHUNK), b""):
                    out.write(chunk)
            else:
                oss2.utils.copyfileobj_and_verify(
                    result, out, result.content_length, chunk_size=_CHUNK, request_id=result.request_id
                )
            if bucket.enable_crc:
                oss2.utils.check_crc("get", result.client_crc, result.server_crc, result.request_id)
        except oss2.exceptions.OssError as error:
            raise _oss_failure(error, request["endpoint"]) from None

    size = _write_atomically(path, shown, copy)
    return f"Download success: oss://{request['bucket']}/{key} to {shown} ({size} bytes)"


# ---- plain HTTP ----------------------------------------------------------------------------------


def _http_failure(response: Any) -> Failure:
    body = response.raw.read(_BODY_EXCERPT * 4, decode_content=True)[: _BODY_EXCERPT * 4]
    excerpt = " ".join(body.decode("utf-8", "replace").split())[:_BODY_EXCERPT]
    reason = f" {response.reason}" if response.reason else ""
    return Failure(f"HTTP {response.status_code}{reason}" + (f": {excerpt}" if excerpt else ""))


def _requests_failure(error: Exception, url: str) -> Failure:
    # The URL's origin only: its query may hold a signature.
    parts = urllib.parse.urlsplit(url)
    return Failure(f"Could not reach {parts.scheme}://{parts.netloc}: {_connection_cause(error)}")


def put_url(request: dict[str, Any]) -> str:
    path, shown = request["path"], request["shown"]
    if os.path.isdir(path):
        raise Failure(f"Is a directory: {shown}")
    with _open_for_reading(path, shown) as source:
        try:
            # A file object is streamed; no Content-Type is added, as a signed URL expects.
            response = requests.put(request["url"], data=source, timeout=_timeouts(request), stream=True)
        except requests.RequestException as error:
            raise _requests_failure(error, request["url"]) from None
        except OSError as error:
            raise _os_failure(error, shown) from None
    with response:
        if not 200 <= response.status_code < 300:
            raise _http_failure(response)
    return f"Upload success: {shown} (HTTP {response.status_code})"


def get_url(request: dict[str, Any]) -> str:
    path, shown = request["path"], request["shown"]
    try:
        response = requests.get(request["url"], timeout=_timeouts(request), stream=True)
    except requests.RequestException as error:
        raise _requests_failure(error, request["url"]) from None
    with response:
        if not 200 <= response.status_code < 300:
            raise _http_failure(response)
        name = urllib.parse.unquote(urllib.parse.urlsplit(request["url"]).path).rsplit("/", 1)[-1]
        path, shown = _download_target(path, shown, name)

        def copy(out: IO[bytes]) -> None:
            try:
                for chunk in response.iter_content(_CHUNK):
                    out.write(chunk)
            except requests.RequestException as error:
                raise _requests_failure(error, request["url"]) from None

        size = _write_atomically(path, shown, copy)
    return f"Download success: {shown} ({size} bytes, HTTP {response.status_code})"


OPERATIONS: dict[str, Callable[[dict[str, Any]], str]] = {
    "upload": upload,
    "download": download,
    "put_url": put_url,
    "get_url": get_url,
}


def run(request: dict[str, Any]) -> dict[str, Any]:
    """One transfer: `{"ok": True, "text": ...}` or `{"ok": False, "text": <the cause>}`."""
    try:
        return {"ok": True, "text": OPERATIONS[request["op"]](request)}
    except Failure as failure:
        return {"ok": False, "text": str(failure)}
    except oss2.exceptions.OssError as error:  # e.g. an invalid bucket name, refused by oss2 itself
        return {"ok": False, "text": str(_oss_failure(error, request.get("endpoint", "")))}


def main() -> None:
    request = json.loads(sys.stdin.buffer.read())
    sys.stdout.write(json.dumps(run(request)) + "\n")


if __name__ == "__main__":
    main()
