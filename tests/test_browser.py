"""Unit tests of session.browser against the fake service (both flavours): what initialize,
get_endpoint_url and destroy send (the official SDKs' bytes: test_contract.py compares every capture),
their idempotence and state, the typed errors, the options' JSON and checks, and the browser context's
mount, byte for byte what 0.22.3 sends."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agentbay import (
    APIError,
    BrowserContext,
    BrowserError,
    BrowserFingerprint,
    BrowserOption,
    BrowserProxy,
    BrowserScreen,
    BrowserSyncMode,
    BrowserViewport,
    ContextSync,
    CreateSessionParams,
    InvalidInputError,
    InvalidParameterError,
    NotFoundError,
    ServerError,
    SessionClosedError,
    SyncPolicy,
)
from agentbay._browser import BROWSER_DATA_PATH

from ._fake import FakeService, envelope

SID = "session-0123456789abcdef0123"

# 0.22.3's PersistenceDataList item for BrowserContext("ctx-b") (STANDARD mode), as its
# `_apply_browser_context` makes it: the policy's white lists in this order.
STANDARD = [
    "/Local State",
    "/Default/Cookies",
    "/Default/Cookies-journal",
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
]


def official_policy(auto_upload: bool, paths: list[str]) -> str:
    """The Policy string 0.22.3 sends for a browser context (checked against its code's output)."""
    policy = {
        "uploadPolicy": {
            "autoUpload": auto_upload,
            "uploadStrategy": "UploadBeforeResourceRelease",
            "uploadMode": "File",
        },
        "downloadPolicy": {"autoDownload": True, "downloadStrategy": "DownloadAsync"},
        "deletePolicy": {"syncLocalFile": True},
        "extractPolicy": {"extract": True, "deleteSrcFile": True, "extractToCurrentFolder": False},
        "recyclePolicy": {"lifecycle": "Lifecycle_Forever", "paths": [""]},
        "bwList": {
            "whiteLists": [
                {"path": p, "excludePaths": [], "isPathRegex": False, "isExcludeRegex": False} for p in paths
            ]
        },
    }
    return json.dumps(policy)


def tasks(*items: tuple[str, str]) -> dict[str, Any]:
    """A GetContextInfo reply: a finished download of each (context id, path)."""
    data = [
        {
            "contextId": c,
            "path": p,
            "status": "Success",
            "taskType": "download",
            "startTime": 1,
            "finishTime": 2,
        }
        for c, p in items
    ]
    return envelope({"ContextStatus": json.dumps([{"type": "data", "data": json.dumps(data)}])})


def new_session(bay: Any, fake: FakeService) -> Any:
    return bay.create(CreateSessionParams(image_id="browser_latest")).unwrap()


# ---- initialize ----------------------------------------------------------------------------------


def test_initialize_sends_the_option_and_profile_path_once(bay: Any, fake: FakeService) -> None:
    browser = new_session(bay, fake).browser
    assert not browser.is_initialized() and browser.get_option() is None and browser.port is None
    fake.reply("InitBrowser", envelope({"Port": 9333}))
    assert browser.initialize() is True
    sent = fake.sent[-1]
    assert sent.action == "InitBrowser"
    assert sent.form["SessionId"] == SID and sent.form["PersistentPath"] == "/tmp/agentbay_browser"
    # 0.22.3's default option, json.dumps' separators and key order.
    assert sent.form["BrowserOption"] == (
        '{"useStealth": false, "solveCaptchas": false, "autoLogin": false, "callForUser": false,'
        ' "extensionPath": "/tmp/extensions/"}'
    )
    assert browser.is_initialized() and browser.port == 9333 and browser.get_option() == BrowserOption()
    # Initialized: later calls send nothing, whatever their option (as the official SDKs).
    assert browser.initialize(BrowserOption(use_stealth=True)) is True
    assert browser.init() is True
    assert fake.actions().count("InitBrowser") == 1
    assert browser.get_option() == BrowserOption()


def test_the_session_keeps_one_browser(bay: Any, fake: FakeService) -> None:
    session = new_session(bay, fake)
    session.browser.initialize()
    assert session.browser.is_initialized()
    assert "initialized" in repr(session.browser) and SID in repr(session.browser)


def test_a_reply_without_a_port_is_a_browser_error(bay: Any, fake: FakeService) -> None:
    browser = new_session(bay, fake).browser
    fake.reply("InitBrowser", envelope({}, RequestId="req-1"))
    with pytest.raises(BrowserError, match="did not start") as info:
        browser.initialize()
    assert info.value.session_id == SID and info.value.request_id == "req-1"
    assert not browser.is_initialized()
    fake.reply("InitBrowser", envelope(None))
    with pytest.raises(BrowserError):
        browser.initialize()
    # A later call tries again.
    assert browser.initialize() is True and browser.port == 9222


def test_no_browser_in_the_image_or_a_failed_start_is_a_browser_error(bay: Any, fake: FakeService) -> None:
    browser = new_session(bay, fake).browser
    # The local server's refusal of a linux_latest session.
    refusal = {"Code": "InvalidMcpSession.NotBrowser", "Message": "image linux_latest has no browser",
               "RequestId": "r2"}  # fmt: skip
    fake.reply("InitBrowser", refusal, status=400)
    with pytest.raises(BrowserError, match="has no browser") as info:
        browser.initialize()
    assert (info.value.code, info.value.request_id, info.value.session_id) == (refusal["Code"], "r2", SID)
    assert isinstance(info.value.__cause__, APIError) and info.value.__cause__.http_status == 400
    assert not browser.is_initialized()
    # A browser that failed to start: a server error, not repeated (it would fail again).
    fake.reply("InitBrowser", {"Code": "InternalError.Browser", "Message": "chromium exited"}, status=500)
    with pytest.raises(BrowserError, match=r"could not start its browser.*chromium exited") as info:
        browser.initialize()
    assert isinstance(info.value.__cause__, ServerError)
    assert fake.actions().count("InitBrowser") == 2


def test_other_refusals_keep_their_type(bay: Any, fake: FakeService) -> None:
    browser = new_session(bay, fake).browser
    bad = {"Code": "InvalidParameter.BrowserOption", "Message": "bad viewport"}
    fake.reply("InitBrowser", bad, status=400)
    with pytest.raises(InvalidParameterError, match="bad viewport"):
        browser.initialize()
    fake.reply("InitBrowser", {"Code": "InvalidMcpSession.NotFound", "Message": "gone"}, status=400)
    with pytest.raises(NotFoundError) as info:
        browser.initialize()
    assert info.value.__cause__ is None
    assert not browser.is_initialized()


def test_bad_options_are_refused_before_sending(bay: Any, fake: FakeService) -> None:
    browser = new_session(bay, fake).browser
    with pytest.raises(InvalidInputError):
        browser.initialize({"useStealth": True})  # type: ignore[arg-type]
    assert "InitBrowser" not in fake.actions()


# ---- get_endpoint_url and destroy ----------------------------------------------------------------


def test_get_endpoint_url_asks_get_cdp_link_every_time(bay: Any, fake: FakeService) -> None:
    browser = new_session(bay, fake).browser
    browser.initialize()
    fake.reply("GetCdpLink", envelope({"Url": "ws://127.0.0.1:8080/cdp/1"}))
    assert browser.get_endpoint_url() == "ws://127.0.0.1:8080/cdp/1"
    assert fake.sent[-1].form == {"Authorization": fake.sent[-1].form["Authorization"], "SessionId": SID}
    assert browser.get_endpoint_url() == f"ws://127.0.0.1:9222/devtools/browser/{SID}"
    assert fake.actions().count("GetCdpLink") == 2


def test_get_endpoint_url_errors(bay: Any, fake: FakeService) -> None:
    browser = new_session(bay, fake).browser
    with pytest.raises(BrowserError, match="not initialized"):
        browser.get_endpoint_url()
    assert "GetCdpLink" not in fake.actions()
    browser.initialize()
    fake.reply("GetCdpLink", envelope({}))
    with pytest.raises(ServerError, match=r"no Data\.Url"):
        browser.get_endpoint_url()
    fake.reply("GetCdpLink", {"Success": False, "Code": "BrowserNotRunning", "Message": "stopped"})
    with pytest.raises(APIError, match="stopped"):
        browser.get_endpoint_url()


def test_destroy_stops_the_browser_and_initialize_starts_it_again(bay: Any, fake: FakeService) -> None:
    browser = new_session(bay, fake).browser
    with pytest.raises(BrowserError, match="not initialized"):
        browser.destroy()
    assert "CallMcpTool" not in fake.actions()
    browser.initialize(BrowserOption(user_agent="UA/1"))
    assert browser.destroy() is None
    assert fake.tools()[-1] == ("stopChrome", {})
    assert not browser.is_initialized() and browser.get_option() is None and browser.port is None
    with pytest.raises(BrowserError):
        browser.get_endpoint_url()
    browser.initialize()
    assert fake.actions().count("InitBrowser") == 2


def test_a_failed_stop_keeps_the_browser_initialized(bay: Any, fake: FakeService) -> None:
    browser = new_session(bay, fake).browser
    browser.initialize()
    fake.tool("stopChrome", "could not stop", is_error=True)
    with pytest.raises(Exception, match="could not stop"):
        browser.destroy()
    assert browser.is_initialized()


def test_a_deleted_session_refuses_without_sending(bay: Any, fake: FakeService) -> None:
    session = new_session(bay, fake)
    browser = session.browser
    browser.initialize()
    session.delete()
    before = len(fake.sent)
    for call in (browser.initialize, browser.get_endpoint_url, browser.destroy):
        with pytest.raises(SessionClosedError):
            call()
    assert len(fake.sent) == before


# ---- options -------------------------------------------------------------------------------------


def test_every_option_in_0_22_3_order() -> None:
    option = BrowserOption(
        use_stealth=True,
        user_agent="UA/1",
        viewport=BrowserViewport(1280, 720),
        screen=BrowserScreen(),
        fingerprint=BrowserFingerprint(["desktop"], ["linux"], ["en-US"]),
        solve_captchas=True,
        auto_login=True,
        call_for_user=True,
        proxies=[BrowserProxy("custom", "127.0.0.1:9090", "user", "pass")],
        extension_path="/tmp/ext/",
        cmd_args=["--disable-gpu"],
        default_navigate_url="http://127.0.0.1:8000/",
        browser_type="chromium",
    )
    assert list(option.to_map()) == [
        "useStealth", "userAgent", "viewport", "screen", "fingerprint", "solveCaptchas", "autoLogin",
        "callForUser", "proxies", "extensionPath", "cmdArgs", "defaultNavigateUrl", "browserType",
    ]  # fmt: skip
    assert option.to_map()["screen"] == {"width": 1920, "height": 1080}
    assert option.to_map()["fingerprint"] == {
        "devices": ["desktop"],
        "operatingSystems": ["linux"],
        "locales": ["en-US"],
    }
    assert BrowserOption(extension_path=None).to_map() == {
        "useStealth": False, "solveCaptchas": False, "autoLogin": False, "callForUser": False,
    }  # fmt: skip
    assert "pass" not in repr(option.proxies)


def test_proxies_as_the_official_sdk_maps_them() -> None:
    assert BrowserProxy("custom", "h:1").to_map() == {"type": "custom", "server": "h:1"}
    assert BrowserProxy("wuying", strategy="restricted").to_map() == {
        "type": "wuying",
        "strategy": "restricted",
    }
    assert BrowserProxy("wuying", strategy="polling", pollsize=3).to_map() == {
        "type": "wuying",
        "strategy": "polling",
        "pollsize": 3,
    }
    managed = BrowserProxy("managed", strategy="matched", user_id="u1", country="CN")
    assert managed.to_map() == {"type": "managed", "strategy": "matched", "userId": "u1", "country": "CN"}


@pytest.mark.parametrize(
    "make",
    [
        lambda: BrowserProxy("socks", "h:1"),  # type: ignore[arg-type]
        lambda: BrowserProxy("custom"),
        lambda: BrowserProxy("wuying"),
        lambda: BrowserProxy("wuying", strategy="sticky"),
        lambda: BrowserProxy("wuying", strategy="polling", pollsize=0),
        lambda: BrowserProxy("managed", strategy="polling"),
        lambda: BrowserProxy("managed", strategy="matched", user_id="u"),
        lambda: BrowserOption(proxies=[BrowserProxy("custom", "a:1"), BrowserProxy("custom", "b:1")]),
        lambda: BrowserOption(proxies=BrowserProxy("custom", "a:1")),  # type: ignore[arg-type]
        lambda: BrowserOption(extension_path=" "),
        lambda: BrowserOption(use_stealth="yes"),  # type: ignore[arg-type]
        lambda: BrowserOption(browser_type="firefox"),  # type: ignore[arg-type]
        lambda: BrowserOption(cmd_args="--x"),  # type: ignore[arg-type]
        lambda: BrowserOption(viewport=(1, 2)),  # type: ignore[arg-type]
        lambda: BrowserViewport(0, 10),
        lambda: BrowserScreen(10, True),
        lambda: BrowserFingerprint(devices=["tablet"]),
        lambda: BrowserFingerprint(operating_systems="linux"),  # type: ignore[arg-type]
        lambda: BrowserContext(""),
        lambda: BrowserContext("c", sync_mode="all"),
        lambda: CreateSessionParams(browser_context="ctx"),  # type: ignore[arg-type]
    ],
)
def test_bad_options_raise_invalid_input_also_a_value_error(make: Any) -> None:
    with pytest.raises(InvalidInputError):
        make()
    with pytest.raises(ValueError):  # as the official SDK's checks raise
        make()


# ---- browser context -----------------------------------------------------------------------------


def test_browser_context_is_0_22_3_mount_byte_for_byte(bay: Any, fake: FakeService) -> None:
    fake.reply("GetContextInfo", tasks(("ctx-b", BROWSER_DATA_PATH)))
    result = bay.create(
        CreateSessionParams(image_id="browser_latest", browser_context=BrowserContext("ctx-b"))
    )
    assert result.success, result.error
    items = json.loads(fake.sent[0].form["PersistenceDataList"])
    assert items == [
        {"ContextId": "ctx-b", "Path": "/tmp/agentbay_browser", "Policy": official_policy(True, STANDARD)}
    ]
    # create waited for its download, as for context_syncs.
    assert fake.actions() == ["CreateMcpSession", "GetContextInfo"]


def test_browser_context_comes_after_context_syncs_minimal_and_no_upload(bay: Any, fake: FakeService) -> None:
    fake.reply("GetContextInfo", tasks(("ctx-a", "/home/wuying/data"), ("ctx-b", BROWSER_DATA_PATH)))
    params = CreateSessionParams(
        context_syncs=[ContextSync.new("ctx-a", "/home/wuying/data", SyncPolicy())],
        browser_context=BrowserContext("ctx-b", auto_upload=False, sync_mode=BrowserSyncMode.MINIMAL),
    )
    assert bay.create(params).success
    items = json.loads(fake.sent[0].form["PersistenceDataList"])
    assert [i["ContextId"] for i in items] == ["ctx-a", "ctx-b"]
    assert items[1]["Policy"] == official_policy(False, STANDARD[:3])
    assert BrowserContext("c", sync_mode="minimal").sync_mode is BrowserSyncMode.MINIMAL


def test_a_browser_context_that_fails_to_download_fails_create(bay: Any, fake: FakeService) -> None:
    failed = {"contextId": "ctx-b", "path": BROWSER_DATA_PATH, "status": "Failed", "taskType": "download",
              "errorMessage": "no such context"}  # fmt: skip
    fake.reply(
        "GetContextInfo",
        envelope({"ContextStatus": json.dumps([{"type": "data", "data": json.dumps([failed])}])}),
    )
    result = bay.create(CreateSessionParams(browser_context=BrowserContext("ctx-b")))
    assert not result.success and "no such context" in result.error_message
    assert result.session is not None


# ---- get_link's Option ---------------------------------------------------------------------------


def test_get_link_sends_options_verbatim(bay: Any, fake: FakeService) -> None:
    session = new_session(bay, fake)
    session.get_link(options='{"a":  1}')
    assert fake.sent[-1].form["Option"] == '{"a":  1}'
    session.get_link()
    assert "Option" not in fake.sent[-1].form
    with pytest.raises(InvalidInputError):
        session.get_link(options="")
