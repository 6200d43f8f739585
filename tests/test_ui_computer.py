"""Unit tests of session.ui and session.computer against the fake service (both flavours)."""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentbay import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    Bounds,
    CreateSessionParams,
    InvalidInputError,
    Key,
    KeyCode,
    MouseButton,
    NotFoundError,
    ScrollDirection,
    ServerError,
    SessionClosedError,
    ToolError,
)

from ._fake import API_KEY, FakeService

SHOT_URL = "https://shots.test/s/abc123.png?sig=secret-token"


def png(width: int, height: int) -> bytes:
    """A valid PNG of one colour (what the fake serves at the screenshot URL)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x10\x20\x30" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def serve(fake: FakeService, reply: Callable[[httpx.Request], httpx.Response]) -> None:
    """Answer the screenshot URL's GET with `reply` (API actions go on to the fake as before)."""
    original = fake.handler

    def handler(request: httpx.Request) -> httpx.Response:
        if "Action" in request.url.params:
            return original(request)
        fake.url_requests.append(request)
        return reply(request)

    fake.handler = handler  # type: ignore[method-assign]


@pytest.fixture
def session(make_bay: Callable[..., Any], fake: FakeService) -> Any:
    serve(fake, lambda request: httpx.Response(200, content=png(1024, 768)))
    return make_bay().create(CreateSessionParams(image_id="linux_latest")).unwrap()


@pytest.fixture(params=["ui", "computer"])
def manager(request: pytest.FixtureRequest, session: Any) -> Any:
    """Each of the two managers that share input_text and the screenshots."""
    return getattr(session, str(request.param))


# ---- computer ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "args", "tool", "sent"),
    [
        ("click_mouse", (10, 20), "click_mouse", {"x": 10, "y": 20, "button": "left"}),
        ("click_mouse", (1, 2, MouseButton.DOUBLE_LEFT), "click_mouse", {"x": 1, "y": 2, "button": "double_left"}),
        ("click_mouse", (0, 0, "right"), "click_mouse", {"x": 0, "y": 0, "button": "right"}),
        ("move_mouse", (5, 6), "move_mouse", {"x": 5, "y": 6}),
        ("drag_mouse", (1, 2, 3, 4), "drag_mouse", {"from_x": 1, "from_y": 2, "to_x": 3, "to_y": 4, "button": "left"}),
        ("drag_mouse", (1, 2, 3, 4, MouseButton.MIDDLE), "drag_mouse",
         {"from_x": 1, "from_y": 2, "to_x": 3, "to_y": 4, "button": "middle"}),
        ("scroll", (10, 10), "scroll", {"x": 10, "y": 10, "direction": "up", "amount": 1}),
        ("scroll", (10, 10, ScrollDirection.DOWN, 3), "scroll", {"x": 10, "y": 10, "direction": "down", "amount": 3}),
        ("press_keys", (["Ctrl", "a"],), "press_keys", {"keys": ["Ctrl", "a"], "hold": False}),
        ("press_keys", ([Key.SHIFT], True), "press_keys", {"keys": ["Shift"], "hold": True}),
        ("press_keys", (["control", "ESC", "A", "return"],), "press_keys",
         {"keys": ["Ctrl", "Escape", "a", "Enter"], "hold": False}),
        ("release_keys", (["ctrl", Key.SHIFT],), "release_keys", {"keys": ["Ctrl", "Shift"]}),
        ("input_text", ("héllo wörld",), "input_text", {"text": "héllo wörld"}),
    ],
)  # fmt: skip
def test_computer_actions_send_the_official_args(
    session: Any, fake: FakeService, call: str, args: tuple[Any, ...], tool: str, sent: dict[str, Any]
) -> None:
    result = getattr(session.computer, call)(*args)
    assert result.success and result.data is True and result.error is None
    assert result.request_id  # the reply's
    assert fake.tools()[-1] == (tool, sent)
    # The exact Args text the official SDK sends (json.dumps, default separators).
    assert fake.sent[-1].form["Args"] == json.dumps(sent, ensure_ascii=False)


def test_screen_size_and_cursor_position_are_typed(session: Any, fake: FakeService) -> None:
    fake.tool("get_screen_size", '{"width": 1024, "height": 768, "dpiScalingFactor": 1.5}')
    size = session.computer.get_screen_size()
    assert (size.success, size.width, size.height, size.dpi_scaling_factor) == (True, 1024, 768, 1.5)
    fake.tool("get_cursor_position", '{"x": 512, "y": 384}')
    cursor = session.computer.get_cursor_position()
    assert (cursor.success, cursor.x, cursor.y) == (True, 512, 384)
    assert fake.tools()[-2:] == [("get_screen_size", {}), ("get_cursor_position", {})]


