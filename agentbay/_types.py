"""Parameters and result types of the public API (plain attrs classes; nothing from generated/)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import attrs

from ._exceptions import AgentBayError, InvalidInputError
from ._validate import check_labels

if TYPE_CHECKING:
    from ._browser import BrowserContext
    from ._context_sync import ContextSync

__all__ = [
    "ApiResult",
    "CreateSessionParams",
    "DeleteResult",
    "McpTool",
    "McpToolsResult",
    "OperationResult",
    "SessionInfo",
    "SessionListResult",
    "SessionResult",
    "SessionSummary",
]

S = TypeVar("S")


@attrs.frozen(kw_only=True)
class ApiResult:
    """What every result carries. On failure, `error` holds the typed error and `raise_for_error` raises it."""

    success: bool = True
    """Whether the call succeeded."""
    request_id: str = ""
    """The service's id of the (last) request; quote it when asking for support."""
    error_message: str = ""
    """Why the call failed; "" on success."""
    error: AgentBayError | None = attrs.field(default=None, eq=False)
    """The typed error of a failed call, else None."""

    @classmethod
    def failed(cls, error: AgentBayError) -> Self:
        """A failed result carrying `error`."""
        return cls(
            success=False,
            request_id=str(getattr(error, "request_id", "") or ""),
            error_message=str(error),
            error=error,
        )

    def raise_for_error(self) -> None:
        """Raise the typed error of a failed call; do nothing on success."""
        if self.error is not None:
            raise self.error


@attrs.frozen(kw_only=True)
class OperationResult(ApiResult):
    """The result of an operation that returns nothing more than success."""

    data: Any = None
    """What the operation returned, if anything."""


@attrs.frozen(kw_only=True)
class DeleteResult(ApiResult):
    """The result of deleting a session."""


@attrs.frozen(kw_only=True)
class SessionResult(ApiResult, Generic[S]):
    """The result of creating or getting a session."""

    session: S | None = None
    """The session; None when the call failed."""

    def unwrap(self) -> S:
        """The session, or raise the typed error of a failed call."""
        self.raise_for_error()
        if self.session is None:  # pragma: no cover - success always carries a session
            raise AgentBayError("the call succeeded but returned no session")
        return self.session


@attrs.frozen(kw_only=True)
class SessionSummary:
    """One session as `list` returns it: every field ListSession carries. Its labels are not among
    them (use `get(session_id)` then `get_labels()`); `list(labels=...)` filters by them."""

    session_id: str
    """The session's id."""
    status: str = ""
    """E.g. ``RUNNING``; "" when the service did not say."""
    image_id: str = ""
    """The image the session runs, e.g. ``linux_latest``; "" when the service did not say."""
    app_instance_id: str = ""
    """The id of the session's app instance; "" when the service did not say."""


@attrs.frozen(kw_only=True)
class SessionListResult(ApiResult):
    """One page of sessions."""

    sessions: list[SessionSummary] = attrs.field(factory=list)
    """The sessions of this page."""
    next_token: str = ""
    """The token of the next page; "" on the last page."""
    max_results: int = 0
    """The page size asked for."""
    total_count: int = 0
    """How many sessions match, over all pages."""

    @property
    def session_ids(self) -> list[str]:
        """The ids of this page's sessions."""
        return [s.session_id for s in self.sessions]


@attrs.frozen(kw_only=True)
class SessionInfo:
    """How to reach a session's resource and desktop (`Session.info()`)."""

    session_id: str
    resource_url: str = ""
    app_id: str = ""
    auth_code: str = attrs.field(default="", repr=False)
    """A credential: kept out of the repr."""
    connection_properties: str = ""
    resource_id: str = ""
    resource_type: str = ""
    ticket: str = attrs.field(default="", repr=False)
    """A credential: kept out of the repr."""


@attrs.frozen(kw_only=True)
class McpTool:
    """An MCP tool that a session's image offers."""

    name: str
    description: str = ""
    input_schema: dict[str, Any] = attrs.field(factory=dict)
    server: str = ""
    tool: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class McpToolsResult(ApiResult):
    """The tools a session's image offers."""

    tools: list[McpTool] = attrs.field(factory=list)


def _check_labels(_: Any, attribute: attrs.Attribute[Any], value: Mapping[str, str] | None) -> None:
    if value is not None:
        check_labels(value, attribute.name)


def _check_optional_str(_: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise InvalidInputError(f"Expected a non-empty str or None for `{attribute.name}`, got {value!r}")


def _context_syncs(value: Sequence[ContextSync] | None) -> tuple[ContextSync, ...] | None:
    from ._context_sync import check_context_syncs  # here: that module imports this one

    return None if value is None else check_context_syncs(value)


def _sync_timeout(value: float) -> float:
    from ._context_sync import check_timeout

    return check_timeout(value, "context_sync_timeout")


def _browser_context(value: BrowserContext | None) -> BrowserContext | None:
    from ._browser import check_browser_context  # here: that module imports this one

    return check_browser_context(value)


@attrs.frozen(kw_only=True)
class CreateSessionParams:
    """What to create a session with; every field is optional (the official SDK's names)."""

    labels: Mapping[str, str] | None = attrs.field(default=None, validator=_check_labels)
    """Labels to put on the session, to find it again with `list(labels=...)`."""
    image_id: str | None = attrs.field(default=None, validator=_check_optional_str)
    """The image, e.g. ``linux_latest`` or ``code_latest``; the service's default when None."""
    policy_id: str | None = attrs.field(default=None, validator=_check_optional_str)
    """An MCP policy to apply (``McpPolicyId`` on the wire)."""
    is_vpc: bool = False
    """Create the session in the caller's VPC (``VpcResource``)."""
    context_syncs: Sequence[ContextSync] | None = attrs.field(default=None, converter=_context_syncs)
    """Contexts to mount (``PersistenceDataList``): `create` waits until each is downloaded."""
    browser_context: BrowserContext | None = attrs.field(default=None, converter=_browser_context)
    """A context that keeps the browser's profile (cookies, local storage) between sessions: mounted at
    the profile folder like a context of `context_syncs`, and waited for as they are."""
    context_sync_timeout: float = attrs.field(default=300.0, converter=_sync_timeout)
    """Seconds `create` waits for those downloads; past it the result fails with a `ContextSyncError`."""

    def mounts(self) -> tuple[ContextSync, ...]:
        """Every context the session mounts, in the order sent: `context_syncs`, then the browser
        context's mount (the official SDK appends it last)."""
        mounts = tuple(self.context_syncs or ())
        if self.browser_context is not None:
            mounts += (self.browser_context.to_context_sync(),)
        return mounts
