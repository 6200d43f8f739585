"""get_file_change on the local server: real inotify events of a session's directory since the previous
poll (create, one modify per completed write, delete), recursive (new directories included), a cursor
per session and path, bounded memory under a burst, paths outside the session refused, and watchers
closed when their session is released (no inotify fd left)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

import agentbay_local.watch as watch
from agentbay_local import LocalServer
from agentbay_local.watch import _inotify, _watcher

from ._wire import Wire

W = "/home/wuying/w"


def tool(wire: Wire, session_id: str, name: str, **args: Any) -> tuple[str, bool]:
    data = wire.ok("CallMcpTool", SessionId=session_id, Name=name, Args=json.dumps(args))["Data"]
    return data["content"][0]["text"], data["isError"]


def run(wire: Wire, session_id: str, command: str) -> None:
    text, is_error = tool(wire, session_id, "shell", command=command, timeout_ms=20_000)
    assert not is_error, text


def poll(wire: Wire, session_id: str, path: str = W) -> list[tuple[str, str, str]]:
    text, is_error = tool(wire, session_id, "get_file_change", path=path)
    assert not is_error, text
    return [(e["eventType"], e["path"], e["pathType"]) for e in json.loads(text)]


def refused(wire: Wire, session_id: str, path: str) -> str:
    text, is_error = tool(wire, session_id, "get_file_change", path=path)
    assert is_error, text
    return text


def inotify_fds() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # an fd closed meanwhile
            count += os.readlink(f"/proc/self/fd/{fd}") == "anon_inode:inotify"
    return count


@pytest.fixture
def sid(wire: Wire) -> str:
    session_id = wire.create()
    run(wire, session_id, f"mkdir -p {W}")
    return session_id


def test_the_first_poll_arms_then_each_poll_has_only_the_new_events(wire: Wire, sid: str) -> None:
    run(wire, sid, f"echo before > {W}/old.txt")
    assert poll(wire, sid) == []  # starts the watch: nothing from before
    run(wire, sid, f"echo hi > {W}/a.txt; touch {W}/b; echo more >> {W}/a.txt; rm {W}/old.txt")
    assert poll(wire, sid) == [
        ("create", f"{W}/a.txt", "file"),
        ("modify", f"{W}/a.txt", "file"),  # one per completed write: the > and the >>
        ("create", f"{W}/b", "file"),
        ("modify", f"{W}/b", "file"),
        ("modify", f"{W}/a.txt", "file"),
        ("delete", f"{W}/old.txt", "file"),
    ]
    # The kernel merges an event into the previous one when they are identical and unread: two writes
    # in a row to the same file, with nothing between them, are one modify.
    run(wire, sid, f"echo 1 >> {W}/b; echo 2 >> {W}/b")
    assert poll(wire, sid) == [("modify", f"{W}/b", "file")]
    assert poll(wire, sid) == []
    run(wire, sid, f"rm {W}/b; mv {W}/a.txt {W}/b.txt; mkdir {W}/d; rmdir {W}/d")
    assert poll(wire, sid) == [
        ("delete", f"{W}/b", "file"),
        ("delete", f"{W}/a.txt", "file"),
        ("create", f"{W}/b.txt", "file"),
        ("create", f"{W}/d", "directory"),
        ("delete", f"{W}/d", "directory"),
    ]


def test_the_reply_is_the_json_list_of_the_capture(wire: Wire, sid: str) -> None:
    poll(wire, sid)
    run(wire, sid, f"touch {W}/new.txt")
    text, _ = tool(wire, sid, "get_file_change", path=W)
    assert text == (
        f'[{{"eventType": "create", "path": "{W}/new.txt", "pathType": "file"}}, '
        f'{{"eventType": "modify", "path": "{W}/new.txt", "pathType": "file"}}]'
    )


def test_subdirectories_are_watched_new_ones_included_with_what_they_hold(wire: Wire, sid: str) -> None:
    run(wire, sid, f"mkdir -p {W}/old/deep")
    poll(wire, sid)
    run(
        wire,
        sid,
        f"echo x > {W}/old/deep/f; mkdir -p {W}/new/sub && echo y > {W}/new/sub/g && touch {W}/new/e",
    )
    events = poll(wire, sid)
    assert len(events) == len(set(events)), "each change once"
    assert sorted(events) == sorted(
        [
            ("create", f"{W}/old/deep/f", "file"),
            ("modify", f"{W}/old/deep/f", "file"),
            ("create", f"{W}/new", "directory"),
            ("create", f"{W}/new/sub", "directory"),
            ("create", f"{W}/new/sub/g", "file"),
            ("modify", f"{W}/new/sub/g", "file"),
            ("create", f"{W}/new/e", "file"),
        ]
    )
    # The new directories are watched from now on.
    run(wire, sid, f"echo z >> {W}/new/sub/g")
    assert poll(wire, sid) == [("modify", f"{W}/new/sub/g", "file")]
    run(wire, sid, f"rm -r {W}/new")
    events = poll(wire, sid)
    assert events[-1] == ("delete", f"{W}/new", "directory")  # rm -r empties it first
    assert sorted(events) == sorted(
        [
            ("delete", f"{W}/new/sub/g", "file"),
            ("delete", f"{W}/new/sub", "directory"),
            ("delete", f"{W}/new/e", "file"),
            ("delete", f"{W}/new", "directory"),
        ]
    )


def test_a_directory_moved_away_is_no_longer_watched(wire: Wire, sid: str) -> None:
    run(wire, sid, f"mkdir -p {W}/d /tmp/elsewhere")
    poll(wire, sid)
    run(wire, sid, f"mv {W}/d /tmp/elsewhere/d && touch /tmp/elsewhere/d/x")
    assert poll(wire, sid) == [("delete", f"{W}/d", "directory")]


def test_each_session_and_path_has_its_own_cursor(wire: Wire, sid: str) -> None:
    other = wire.create()
    run(wire, sid, f"mkdir -p {W}/sub")
    run(wire, other, f"mkdir -p {W}")
    for session_id, path in ((sid, W), (sid, f"{W}/sub"), (other, W)):
        assert poll(wire, session_id, path) == []
    run(wire, sid, f"touch {W}/sub/s")
    expected = [("create", f"{W}/sub/s", "file"), ("modify", f"{W}/sub/s", "file")]
    assert poll(wire, sid, f"{W}/sub") == expected
    assert poll(wire, sid, W) == expected  # not consumed by the other path's poll
    assert poll(wire, other, W) == []  # another session's directory of the same name
    assert poll(wire, sid, f"{W}/sub/") == []  # the same directory, however it is spelled


def test_a_burst_keeps_its_first_events_within_the_cap(
    monkeypatch: pytest.MonkeyPatch, wire: Wire, sid: str, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(_watcher, "MAX_PENDING", 50)
    poll(wire, sid)
    run(wire, sid, f"cd {W} && for i in $(seq 1 300); do : > f$i; done")
    with caplog.at_level(logging.WARNING, logger="agentbay_local.watch"):
        events = poll(wire, sid)
    assert len(events) == 50
    assert events[:2] == [("create", f"{W}/f1", "file"), ("modify", f"{W}/f1", "file")]
    assert events[-1] == ("modify", f"{W}/f25", "file")  # the first changes, without a hole
    assert "550 event(s) dropped" in caplog.text
    assert poll(wire, sid) == []
    run(wire, sid, f"mkdir {W}/later")  # the watch goes on after the burst
    assert poll(wire, sid) == [("create", f"{W}/later", "directory")]


def test_a_kernel_queue_overflow_is_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = tmp_path / "s"
    (root / "home" / "wuying" / "w").mkdir(parents=True)
    try:
        assert watch.get_file_change(root, {"path": W}) == "[]"
        (watcher,) = watch.watchers(root)
        watcher._handle(_inotify.Event(-1, _inotify.IN_Q_OVERFLOW, 0, b""))  # as the kernel queues it
        with caplog.at_level(logging.WARNING, logger="agentbay_local.watch"):
            assert watcher.poll() == []
        assert "1 kernel queue overflow(s)" in caplog.text
    finally:
        watch.end_session(root)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/etc", "Access denied: /etc is outside the session"),
        ("/home/wuying/../../etc", "Access denied"),
        ("/home/wuying/out", "Access denied"),  # a link to the host's /etc
        ("/home/wuying/w/file.txt", "Not a directory: /home/wuying/w/file.txt"),
        ("/home/wuying/missing", "No such file or directory: /home/wuying/missing"),
        ("", "Invalid path"),
    ],
)
def test_paths_outside_the_session_and_non_directories_are_refused(
    wire: Wire, sid: str, path: str, message: str
) -> None:
    run(wire, sid, f"ln -sfn /etc /home/wuying/out; touch {W}/file.txt")
    assert message in refused(wire, sid, path)
    assert watch.watchers() == [] or all(w.location.session_path != path for w in watch.watchers())


def test_a_link_inside_the_tree_is_reported_not_followed(wire: Wire, sid: str, server: LocalServer) -> None:
    poll(wire, sid)
    run(wire, sid, f"ln -s /tmp {W}/tmplink; mkdir {W}/real")
    assert poll(wire, sid) == [("create", f"{W}/tmplink", "file"), ("create", f"{W}/real", "directory")]
    (watcher,) = watch.watchers(Path(server.state_dir) / "sessions" / sid)
    assert watcher.watched_dirs == 2  # w and w/real; not the link's target
    run(wire, sid, "touch /tmp/through-the-link")
    assert poll(wire, sid) == []


def test_a_missing_path_argument_is_a_tool_error(wire: Wire, sid: str) -> None:
    data = wire.ok("CallMcpTool", SessionId=sid, Name="get_file_change", Args="{}")["Data"]
    assert data["isError"] and "Missing required argument 'path'" in data["content"][0]["text"]


def test_the_watched_directory_deleted_ends_its_watcher(wire: Wire, sid: str) -> None:
    run(wire, sid, f"touch {W}/a")
    poll(wire, sid)
    run(wire, sid, f"rm -r {W}")
    assert poll(wire, sid) == [("delete", f"{W}/a", "file")]
    assert "No such file or directory" in refused(wire, sid, W)


def test_watchers_close_at_release_leaving_no_fd(wire: Wire, server: LocalServer) -> None:
    before = inotify_fds()
    session_id = wire.create()
    root = Path(server.state_dir) / "sessions" / session_id
    run(wire, session_id, f"mkdir -p {W}/a/b /tmp/t")
    for path in (W, f"{W}/a", "/tmp/t"):
        poll(wire, session_id, path)
    assert len(watch.watchers(root)) == 3 and inotify_fds() == before + 3
    wire.ok("ReleaseMcpSession", SessionId=session_id)
    assert watch.watchers(root) == [] and inotify_fds() == before


def test_a_session_watches_a_bounded_number_of_paths(
    monkeypatch: pytest.MonkeyPatch, wire: Wire, sid: str
) -> None:
    monkeypatch.setattr(watch, "MAX_WATCHERS_PER_SESSION", 2)
    run(wire, sid, f"mkdir -p {W}/a {W}/b")
    poll(wire, sid, W)
    poll(wire, sid, f"{W}/a")
    assert "watches 2 directories already" in refused(wire, sid, f"{W}/b")
    assert poll(wire, sid, W) == []  # the existing ones go on


def test_a_watcher_not_polled_for_long_is_closed(
    monkeypatch: pytest.MonkeyPatch, wire: Wire, sid: str
) -> None:
    poll(wire, sid)
    run(wire, sid, f"touch {W}/x")
    monkeypatch.setattr(watch, "IDLE_S", -1.0)  # every watcher counts as idle now
    assert poll(wire, sid) == []  # closed, then started afresh
    monkeypatch.setattr(watch, "IDLE_S", 600.0)
    run(wire, sid, f"touch {W}/y")
    assert poll(wire, sid) == [("create", f"{W}/y", "file"), ("modify", f"{W}/y", "file")]


def test_server_stop_closes_every_watcher(state_dir: Path) -> None:
    before = inotify_fds()
    with (
        LocalServer(state_dir, api_keys=["akm-watch-stop"]) as server,
        httpx.Client(base_url=server.endpoint, timeout=30) as client,
    ):
        wire = Wire(client, "akm-watch-stop")
        session_id = wire.create()
        run(wire, session_id, f"mkdir -p {W}")
        poll(wire, session_id)
        assert inotify_fds() == before + 1
    assert inotify_fds() == before


def test_a_watcher_watches_a_bounded_number_of_directories(
    monkeypatch: pytest.MonkeyPatch,
    wire: Wire,
    sid: str,
    server: LocalServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(_watcher, "MAX_DIRS", 3)
    run(wire, sid, f"mkdir -p {W}/a {W}/b {W}/c {W}/d")
    with caplog.at_level(logging.WARNING, logger="agentbay_local.watch"):
        assert poll(wire, sid) == []
    (watcher,) = watch.watchers(Path(server.state_dir) / "sessions" / sid)
    assert watcher.watched_dirs == 3
    assert "more than 3 directories, further directories are not watched" in caplog.text
    run(wire, sid, f"touch {W}/top")
    assert poll(wire, sid) == [("create", f"{W}/top", "file"), ("modify", f"{W}/top", "file")]