@pytest.mark.parametrize("text", ["ok", '{"width": "1024", "height": 768}', "[]", ""])
def test_an_unreadable_screen_size_is_a_typed_failure(session: Any, fake: FakeService, text: str) -> None:
    fake.tool("get_screen_size", text)
    result = session.computer.get_screen_size()
    assert not result.success and isinstance(result.error, ServerError)
    assert "get_screen_size replied" in result.error_message


def test_tool_failures_are_results(session: Any, fake: FakeService) -> None:
    fake.tool("click_mouse", "this session has no desktop: create it with image linux_latest", is_error=True)
    result = session.computer.click_mouse(1, 2)
    assert not result.success and isinstance(result.error, ToolError)
    assert "no desktop" in result.error_message and result.error.tool == "click_mouse"
    with pytest.raises(ToolError):
        result.raise_for_error()
    fake.reply("CallMcpTool", {"Code": "InvalidMcpSession.NotFound", "Message": "gone"}, status=400)
    assert isinstance(session.computer.get_cursor_position().error, NotFoundError)
    fake.fail("CallMcpTool", httpx.ReadTimeout("slow"))  # a tool call is not repeated once sent
    assert isinstance(session.ui.send_key(KeyCode.HOME).error, APITimeoutError)


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("click_mouse", (1, 2, "double")),
        ("click_mouse", (1, 2, "LEFT")),
        ("click_mouse", (-1, 2)),
        ("click_mouse", (1.5, 2)),
        ("click_mouse", (True, 2)),
        ("move_mouse", ("1", 2)),
        ("drag_mouse", (1, 2, 3, 4, MouseButton.DOUBLE_LEFT)),
        ("drag_mouse", (1, 2, -3, 4)),
        ("scroll", (1, 2, "sideways")),
        ("scroll", (1, 2, ScrollDirection.UP, 0)),
        ("scroll", (1, 2, "up", -2)),
        ("press_keys", ([],)),
        ("press_keys", ("ctrl",)),  # a bare str would be one key per character
        ("press_keys", (["Ctrl", ""],)),
        ("press_keys", (["Ctrl", 3],)),
        ("press_keys", (["a"], "yes")),
        ("release_keys", ([],)),
        ("release_keys", (None,)),
        ("input_text", ("",)),
        ("input_text", (None,)),
    ],
)
def test_bad_computer_input_is_refused_before_sending(
    session: Any, fake: FakeService, call: str, args: tuple[Any, ...]
) -> None:
    sent = len(fake.sent)
    with pytest.raises(InvalidInputError):
        getattr(session.computer, call)(*args)
    assert len(fake.sent) == sent


# ---- ui ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "args", "tool", "sent"),
    [
        ("send_key", (KeyCode.BACK,), "send_key", {"key": 4}),
        ("send_key", (66,), "send_key", {"key": 66}),
        ("input_text", ("abc",), "input_text", {"text": "abc"}),
        ("swipe", (1, 2, 3, 4), "swipe", {"start_x": 1, "start_y": 2, "end_x": 3, "end_y": 4, "duration_ms": 300}),
        ("swipe", (1, 2, 3, 4, 0), "swipe", {"start_x": 1, "start_y": 2, "end_x": 3, "end_y": 4, "duration_ms": 0}),
        ("click", (10, 20), "click", {"x": 10, "y": 20, "button": "left"}),
        ("click", (10, 20, MouseButton.RIGHT), "click", {"x": 10, "y": 20, "button": "right"}),
        ("click", (10, 20, "middle"), "click", {"x": 10, "y": 20, "button": "middle"}),
    ],
)  # fmt: skip
def test_ui_actions_send_the_official_args(
    session: Any, fake: FakeService, call: str, args: tuple[Any, ...], tool: str, sent: dict[str, Any]
) -> None:
    result = getattr(session.ui, call)(*args)
    assert result.success and result.data is True
    assert fake.tools()[-1] == (tool, sent)
    assert fake.sent[-1].form["Args"] == json.dumps(sent, ensure_ascii=False)


def test_send_key_sends_the_code_as_a_plain_int(session: Any, fake: FakeService) -> None:
    session.ui.send_key(KeyCode.MENU)
    assert fake.sent[-1].form["Args"] == '{"key": 82}'  # not "KeyCode.MENU"


