"""The local object store: OSS's REST API (path style, signature V1) on a port of its own.

The local server serves it beside the AgentBay API (`LocalServer.oss_endpoint`), so that a program
using the real OSS client library (`oss2`) puts and gets objects here exactly as it would on Alibaba
Cloud OSS:

```python
bucket = oss2.Bucket(oss2.Auth("any-id", api_key), server.oss_endpoint, "my-bucket")
```

Accounts are the server's API keys: the secret is the key, the access key id any non-empty string,
so buckets are per key and one key never sees another's. State lives under `<state_dir>/objectstore/`:
`objects.db` (SQLite: buckets, objects, multipart uploads) and `data/` (one file per object version).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from starlette.applications import Starlette

from ._app import build_app
from ._storage import Storage

#: The store's folder under the server's state directory.
DIRECTORY = "objectstore"


def create_objectstore_app(state_dir: Path, owners: Mapping[str, str]) -> Starlette:
    """The store's ASGI app over `<state_dir>/objectstore`; `owners`: API key -> the digest its buckets
    are kept under. The app's lifespan shutdown closes the database."""
    return build_app(Storage(state_dir / DIRECTORY), dict(owners))


__all__ = ["DIRECTORY", "create_objectstore_app"]
