"""Contexts: named per-key stores of files that outlive sessions.

- `_store.py`: the rows (SQLite) and directories of contexts, their locks and URL tokens.
- `_keys.py`: how a `FilePath` names an object.
- `_files.py`: objects on disk (streamed uploads that land whole, reads, listings, deletes).
- `_actions.py`: GetContext, ListContexts, ModifyContext, DeleteContext, DescribeContextFiles,
  DeleteContextFile, GetContextFile{Upload,Download}Url.
- `_urls.py`: the upload and download URLs, served by the server itself.

The app (`_app.py`) makes one `ContextStore` over its `Store`, merges `ContextActions.routes()` into
its actions and routes `URL_PATH + "{token}"` to `ContextUrls.endpoint`.
"""

from ._actions import ContextActions
from ._keys import BadKey, folder_key, object_key
from ._store import ContextRow, ContextStore
from ._urls import URL_PATH, ContextUrls

__all__ = [
    "URL_PATH",
    "BadKey",
    "ContextActions",
    "ContextRow",
    "ContextStore",
    "ContextUrls",
    "folder_key",
    "object_key",
]