ELEMENT_TREE = [
    {"bounds": "[0,0][1080,2400]", "className": "android.widget.FrameLayout", "text": "", "type": "FrameLayout",
     "resourceId": "", "index": 0, "isParent": True,
     "children": [{"bounds": "[42,180][1038,300]", "className": "android.widget.TextView", "text": "Settings",
                   "type": "TextView", "resourceId": "android:id/title", "index": 0, "isParent": False,
                   "children": []}]},
]  # fmt: skip


def test_get_all_ui_elements_is_a_typed_tree(session: Any, fake: FakeService) -> None:
    fake.tool("get_all_ui_elements", json.dumps(ELEMENT_TREE))
    result = session.ui.get_all_ui_elements()
    assert result.success and fake.tools()[-1] == ("get_all_ui_elements", {"timeout_ms": 2000})
    (root,) = result.elements
    assert (root.class_name, root.type, root.index, root.is_parent) == (
        "android.widget.FrameLayout",
        "FrameLayout",
        0,
        True,
    )
    assert root.bounds == "[0,0][1080,2400]" and root.bounds_rect == Bounds(
        left=0, top=0, right=1080, bottom=2400
    )
    (child,) = root.children
    assert (child.text, child.resource_id, child.is_parent, child.children) == (
        "Settings",
        "android:id/title",
        False,
        [],
    )
    assert child.bounds_rect is not None and child.bounds_rect.center == (540, 240)
    assert (child.bounds_rect.width, child.bounds_rect.height) == (996, 120)


def test_clickable_elements_fill_missing_fields_with_the_official_defaults(
    session: Any, fake: FakeService
) -> None:
    fake.tool(
        "get_clickable_ui_elements",
        '[{"bounds": "48,90,1032,630", "className": "XTerm", "text": "xterm"}, {}]',
    )
    result = session.ui.get_clickable_ui_elements(timeout_ms=500)
    assert fake.tools()[-1] == ("get_clickable_ui_elements", {"timeout_ms": 500})
    first, empty = result.elements
    assert first.bounds_rect == Bounds(left=48, top=90, right=1032, bottom=630)
    assert (first.class_name, first.text, first.index, first.is_parent, first.children) == (
        "XTerm",
        "xterm",
        -1,
        False,
        [],
    )
    assert (empty.bounds, empty.bounds_rect, empty.class_name) == ("", None, "")
    fake.tool("get_clickable_ui_elements", "")
    assert session.ui.get_clickable_ui_elements().elements == []


@pytest.mark.parametrize("text", ["not json", '{"a": 1}', "[1, 2]"])
def test_unreadable_elements_are_a_typed_failure(session: Any, fake: FakeService, text: str) -> None:
    fake.tool("get_all_ui_elements", text)
    result = session.ui.get_all_ui_elements()
    assert not result.success and isinstance(result.error, ServerError) and result.elements == []


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("send_key", ("BACK",)),
        ("send_key", (-1,)),
        ("send_key", (True,)),
        ("click", (1, 2, MouseButton.DOUBLE_LEFT)),
        ("click", (1, 2, "primary")),
        ("click", (-5, 2)),
        ("swipe", (1, 2, 3, 4, -1)),
        ("swipe", (1, 2, 3, None)),
        ("get_all_ui_elements", (0,)),
        ("get_clickable_ui_elements", ("2000",)),
        ("input_text", ("",)),
    ],
)
def test_bad_ui_input_is_refused_before_sending(
    session: Any, fake: FakeService, call: str, args: tuple[Any, ...]
) -> None:
    sent = len(fake.sent)
    with pytest.raises(InvalidInputError):
        getattr(session.ui, call)(*args)
    assert len(fake.sent) == sent


# ---- screenshots ---------------------------------------------------------------------------------


def test_screenshot_is_the_url_as_the_service_returns_it(manager: Any, fake: FakeService) -> None:
    fake.tool("system_screenshot", SHOT_URL)
    result = manager.screenshot()
    assert result.success and result.url == result.data == SHOT_URL
    assert fake.tools()[-1] == ("system_screenshot", {})
    assert fake.url_requests == []  # nothing downloaded


def test_a_reply_that_is_no_url_is_a_typed_failure(manager: Any, fake: FakeService) -> None:
    fake.tool("system_screenshot", "ok")
    result = manager.screenshot()
    assert not result.success and isinstance(result.error, ServerError) and result.url == ""


def test_screenshot_bytes_downloads_the_png_without_the_api_key(manager: Any, fake: FakeService) -> None:
    fake.tool("system_screenshot", SHOT_URL)
    result = manager.screenshot_bytes()
    assert result.success, result.error
    assert result.content == png(1024, 768) and (result.width, result.height) == (1024, 768)
    assert result.path is None and result.request_id  # that of the system_screenshot call
    (get,) = fake.url_requests
    assert get.method == "GET" and str(get.url) == SHOT_URL
    assert API_KEY not in str(get.url) and all(API_KEY not in v for v in get.headers.values())
    assert "authorization" not in get.headers
    assert get.extensions["timeout"]["read"] == 5.0  # the timeout of the httpx client passed in
    assert "bytes>" in repr(result) and "\\x89PNG" not in repr(result)  # no image dump in reprs


