"""The actions: one coroutine per POP Action, from checked parameters to the reply's fields.

Each action gets a `Call` (the caller's key digest, the merged query and form fields, the server's base
URL) and returns the fields to put beside the success envelope (`Data`, and for ListSession `NextToken`,
`MaxResults`, `TotalCount`), or raises an `ApiError`. Nothing here knows about HTTP.

The replies never carry `LinkUrl`, `Token` (non-empty), `ToolList`, `WsUrl` or `VpcResource: true`:
those fields reroute the official SDK to side channels this server does not have (protocol.md §4).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping

from starlette.concurrency import run_in_threadpool

from . import _params as p
from . import browser, desktop, oss, watch
from ._call import Call, Reply
from ._errors import ApiError, invalid_parameter, session_not_found
from ._store import RUNNING, SessionRow, SessionSummary, Store
from ._tools import ToolHandler, ToolIndex, ToolRunner, tool_result, unavailable
from .contexts import ContextStore
from .contexts._sync import SyncEngine, parse_mounts
from .sandbox import end_session

logger = logging.getLogger("agentbay_local")

__all__ = ["ACTIONS", "Actions", "Call", "Reply"]

_LINK_PROTOCOLS = ("http", "https", "ws", "wss")


class Actions:
    """The action implementations over one store, tool index and tool registry."""

    def __init__(
        self,
        store: Store,
        tools: ToolIndex,
        handlers: Mapping[str, ToolHandler],
        contexts: ContextStore | None = None,
    ) -> None:
        self.store = store
        self.contexts = ContextStore(store) if contexts is None else contexts
        self.sync = SyncEngine(store, self.contexts)
        self.tools = tools
        self.handlers = handlers
        self.runner = ToolRunner(handlers)
        #: The local object store's URL as a session reaches it ("http://127.0.0.1:PORT"), set by
        #: LocalServer when it starts; None when the app runs without the store (create_app).
        self.oss_endpoint: str | None = None
        #: Awaited with a session's id as soon as it is deleted, before its processes end (the port
        #: proxy closes the session's WebSocket tunnels there, with a reason the client sees).
        self.on_delete: list[Callable[[str], Awaitable[None]]] = []

    def _running(self, call: Call) -> SessionRow:
        row = self.store.get_running(call.owner, p.required(call.params, "SessionId"))
        if row is None:
            raise session_not_found()
        return row

    @staticmethod
    def _resource_url(call: Call, session_id: str) -> str:
        # The page this server serves about the session (GET answers a small JSON, no key needed),
        # the same URL as GetLink's without a port.
        return f"{call.base_url}/sessions/{session_id}/"

    # ---- lifecycle -------------------------------------------------------------------------------

    async def create_mcp_session(self, call: Call) -> Reply:
        """CreateMcpSession: a new RUNNING session with its own home and tmp directories."""
        params = call.params
        image_id = p.check_image(p.optional(params, "ImageId") or p.DEFAULT_IMAGE)
        if p.parse_bool(params, "VpcResource"):
            raise invalid_parameter("VpcResource", "VPC sessions are not supported by the local server.")
        labels = p.parse_labels(params) or {}
        persistence = p.optional(params, "PersistenceDataList")  # stored as sent
        # 0.22.3 extras: checked for type, otherwise without effect on a local session.
        p.parse_int(params, "Timeout", 0)
        p.parse_int(params, "MaxRuntime", 0)
        p.parse_bool(params, "ManualRelease")
        p.parse_bool(params, "EnableRecord")
        p.parse_bool(params, "LoadSkill")
        # Checked in full before anything is made; an unknown context is a Failed task, not an error.
        mounts = parse_mounts(persistence)
        context_ids = list(dict.fromkeys(mount.context_id for mount in mounts))
        if image_id in browser.BROWSER_IMAGES and browser.chromium_executable() is None:
            raise invalid_parameter("ImageId", browser.unavailable_message())
        wants_desktop = image_id in desktop.DESKTOP_IMAGES
        if wants_desktop:
            missing = desktop.missing_packages()
            if missing:
                raise invalid_parameter("ImageId", desktop.unavailable_message(missing))
        row = self.store.create_session(
            call.owner, image_id, json.dumps(labels), persistence, p.optional(params, "McpPolicyId")
        )
        if wants_desktop:
            await self._start_desktop(call, row.id)
        self.contexts.touch(call.owner, context_ids)
        await self.sync.on_create(call.owner, row.id, mounts)
        return {
            "Data": {
                "SessionId": row.id,
                "ResourceUrl": self._resource_url(call, row.id),
                "AppInstanceId": row.app_instance_id,
                "ResourceId": row.resource_id,
                "Success": True,
                "ErrMsg": "",
            }
        }

    async def _start_desktop(self, call: Call, session_id: str) -> None:
        """Start the new session's display; if it cannot start, the session is deleted again (nothing
        is left) and the create fails with the reason."""
        try:
            await run_in_threadpool(desktop.start, self.store.session_dir(session_id), call.base_url)
        except desktop.DesktopUnavailable as error:
            self.store.finish_session(call.owner, session_id)
            await run_in_threadpool(self._remove, session_id)
            raise ApiError(
                500, "InternalError.Desktop", f"The session's desktop could not start: {error}"
            ) from None

    async def release_mcp_session(self, call: Call) -> Reply:
        """ReleaseMcpSession (0.8/0.9) and DeleteSessionAsync (0.22.3): mark the session FINISH, kill
        every process it still has (waiting until they are gone, so its ports are free), then remove
        its files. A session already deleted is not found, as in the cloud."""
        session_id = p.required(call.params, "SessionId")
        if not self.store.finish_session(call.owner, session_id):
            raise session_not_found()
        for hook in self.on_delete:
            await hook(session_id)
        # Its browser first, stopped cleanly so that its profile (a browser context) is whole on disk,
        # then its processes, then the uploads of its auto-upload mounts (bounded), then its files.
        await browser.stop(self.store.session_dir(session_id))
        browser.forget(self.store.session_dir(session_id))
        await run_in_threadpool(end_session, self.store.session_dir(session_id))
        await run_in_threadpool(watch.end_session, self.store.session_dir(session_id))
        oss.forget_session(self.store.session_dir(session_id))
        await run_in_threadpool(desktop.stop, self.store.session_dir(session_id))
        await self.sync.before_release(call.owner, session_id)
        await run_in_threadpool(self._remove, session_id)
        return {}

    def _remove(self, session_id: str) -> None:
        """End a deleted session's processes, then remove its files. The deletion is committed
        already: a folder that cannot be removed now is logged, and removed at the next start."""
        end_session(self.store.session_dir(session_id))
        try:
            self.store.remove_session_files(session_id)
        except OSError as error:
            logger.warning("could not remove the files of deleted session %s: %s", session_id, error)

    async def get_session_detail(self, call: Call) -> Reply:
        """GetSessionDetail: the status, FINISH included (0.22.3 polls it after DeleteSessionAsync)."""
        row = self.store.get_session(call.owner, p.required(call.params, "SessionId"))
        if row is None:
            raise session_not_found()
        return {"Data": {"Status": row.status, "SessionId": row.id}}

    async def get_session(self, call: Call) -> Reply:
        """GetSession: the session's ids; never the VPC fields that would reroute the SDK.

        `ImageId` is this server's addition (the cloud's GetSession does not say which image runs);
        the SDKs ignore fields they do not know, and ours reads it into `Session.image_id`.
        """
        row = self._running(call)
        return {
            "Data": {
                "SessionId": row.id,
                "ImageId": row.image_id,
                "AppInstanceId": row.app_instance_id,
                "ResourceId": row.resource_id,
                "ResourceUrl": self._resource_url(call, row.id),
                "Success": True,
                "Status": row.status,
                "VpcResource": False,
                "HttpPort": "",
                "NetworkInterfaceIp": "",
                "Token": "",
            }
        }

    async def refresh_session_idle_time(self, call: Call) -> Reply:
        """RefreshSessionIdleTime (0.22.3 keep_alive): local sessions never idle out."""
        self._running(call)
        return {}

    async def get_mcp_resource(self, call: Call) -> Reply:
        """GetMcpResource: the session's resource; there is no remote desktop to authenticate to."""
        row = self._running(call)
        return {
            "Data": {
                "SessionId": row.id,
                "ResourceUrl": self._resource_url(call, row.id),
                "DesktopInfo": {
                    "AppId": row.app_instance_id,
                    "AuthCode": "",
                    "ConnectionProperties": "{}",
                    "ResourceId": row.resource_id,
                    "ResourceType": "AIAgent",
                    "Ticket": "",
                },
            }
        }

    async def get_link(self, call: Call) -> Reply:
        """GetLink: a URL on this server for the session, or for one port inside it.

        The URL must work, so the protocols offered are those the server is reached by: `http` and
        `ws` on plain HTTP (the default), `https` and `wss` when its public URL is https (a TLS proxy
        in front). Any other is refused with the list of those it serves. No ProtocolType: the
        server's own.
        """
        params = call.params
        base = call.base_url
        secure = base.startswith("https:")
        served = ("https", "wss") if secure else ("http", "ws")
        protocol_type = p.optional(params, "ProtocolType")
        protocol = (protocol_type or served[0]).lower()
        if protocol not in served:
            known = protocol in _LINK_PROTOCOLS
            raise invalid_parameter(
                "ProtocolType",
                (f"ProtocolType {protocol} is not served here: " if known else "Unknown ProtocolType; ")
                + f"this server is reached by {'HTTPS' if secure else 'plain HTTP'}, so it serves "
                f"{' and '.join(served)} links.",
            )
        if "Port" in params:  # present but empty is a bad port, not "no port"
            if not params["Port"]:
                raise invalid_parameter("Port", "Port must be a decimal integer between 1 and 65535.")
            port = p.parse_int(params, "Port", 1, 65535)
        else:
            port = None
        row = self._running(call)
        if port is None and (protocol_type is None or protocol.startswith("ws")):
            # 0.8/0.9's browser.get_endpoint_url(): a browser session's link is its browser's CDP URL.
            running = await self._running_browser(row)
            if running is not None:
                return {"Data": {"Url": browser.cdp_url(call.base_url, row.id, running)}}
        if protocol.startswith("ws"):  # a WebSocket client wants the ws/wss scheme
            base = "ws" + base[4:]
        suffix = f"ports/{port}/" if port is not None else ""
        return {"Data": {"Url": f"{base}/sessions/{row.id}/{suffix}"}}

    async def _running_browser(self, row: SessionRow) -> browser.Browser | None:
        if row.image_id not in browser.BROWSER_IMAGES:
            return None
        return await browser.running(self.store.session_dir(row.id))

    # ---- labels and listing ----------------------------------------------------------------------

    async def set_label(self, call: Call) -> Reply:
        """SetLabel: replace the session's labels."""
        session_id = p.required(call.params, "SessionId")
        labels = p.parse_labels(call.params, mandatory=True) or {}
        if not self.store.set_labels(call.owner, session_id, json.dumps(labels)):
            raise session_not_found()
        return {}

    async def get_label(self, call: Call) -> Reply:
        """GetLabel: the labels as a JSON string, stored in exactly that form (one SELECT)."""
        labels = self.store.get_labels(call.owner, p.required(call.params, "SessionId"))
        if labels is None:
            raise session_not_found()
        return {"Data": {"Labels": labels}}

    async def list_session(self, call: Call) -> Reply:
        """ListSession: the caller's running sessions carrying every given label, a page at a time.

        `NextToken` names the last session of the previous page (`p.page_token`), so a caller that
        deletes or creates sessions while it pages neither misses nor repeats one; `TotalCount` is
        how many match now, over all pages.
        """
        params = call.params
        wanted = p.parse_labels(params) or {}
        max_results = p.parse_int(params, "MaxResults", 1, 100) or 10
        after_seq = p.parse_page_token(params)
        status = p.optional(params, "Status")
        if status not in (None, RUNNING):  # deleted sessions are never listed
            page: list[SessionSummary] = []
            more, total = False, 0
        else:
            image_id = p.optional(params, "ImageId")
            page, more, total = self.store.list_running(call.owner, wanted, image_id, after_seq, max_results)
        return {
            "Data": [
                {
                    "SessionId": row.id,
                    "SessionStatus": RUNNING,
                    "ImageId": row.image_id,
                    "AppInstanceId": row.app_instance_id,
                }
                for row in page
            ],
            "NextToken": p.page_token(page[-1].seq) if more else "",
            "MaxResults": max_results,
            "TotalCount": total,
        }

    # ---- MCP tools -------------------------------------------------------------------------------

    async def list_mcp_tools(self, call: Call) -> Reply:
        """ListMcpTools: the spec's tool index, as a JSON string."""
        image_id = p.optional(call.params, "ImageId")
        if image_id is not None:
            p.check_image(image_id)
        return {"Data": self.tools.listing()}

    async def call_mcp_tool(self, call: Call) -> Reply:
        """CallMcpTool: run a tool in the session; a tool's failure is `isError`, not an HTTP error."""
        params = call.params
        session_id = p.required(params, "SessionId")
        name = p.required(params, "Name")
        args = p.parse_args(params)
        p.parse_bool(params, "AutoGenSession")
        if not self.store.is_running(call.owner, session_id):
            raise session_not_found()
        reason = unavailable(name, self.tools, self.handlers)
        if reason is not None:
            return {"Data": tool_result(reason, True)}
        if name == "oss_env_init":  # no endpoint: the store of this run (the session may predate a restart)
            oss.bind_session(self.store.session_dir(session_id), self.oss_endpoint)
        display = desktop.get(self.store.session_dir(session_id))
        if display is not None:  # screenshot URLs name the server as this client reaches it
            display.base_url = call.base_url
        try:
            text, is_error = await self.runner.run(
                name,
                call.owner,
                session_id,
                self.store.session_dir(session_id),
                args,
                # Sent by 0.22.3 and later (and our SDK), whose clients parse the structured replies.
                structured="AutoGenSession" in params,
            )
        except Exception as exc:
            logger.exception("tool %s failed", name)
            return {"Data": tool_result(f"tool {name} failed: {type(exc).__name__}: {exc}", True)}
        return {"Data": tool_result(text, is_error)}


ActionFn = Callable[[Actions, Call], Awaitable[Reply]]

#: Every Action this server answers. DeleteSessionAsync is ReleaseMcpSession under 0.22.3's name.
ACTIONS: dict[str, ActionFn] = {
    "CreateMcpSession": Actions.create_mcp_session,
    "ReleaseMcpSession": Actions.release_mcp_session,
    "DeleteSessionAsync": Actions.release_mcp_session,
    "GetSessionDetail": Actions.get_session_detail,
    "GetSession": Actions.get_session,
    "RefreshSessionIdleTime": Actions.refresh_session_idle_time,
    "GetMcpResource": Actions.get_mcp_resource,
    "GetLink": Actions.get_link,
    "SetLabel": Actions.set_label,
    "GetLabel": Actions.get_label,
    "ListSession": Actions.list_session,
    "ListMcpTools": Actions.list_mcp_tools,
    "CallMcpTool": Actions.call_mcp_tool,
}
