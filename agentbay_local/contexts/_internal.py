"""GetAndLoadInternalContext: a session's internal contexts, of which the one known is `file_transfer`.

The official SDK 0.22.3 moves files of any size this way (`file_system.upload_file`/`download_file`):
it asks for the session's file-transfer context, then PUTs to (or GETs from) the URLs of
`GetContextFile{Upload,Download}Url` with `FilePath` = the sandbox path, and syncs with
`SyncContext(ContextId, Path=<the same sandbox path>, Mode)`. Our facade does the same.

Here the file-transfer context of a session is an ordinary context of the session's key, named
``file-transfer-<session id>``, made by the first call and returned again by the next ones. It is not
mounted: the sync engine keys a path under no mount of the context by the path itself (`_sync.py`),
exactly as the `FilePath` of the URLs names it, so any sandbox path the tools can reach can be
transferred. `ContextPath` (which 0.22.3 requires to be non-empty) says where the cloud mounts it; it
has no other meaning here. The context and its copies of the transferred files go with the session:
ReleaseMcpSession deletes it once the core release is done (the app routes ReleaseMcpSession and DeleteSessionAsync through `routes`), and
each call removes those of the key's sessions that are gone (a server stopped between the two).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from starlette.concurrency import run_in_threadpool

from .. import _params as p
from .._call import Call, Handler, Reply
from .._errors import invalid_parameter, session_not_found
from .._store import Store
from ._store import STAGING_PREFIX, ContextStore

logger = logging.getLogger("agentbay_local")

FILE_TRANSFER = "file_transfer"
#: Where the file-transfer context is said to be mounted (`ContextPath`).
FILE_TRANSFER_PATH = "/tmp/file-transfer"
_NAME_PREFIX = STAGING_PREFIX
_RELEASES = ("ReleaseMcpSession", "DeleteSessionAsync")
_LIST_ITEM = re.compile(r"ContextTypes\.\d+")


class InternalContexts:
    """GetAndLoadInternalContext over the server's stores; `routes()` names it for the app."""

    def __init__(self, store: Store, contexts: ContextStore) -> None:
        self.store = store
        self.contexts = contexts

    def routes(self, core: Mapping[str, Handler]) -> dict[str, Handler]:
        """GetAndLoadInternalContext, and the release actions of `core` (ReleaseMcpSession and its
        0.22.3 name DeleteSessionAsync), each followed by the deletion of the session's file-transfer
        context."""
        releases = {name: self._then_release(core[name]) for name in _RELEASES}
        return {"GetAndLoadInternalContext": self.get_and_load, **releases}

    def _then_release(self, release: Handler) -> Handler:
        async def release_session(call: Call) -> Reply:
            reply = await release(call)
            await self.release(call.owner, p.required(call.params, "SessionId"))
            return reply

        return release_session

    async def get_and_load(self, call: Call) -> Reply:
        """The session's internal contexts of the `ContextTypes` asked for (all when none is): a list
        of `{ContextId, ContextPath, ContextType}`."""
        session_id = p.required(call.params, "SessionId")
        types = _context_types(call.params)
        if not self.store.is_running(call.owner, session_id):
            raise session_not_found()
        await self._remove_stale(call.owner)
        data = []
        if FILE_TRANSFER in types:
            row = self.contexts.get_or_create(call.owner, _NAME_PREFIX + session_id)
            data.append(
                {"ContextId": row.id, "ContextPath": FILE_TRANSFER_PATH, "ContextType": FILE_TRANSFER}
            )
        return {"Data": data}

    async def release(self, owner: str, session_id: str) -> None:
        """Delete the session's file-transfer context, if it has one (the session is being released)."""
        row = self.contexts.get(owner, name=_NAME_PREFIX + session_id)
        if row is not None:
            async with self.contexts.lock(row.id):  # no URL upload or sync lands half-way
                await run_in_threadpool(self.contexts.delete, owner, row.id)

    async def _remove_stale(self, owner: str) -> None:
        """Delete the key's file-transfer contexts whose sessions are gone."""
        with self.store.locked() as db:
            rows = db.execute(
                "SELECT id, name FROM contexts WHERE api_key = ? AND name LIKE ?"
                " AND NOT EXISTS (SELECT 1 FROM sessions WHERE sessions.id = substr(contexts.name, ?)"
                " AND sessions.api_key = contexts.api_key AND sessions.status = 'RUNNING')",
                (owner, _NAME_PREFIX + "session-%", len(_NAME_PREFIX) + 1),
            ).fetchall()
        for context_id, name in rows:
            logger.info("removing %s: its session is gone", name)
            async with self.contexts.lock(context_id):
                await run_in_threadpool(self.contexts.delete, owner, context_id)


def _context_types(params: p.Params) -> set[str]:
    """The types asked for: `ContextTypes.1`, `.2`, ... (darabonba's flattened list); all when none."""
    asked = {value for key, value in params.items() if _LIST_ITEM.fullmatch(key)}
    unknown = asked - {FILE_TRANSFER}
    if unknown:
        shown = ", ".join(sorted(unknown)[:3])
        raise invalid_parameter("ContextTypes", f"Unknown context type(s) {shown}; known: {FILE_TRANSFER}.")
    return asked or {FILE_TRANSFER}