def test_save_screenshot_writes_the_png(manager: Any, fake: FakeService, tmp_path: Path) -> None:
    fake.tool("system_screenshot", SHOT_URL)
    target = tmp_path / "screen.png"
    result = manager.save_screenshot(str(target))
    assert result.success and result.path == target
    assert target.read_bytes() == png(1024, 768) and (result.width, result.height) == (1024, 768)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["screen.png"]


@pytest.mark.parametrize(
    ("reply", "error", "says"),
    [
        (lambda r: httpx.Response(403, content=b"<Error><Code>AccessDenied</Code></Error>"), APIError, "HTTP 403"),
        (lambda r: httpx.Response(404), NotFoundError, "session was deleted"),
        (lambda r: httpx.Response(502, content=b"<html>bad gateway</html>"), ServerError, "HTTP 502"),
        (lambda r: httpx.Response(200, content=b"<html>login page</html>"), ServerError, "not a PNG"),
        (lambda r: httpx.Response(200, content=b""), ServerError, "not a PNG"),
    ],
)  # fmt: skip
def test_a_failed_download_is_a_typed_failure_and_writes_nothing(
    make_bay: Callable[..., Any],
    fake: FakeService,
    tmp_path: Path,
    reply: Any,
    error: type[Exception],
    says: str,
) -> None:
    serve(fake, reply)
    session = make_bay().create().unwrap()
    for manager in (session.ui, session.computer):
        fake.tool("system_screenshot", SHOT_URL)
        result = manager.save_screenshot(tmp_path / "s.png")
        assert not result.success and isinstance(result.error, error), result.error
        assert says in result.error_message and "secret-token" not in result.error_message
        assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("exc", "error"),
    [
        (httpx.ConnectError(f"cannot reach {SHOT_URL}"), APIConnectionError),
        (httpx.ReadTimeout("slow"), APITimeoutError),
    ],
)
def test_a_download_that_breaks_is_a_transport_error_without_the_url(
    make_bay: Callable[..., Any], fake: FakeService, exc: Exception, error: type[Exception]
) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise exc

    serve(fake, broken)
    session = make_bay().create().unwrap()
    fake.tool("system_screenshot", SHOT_URL)
    result = session.computer.screenshot_bytes()
    assert isinstance(result.error, error) and "secret-token" not in result.error_message


def test_a_failed_screenshot_call_downloads_nothing(manager: Any, fake: FakeService) -> None:
    fake.tool("system_screenshot", "this session has no desktop", is_error=True)
    result = manager.screenshot_bytes()
    assert isinstance(result.error, ToolError) and fake.url_requests == []


@pytest.mark.parametrize("path", ["", None, "/no/such/folder/s.png"])
def test_save_screenshot_refuses_a_bad_path_before_sending(
    manager: Any, fake: FakeService, path: Any
) -> None:
    sent = len(fake.sent)
    with pytest.raises(InvalidInputError):
        manager.save_screenshot(path)
    assert len(fake.sent) == sent


def test_save_screenshot_refuses_a_folder(manager: Any, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError):
        manager.save_screenshot(tmp_path)


# ---- the managers --------------------------------------------------------------------------------


def test_managers_are_made_once_and_refuse_after_delete(session: Any, fake: FakeService) -> None:
    ui, computer = session.ui, session.computer
    assert session.ui is ui or session.ui.wrapped is ui.wrapped
    assert "session_id=" in repr(ui) and "session_id=" in repr(computer)
    session.delete()
    sent = len(fake.sent)
    with pytest.raises(SessionClosedError):
        computer.move_mouse(1, 1)
    with pytest.raises(SessionClosedError):
        ui.screenshot_bytes()
    assert len(fake.sent) == sent


def test_the_download_takes_the_timeout_of_the_session_client(
    make_bay: Callable[..., Any], fake: FakeService
) -> None:
    serve(fake, lambda request: httpx.Response(200, content=png(2, 3)))
    session = make_bay().with_options(timeout=7).create().unwrap()
    fake.tool("system_screenshot", SHOT_URL)
    result = session.ui.screenshot_bytes()
    assert (result.width, result.height) == (2, 3)
    assert fake.url_requests[-1].extensions["timeout"]["read"] == 7
