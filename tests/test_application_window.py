"""Unit tests of session.application and session.window against the fake service (both flavours)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agentbay import (
    AppOperationResult,
    BoolResult,
    CreateSessionParams,
    InstalledApp,
    InvalidInputError,
    NotFoundError,
    Process,
    ServerError,
    SessionClosedError,
    ToolError,
    Window,
)

from ._fake import FakeService, envelope

TERMINAL = {
    "window_id": 46137350,
    "title": "Terminal",
    "absolute_upper_left_x": 10,
    "absolute_upper_left_y": 20,
    "width": 800,
    "height": 600,
    "pid": 1234,
    "pname": "xterm",
    "child_windows": [{"window_id": 7, "title": "child", "child_windows": []}],
    "state": "maximized",
}


def new_session(bay: Any) -> Any:
    return bay.create(CreateSessionParams(image_id="linux_latest")).unwrap()


# ---- application ---------------------------------------------------------------------------------


def test_get_installed_apps(bay: Any, fake: FakeService) -> None:
    apps = [
        {"name": "XTerm", "start_cmd": "xterm", "stop_cmd": "pkill xterm", "work_directory": "/home/wuying"},
        {"name": "Chrome", "start_cmd": "/usr/bin/google-chrome-stable %U"},  # optional keys missing
    ]
    fake.tool("get_installed_apps", json.dumps(apps))
    result = new_session(bay).application.get_installed_apps()
    assert result.success and result.request_id
    assert result.data == [
        InstalledApp(name="XTerm", start_cmd="xterm", stop_cmd="pkill xterm", work_directory="/home/wuying"),
        InstalledApp(name="Chrome", start_cmd="/usr/bin/google-chrome-stable %U"),
    ]
    assert fake.tools()[-1] == (
        "get_installed_apps",
        {"start_menu": True, "desktop": False, "ignore_system_apps": True},
    )
    fake.tool("get_installed_apps", "[]")
    new_session(bay).application.get_installed_apps(False, True, False)
    assert fake.tools()[-1][1] == {"start_menu": False, "desktop": True, "ignore_system_apps": False}


def test_start_app_returns_the_processes_and_sends_only_given_keys(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.tool("start_app", json.dumps([{"pname": "xterm", "pid": 42, "cmdline": "xterm -T t"}]))
    result = session.application.start_app("xterm -T t")
    assert result.success and result.data == [Process(pname="xterm", pid=42, cmdline="xterm -T t")]
    assert fake.tools()[-1] == ("start_app", {"start_cmd": "xterm -T t"})
    fake.tool("start_app", "[]")
    session.application.start_app("gedit", work_directory="/tmp", activity=".Main")
    assert fake.tools()[-1][1] == {"start_cmd": "gedit", "work_directory": "/tmp", "activity": ".Main"}


@pytest.mark.parametrize(
    ("method", "arg", "tool", "key"),
    [
        ("stop_app_by_pname", "xterm", "stop_app_by_pname", "pname"),
        ("stop_app_by_pid", 42, "stop_app_by_pid", "pid"),
        ("stop_app_by_cmd", "pkill xterm", "stop_app_by_cmd", "stop_cmd"),
    ],
)
def test_stop_app(bay: Any, fake: FakeService, method: str, arg: Any, tool: str, key: str) -> None:
    fake.tool(tool, "ok")
    result = getattr(new_session(bay).application, method)(arg)
    assert result == AppOperationResult(request_id=result.request_id, message="ok") and result.success
    assert fake.tools()[-1] == (tool, {key: arg})
    fake.tool(tool, "no such process", is_error=True)
    failed = getattr(new_session(bay).application, method)(arg)
    assert not failed.success and isinstance(failed.error, ToolError)
    assert "no such process" in failed.error_message


def test_list_visible_apps(bay: Any, fake: FakeService) -> None:
    fake.tool("list_visible_apps", json.dumps([{"pname": "xterm", "pid": 42}]))
    result = new_session(bay).application.list_visible_apps()
    assert result.data == [Process(pname="xterm", pid=42, cmdline=None)]
    assert fake.tools()[-1] == ("list_visible_apps", {})


@pytest.mark.parametrize("text", ["not json", '{"pname": "x"}', "[1, 2]"])
def test_a_malformed_app_reply_is_a_failed_result(bay: Any, fake: FakeService, text: str) -> None:
    fake.tool("list_visible_apps", text)
    result = new_session(bay).application.list_visible_apps()
    assert not result.success and isinstance(result.error, ServerError)
    assert "malformed reply: list_visible_apps" in result.error_message and result.data == []


@pytest.mark.parametrize(
    ("call", "why"),
    [
        (lambda a: a.get_installed_apps(start_menu=1), "start_menu"),
        (lambda a: a.get_installed_apps(ignore_system_apps="yes"), "ignore_system_apps"),
        (lambda a: a.start_app(""), "start_cmd"),
        (lambda a: a.start_app("x", work_directory=None), "work_directory"),
        (lambda a: a.stop_app_by_pid("42"), "pid"),
        (lambda a: a.stop_app_by_pid(0), "pid"),
        (lambda a: a.stop_app_by_pid(True), "pid"),
        (lambda a: a.stop_app_by_pname(" "), "pname"),
        (lambda a: a.stop_app_by_cmd(""), "stop_cmd"),
    ],
)
def test_bad_app_arguments_are_refused_before_sending(
    bay: Any, fake: FakeService, call: Any, why: str
) -> None:
    application = new_session(bay).application
    sent = len(fake.sent)
    with pytest.raises(InvalidInputError, match=why):
        call(application)
    assert len(fake.sent) == sent


# ---- window --------------------------------------------------------------------------------------


def test_list_root_windows(bay: Any, fake: FakeService) -> None:
    fake.tool("list_root_windows", json.dumps([TERMINAL]))
    result = new_session(bay).window.list_root_windows()
    assert result.success
    (window,) = result.windows
    assert window == Window(
        window_id=46137350,
        title="Terminal",
        absolute_upper_left_x=10,
        absolute_upper_left_y=20,
        width=800,
        height=600,
        pid=1234,
        pname="xterm",
        child_windows=[Window(window_id=7, title="child")],
        state="maximized",
    )
    assert fake.tools()[-1] == ("list_root_windows", {"timeout_ms": 3000})


def test_window_title_is_read_from_either_key(bay: Any, fake: FakeService) -> None:
    """0.8/0.9 read `title`, 0.22.3 reads `window_title`: a reply with either parses."""
    fake.tool("list_root_windows", json.dumps([{"window_id": 1, "window_title": "new"}, {"window_id": 2}]))
    windows = new_session(bay).window.list_root_windows(timeout_ms=500).windows
    assert [(w.title, w.width, w.pid, w.pname) for w in windows] == [
        ("new", None, None, None),
        ("", None, None, None),
    ]
    assert fake.tools()[-1][1] == {"timeout_ms": 500}


def test_get_active_window(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.tool("get_active_window", json.dumps(TERMINAL))
    result = session.window.get_active_window()
    assert result.success and result.window is not None and result.window.window_id == 46137350
    assert fake.tools()[-1] == ("get_active_window", {"timeout_ms": 3000})
    fake.tool("get_active_window", "no active window", is_error=True)
    none = session.window.get_active_window()
    assert not none.success and none.window is None and isinstance(none.error, ToolError)


@pytest.mark.parametrize(
    "text",
    ["", "[]", '{"title": "no id"}', '[{"window_id": "1"}]', '[{"window_id": 1, "child_windows": [3]}]'],
)
def test_a_malformed_window_reply_is_a_failed_result(bay: Any, fake: FakeService, text: str) -> None:
    session = new_session(bay)
    fake.tool("list_root_windows", text)
    fake.tool("get_active_window", text)
    listed = session.window.list_root_windows()
    active = session.window.get_active_window()
    assert isinstance(active.error, ServerError) and "malformed reply" in active.error_message
    if text != "[]":
        assert isinstance(listed.error, ServerError) and "malformed reply" in listed.error_message
    else:
        assert listed.success and listed.windows == []


@pytest.mark.parametrize(
    "method",
    [
        "activate_window",
        "maximize_window",
        "minimize_window",
        "restore_window",
        "close_window",
        "fullscreen_window",
    ],
)
def test_window_actions(bay: Any, fake: FakeService, method: str) -> None:
    session = new_session(bay)
    fake.tool(method, "ok")
    result = getattr(session.window, method)(46137350)
    assert result == BoolResult(request_id=result.request_id, data=True, message="ok")
    assert fake.tools()[-1] == (method, {"window_id": 46137350})
    fake.tool(method, "window 5 not found", is_error=True)
    failed = getattr(session.window, method)(5)
    assert not failed.success and failed.data is False and isinstance(failed.error, ToolError)


def test_resize_window_and_focus_mode(bay: Any, fake: FakeService) -> None:
    window = new_session(bay).window
    fake.tool("resize_window", "ok")
    assert window.resize_window(3, 640, 480).data is True
    assert fake.tools()[-1] == ("resize_window", {"window_id": 3, "width": 640, "height": 480})
    fake.tool("focus_mode", "ok")
    assert window.focus_mode(True).data is True
    assert fake.tools()[-1] == ("focus_mode", {"on": True})


@pytest.mark.parametrize(
    ("call", "why"),
    [
        (lambda w: w.activate_window("46137350"), "window_id"),
        (lambda w: w.close_window(-1), "window_id"),
        (lambda w: w.maximize_window(1.0), "window_id"),
        (lambda w: w.resize_window(1, 0, 100), "width"),
        (lambda w: w.resize_window(1, 100, -5), "height"),
        (lambda w: w.focus_mode("on"), "on"),
        (lambda w: w.list_root_windows(timeout_ms=0), "timeout_ms"),
        (lambda w: w.get_active_window(timeout_ms=True), "timeout_ms"),
    ],
)
def test_bad_window_arguments_are_refused_before_sending(
    bay: Any, fake: FakeService, call: Any, why: str
) -> None:
    window = new_session(bay).window
    sent = len(fake.sent)
    with pytest.raises(InvalidInputError, match=why):
        call(window)
    assert len(fake.sent) == sent


# ---- both ----------------------------------------------------------------------------------------


def test_call_failures_are_failed_results_and_a_deleted_session_raises(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply(
        "CallMcpTool",
        {"Code": "InvalidMcpSession.NotFound", "Message": "gone", "RequestId": "r-1"},
        status=400,
    )
    result = session.window.list_root_windows()
    assert not result.success and isinstance(result.error, NotFoundError) and result.windows == []
    fake.reply("CallMcpTool", envelope(None, Success=False, Code="InvalidMcpSession.NotFound"))
    assert isinstance(session.application.list_visible_apps().error, NotFoundError)
    session.delete()
    with pytest.raises(SessionClosedError):
        session.window.list_root_windows()
    with pytest.raises(SessionClosedError):
        session.application.start_app("xterm")
