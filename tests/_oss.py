"""oss2 clients for tests that run it in the test process: one connection pool for all of them, and
replies read at once.

oss2 leaves some replies unread (CompleteMultipartUpload's XML, a GetObjectMeta, the rest of an error
body), whatever the server: their connection stays busy until the garbage collector closes its socket,
a ResourceWarning that `filterwarnings = error` turns into an error of whichever test happens to run
then. And an `oss2.Bucket` made without a session gets a pool of its own, whose sockets are left to the
garbage collector too. So test clients share `SESSION` (a module closes it at its end:
`SESSION.session.close()`; it is made again on demand), and code that makes its own buckets in this process (the in-session program run
in process) is followed by `collect_quietly()`.
"""

from __future__ import annotations

import gc
import io
import warnings
from typing import Any

import oss2
import requests


class ReadingAdapter(requests.adapters.HTTPAdapter):
    """Reads small replies at once, so that their connection goes back to the pool; the body is then
    read from memory, from where the reader is (oss2 reads in pieces, each through a new iter_content)."""

    def send(self, request: Any, *args: Any, **kwargs: Any) -> requests.Response:
        response = super().send(request, *args, **kwargs)
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) <= 64 * 1024:
            response.raw = io.BytesIO(response.raw.read())
        return response


SESSION = oss2.Session(adapter=ReadingAdapter(pool_connections=10, pool_maxsize=10))


def bucket(auth: Any, endpoint: str, name: str, **kwargs: Any) -> oss2.Bucket:
    """A test's own oss2 client on `endpoint`, on the shared pool."""
    return oss2.Bucket(auth, endpoint, name, session=SESSION, **kwargs)


def service(auth: Any, endpoint: str) -> oss2.Service:
    return oss2.Service(auth, endpoint, session=SESSION)


def collect_quietly() -> None:
    """Collect the sockets that clients made in this process left open, without the ResourceWarning
    (a test's own leftovers, not the code under test's: it runs in a process that exits)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
