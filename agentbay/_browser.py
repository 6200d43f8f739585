"""The browser of a session (`session.browser`) without I/O: its options, the browser context that keeps
its profile between sessions, the requests InitBrowser and GetCdpLink take and the parsers of their
replies.

The options keep the official SDK's names and defaults (0.22.3, the newest), and `BrowserOption.to_map`
is byte for byte the JSON that 0.22.3 sends (tests/test_contract.py compares it with the captured
requests of every official version).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from typing import Any, Literal

import attrs

from ._api.api.browser import get_cdp_link, init_browser
from ._api.models import (
    GetCdpLinkData,
    GetCdpLinkResponse,
    InitBrowserData,
    InitBrowserRequest,
    InitBrowserResponse,
)
from ._context_sync import BWList, ContextSync, RecyclePolicy, SyncPolicy, UploadPolicy, WhiteList
from ._exceptions import APIError, BrowserError, InvalidInputError, ServerError
from ._validate import check_non_empty
from ._wire import Operation, _malformed, _request_id, _str

__all__ = [
    "BrowserContext",
    "BrowserFingerprint",
    "BrowserOption",
    "BrowserProxy",
    "BrowserScreen",
    "BrowserSyncMode",
    "BrowserViewport",
]

# Not repeated on a server error: a browser that failed to start would be started again, and fail again.
INIT_BROWSER = Operation("InitBrowser", init_browser, InitBrowserResponse, retry_safe=False)
GET_CDP_LINK = Operation("GetCdpLink", get_cdp_link, GetCdpLinkResponse, retry_safe=True)
STOP_TOOL = "stopChrome"

BROWSER_DATA_PATH = "/tmp/agentbay_browser"
"""The browser's profile folder in the session: the official SDKs' constant `PersistentPath`, where a
browser context is mounted."""
DEFAULT_EXTENSION_PATH = "/tmp/extensions/"


# ---- options -------------------------------------------------------------------------------------


def _size(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"Expected an int >= 1 for `{attribute.name}`, got {value!r}")


@attrs.frozen
class BrowserViewport:
    """The size of the page area, in CSS pixels."""

    width: int = attrs.field(default=1920, validator=_size)
    height: int = attrs.field(default=1080, validator=_size)

    def to_map(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height}


@attrs.frozen
class BrowserScreen:
    """The size of the screen the page reports (`window.screen`)."""

    width: int = attrs.field(default=1920, validator=_size)
    height: int = attrs.field(default=1080, validator=_size)

    def to_map(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height}


_DEVICES = ("desktop", "mobile")
_SYSTEMS = ("windows", "macos", "linux", "android", "ios")


def _choices(value: Iterable[str] | None, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidInputError(f"Expected a list of {', '.join(allowed)}, got {value!r}")
    items = tuple(value)
    for item in items:
        if item not in allowed:
            raise InvalidInputError(f"Expected one of {', '.join(allowed)}, got {item!r}")
    return items


# Converters: the attrs mypy plugin takes named functions only.
def _devices(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return _choices(value, _DEVICES)


def _systems(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return _choices(value, _SYSTEMS)


def _strings(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidInputError(f"Expected a list of str, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, str):
            raise InvalidInputError(f"Expected a list of str, got an item {item!r}")
    return items


@attrs.frozen
class BrowserFingerprint:
    """The kind of browser fingerprint the service generates (the cloud's; the local server's
    Chromium keeps its own)."""

    devices: tuple[str, ...] | None = attrs.field(default=None, converter=_devices)
    """``desktop`` and/or ``mobile``."""
    operating_systems: tuple[str, ...] | None = attrs.field(default=None, converter=_systems)
    """``windows``, ``macos``, ``linux``, ``android``, ``ios``."""
    locales: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    """E.g. ``en-US``."""

    def to_map(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.devices is not None:
            out["devices"] = list(self.devices)
        if self.operating_systems is not None:
            out["operatingSystems"] = list(self.operating_systems)
        if self.locales is not None:
            out["locales"] = list(self.locales)
        return out


ProxyType = Literal["custom", "wuying", "managed"]
_STRATEGIES = {"wuying": ("restricted", "polling"), "managed": ("polling", "sticky", "rotating", "matched")}


def _one_of(*allowed: str | None) -> Any:
    """A validator: `value` is one of `allowed`, else InvalidInputError (attrs' own raises ValueError)."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in allowed:
            shown = ", ".join(repr(a) for a in allowed)
            raise InvalidInputError(f"Expected one of {shown} for `{attribute.name}`, got {value!r}")

    return check


def _optional_str(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidInputError(f"Expected a str or None for `{attribute.name}`, got {value!r}")


@attrs.frozen
class BrowserProxy:
    """A proxy for the browser's traffic, as the official SDK has it.

    - ``custom``: your proxy, `server` as ``host:port`` (the local server passes it to Chromium's
      ``--proxy-server``), with `username` / `password` when it needs them;
    - ``wuying``: the cloud's proxies, `strategy` ``restricted`` (one IP) or ``polling`` (`pollsize` IPs);
    - ``managed``: your proxies managed by the cloud, `strategy` ``polling``, ``sticky``, ``rotating``
      or ``matched`` (by `isp` / `country` / `province` / `city`), for `user_id`.
    """

    proxy_type: ProxyType = attrs.field(validator=_one_of("custom", "wuying", "managed"))
    server: str | None = attrs.field(default=None, validator=_optional_str)
    username: str | None = attrs.field(default=None, validator=_optional_str)
    password: str | None = attrs.field(default=None, validator=_optional_str, repr=False)
    """A credential: kept out of the repr."""
    strategy: str | None = attrs.field(default=None, validator=_optional_str)
    pollsize: int = 10
    user_id: str | None = attrs.field(default=None, validator=_optional_str)
    isp: str | None = attrs.field(default=None, validator=_optional_str)
    country: str | None = attrs.field(default=None, validator=_optional_str)
    province: str | None = attrs.field(default=None, validator=_optional_str)
    city: str | None = attrs.field(default=None, validator=_optional_str)

    def __attrs_post_init__(self) -> None:
        # The official SDK's checks, as InvalidInputError (a ValueError, as theirs).
        if self.proxy_type == "custom":
            if not self.server:
                raise InvalidInputError("`server` is required for a custom proxy")
            return
        allowed = _STRATEGIES[self.proxy_type]
        if self.strategy not in allowed:
            raise InvalidInputError(
                f"Expected one of {', '.join(allowed)} for `strategy` of a {self.proxy_type} proxy,"
                f" got {self.strategy!r}"
            )
        pollsize_ok = (
            isinstance(self.pollsize, int) and not isinstance(self.pollsize, bool) and self.pollsize >= 1
        )
        if self.proxy_type == "wuying" and self.strategy == "polling" and not pollsize_ok:
            raise InvalidInputError(f"Expected an int >= 1 for `pollsize`, got {self.pollsize!r}")
        if self.proxy_type == "managed":
            if not self.user_id:
                raise InvalidInputError("`user_id` is required for a managed proxy")
            if self.strategy == "matched" and not (self.isp or self.country or self.province or self.city):
                raise InvalidInputError("The matched strategy needs one of isp, country, province, city")

    def to_map(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.proxy_type}
        if self.proxy_type == "custom":
            out["server"] = self.server
            if self.username:
                out["username"] = self.username
            if self.password:
                out["password"] = self.password
        elif self.proxy_type == "wuying":
            out["strategy"] = self.strategy
            if self.strategy == "polling":
                out["pollsize"] = self.pollsize
        else:
            out["strategy"] = self.strategy
            for key, value in (
                ("userId", self.user_id),
                ("isp", self.isp),
                ("country", self.country),
                ("province", self.province),
                ("city", self.city),
            ):
                if value:
                    out[key] = value
        return out


def _bool(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidInputError(f"Expected a bool for `{attribute.name}`, got {value!r}")


def _instance(kind: type) -> Any:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, kind):
            raise InvalidInputError(
                f"Expected a {kind.__name__} or None for `{attribute.name}`, got {value!r}"
            )

    return check


def _proxies(value: Iterable[BrowserProxy] | None) -> tuple[BrowserProxy, ...] | None:
    if value is None:
        return None
    if isinstance(value, BrowserProxy) or not isinstance(value, Iterable):
        raise InvalidInputError(f"Expected a list of BrowserProxy for `proxies`, got {value!r}")
    items = tuple(value)
    if len(items) > 1:
        raise InvalidInputError(f"At most one proxy is supported, got {len(items)}")
    for item in items:
        if not isinstance(item, BrowserProxy):
            raise InvalidInputError(f"Expected a list of BrowserProxy for `proxies`, got an item {item!r}")
    return items


def _extension_path(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_non_empty(value, attribute.name)


@attrs.frozen(kw_only=True)
class BrowserOption:
    """How `session.browser.initialize` starts the browser (the official SDK's options and defaults).

    On the local server, Chromium gets `user_agent` (``--user-agent``), `viewport` (its window size),
    the first proxy's `server` (``--proxy-server``) and `cmd_args`; the other options are the cloud's
    (stealth, captcha solving, fingerprints) and are accepted without effect.
    """

    use_stealth: bool = attrs.field(default=False, validator=_bool)
    """Hide the signs of automation."""
    user_agent: str | None = attrs.field(default=None, validator=_optional_str)
    viewport: BrowserViewport | None = attrs.field(default=None, validator=_instance(BrowserViewport))
    screen: BrowserScreen | None = attrs.field(default=None, validator=_instance(BrowserScreen))
    fingerprint: BrowserFingerprint | None = attrs.field(
        default=None, validator=_instance(BrowserFingerprint)
    )
    solve_captchas: bool = attrs.field(default=False, validator=_bool)
    auto_login: bool = attrs.field(default=False, validator=_bool)
    call_for_user: bool = attrs.field(default=False, validator=_bool)
    proxies: tuple[BrowserProxy, ...] | None = attrs.field(default=None, converter=_proxies)
    """At most one proxy."""
    extension_path: str | None = attrs.field(default=DEFAULT_EXTENSION_PATH, validator=_extension_path)
    """Where the browser loads extensions from, in the session."""
    cmd_args: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    """Extra command line flags of the browser, e.g. ``["--disable-gpu"]``."""
    default_navigate_url: str | None = attrs.field(default=None, validator=_optional_str)
    """The page the browser opens first."""
    browser_type: Literal["chrome", "chromium"] | None = attrs.field(
        default=None, validator=_one_of(None, "chrome", "chromium")
    )

    def to_map(self) -> dict[str, Any]:
        """The option's JSON object: 0.22.3's keys in 0.22.3's order, unset ones left out."""
        out: dict[str, Any] = {"useStealth": self.use_stealth}
        if self.user_agent is not None:
            out["userAgent"] = self.user_agent
        if self.viewport is not None:
            out["viewport"] = self.viewport.to_map()
        if self.screen is not None:
            out["screen"] = self.screen.to_map()
        if self.fingerprint is not None:
            out["fingerprint"] = self.fingerprint.to_map()
        out["solveCaptchas"] = self.solve_captchas
        out["autoLogin"] = self.auto_login
        out["callForUser"] = self.call_for_user
        if self.proxies is not None:
            out["proxies"] = [proxy.to_map() for proxy in self.proxies]
        if self.extension_path is not None:
            out["extensionPath"] = self.extension_path
        if self.cmd_args is not None:
            out["cmdArgs"] = list(self.cmd_args)
        if self.default_navigate_url is not None:
            out["defaultNavigateUrl"] = self.default_navigate_url
        if self.browser_type is not None:
            out["browserType"] = self.browser_type
        return out

    def to_json(self) -> str:
        """The ``BrowserOption`` field as sent: json.dumps with its default separators."""
        return json.dumps(self.to_map(), ensure_ascii=False)


# ---- browser context -----------------------------------------------------------------------------


class BrowserSyncMode(enum.StrEnum):
    """Which parts of the browser profile a browser context keeps."""

    MINIMAL = "minimal"
    """Cookies and ``Local State`` only."""
    STANDARD = "standard"
    """Logins and site data as well: cookies, local storage, IndexedDB, saved passwords, preferences."""


_MINIMAL_PATHS = ("/Local State", "/Default/Cookies", "/Default/Cookies-journal")
_STANDARD_PATHS = (
    *_MINIMAL_PATHS,
    "/Default/Local Storage",
    "/Default/IndexedDB",
    "/Default/Session Storage",
    "/Default/Login Data",
    "/Default/Login Data-journal",
    "/Default/Login Data For Account",
    "/Default/Login Data For Account-journal",
    "/Default/Web Data",
    "/Default/Web Data-journal",
    "/Default/Preferences",
    "/Default/Secure Preferences",
    "/Default/TransportSecurity",
    "/Default/Network Persistent State",
    "/Default/GPUCache",
    "/Default/Affiliation Database",
    "/Default/Affiliation Database-journal",
)
"""The profile's files each mode syncs, in 0.22.3's order (paths relative to the profile folder)."""


def _sync_mode(value: BrowserSyncMode | str) -> BrowserSyncMode:
    try:
        return BrowserSyncMode(value)
    except ValueError:
        raise InvalidInputError(f"Expected 'minimal' or 'standard' for `sync_mode`, got {value!r}") from None


@attrs.frozen
class BrowserContext:
    """A context that keeps the browser's profile (cookies, local storage, logins) from one session to
    the next: `CreateSessionParams(browser_context=BrowserContext(context.id))` mounts it at the
    profile folder, and `create` waits until it is downloaded, as for `context_syncs`.

    ```python
    context = agent_bay.context.get("my-browser", create=True).context
    params = CreateSessionParams(image_id="browser_latest", browser_context=BrowserContext(context.id))
    ```
    """

    context_id: str = attrs.field(validator=lambda _, a, v: check_non_empty(v, a.name))
    auto_upload: bool = attrs.field(default=True, validator=_bool)
    """Upload the profile back to the context when the session is released (or deleted with
    `sync_context=True`)."""
    sync_mode: BrowserSyncMode = attrs.field(default=BrowserSyncMode.STANDARD, converter=_sync_mode)

    def to_context_sync(self) -> ContextSync:
        """The PersistenceDataList item the official SDK (0.22.3) sends for it: the context at the profile
        folder, syncing the mode's files only."""
        paths = _MINIMAL_PATHS if self.sync_mode is BrowserSyncMode.MINIMAL else _STANDARD_PATHS
        policy = SyncPolicy(
            upload_policy=UploadPolicy(auto_upload=self.auto_upload),
            recycle_policy=RecyclePolicy.default(),
            bw_list=BWList([WhiteList(path=path) for path in paths]),
        )
        return ContextSync(self.context_id, BROWSER_DATA_PATH, policy)


def check_browser_context(value: object) -> BrowserContext | None:
    if value is not None and not isinstance(value, BrowserContext):
        raise InvalidInputError(f"Expected a BrowserContext or None for `browser_context`, got {value!r}")
    return value


# ---- requests and replies ------------------------------------------------------------------------


def check_option(value: object) -> BrowserOption:
    """`value` if it is a BrowserOption; the default options for None."""
    if value is None:
        return BrowserOption()
    if not isinstance(value, BrowserOption):
        raise InvalidInputError(f"Expected a BrowserOption or None for `option`, got {value!r}")
    return value


def init_body(auth: str, session_id: str, option: BrowserOption) -> InitBrowserRequest:
    """The InitBrowser form, as the official SDKs send it."""
    return InitBrowserRequest(
        authorization=auth,
        session_id=session_id,
        persistent_path=BROWSER_DATA_PATH,
        browser_option=option.to_json(),
    )


def started_port(reply: InitBrowserResponse, session_id: str) -> int:
    """The DevTools port of an InitBrowser reply. The official SDKs take a reply without it as a
    browser that did not start (they return False); here it is a `BrowserError`."""
    data = reply.data
    port = data.port if isinstance(data, InitBrowserData) else None
    if not isinstance(port, int) or isinstance(port, bool):
        raise BrowserError(
            f"the browser of session {session_id} did not start: the reply has no Data.Port",
            session_id=session_id,
            request_id=_request_id(reply),
        )
    return port


NOT_A_BROWSER_SESSION = "InvalidMcpSession.NotBrowser"
"""The local server's code for InitBrowser on a session whose image has no browser."""


def init_error(exc: APIError, session_id: str) -> BrowserError | None:
    """The `BrowserError` that InitBrowser's failure `exc` is: a session without a browser, or a
    browser that failed to start (a server error). None for anything else (a wrong key, a session
    gone, a refused option), which keeps its own type."""
    if exc.code != NOT_A_BROWSER_SESSION and not isinstance(exc, ServerError):
        return None
    what = "has no browser" if exc.code == NOT_A_BROWSER_SESSION else "could not start its browser"
    return BrowserError(
        f"session {session_id} {what}: {exc}", session_id=session_id, code=exc.code, request_id=exc.request_id
    )


def cdp_url(reply: GetCdpLinkResponse) -> str:
    """The CDP endpoint of a GetCdpLink reply."""
    data = reply.data
    if not isinstance(data, GetCdpLinkData) or not _str(data.url):
        raise _malformed(GET_CDP_LINK.action, reply, "no Data.Url")
    return _str(data.url)


def not_initialized(session_id: str, what: str) -> BrowserError:
    return BrowserError(
        f"the browser of session {session_id} is not initialized: call initialize() before {what}",
        session_id=session_id,
    )
