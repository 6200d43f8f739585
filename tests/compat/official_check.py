"""Drive the OFFICIAL AgentBay SDK (wuying-agentbay-sdk) against an endpoint; run inside its own venv.

Usage: AGENTBAY_ENDPOINT=http://127.0.0.1:PORT AGENTBAY_API_KEY=KEY python official_check.py [GROUP ...]

Groups: `session` (create with labels and image, info, get_link, labels, list by labels, delete);
`tools` (execute_command, write_file and read_file over 50 KiB, list_directory, get_file_info,
create_directory, move_file, search_files); `persistence` (a context in two sessions one after the
other, delete(sync_context=True) in between); `file_transfer` (0.9.0: upload_file, download_file);
`contexts` (ContextService: create, get, list and its pages, rename, upload and download URLs with
httpx, list_files, delete_file, delete); `desktop` (a linux_latest session: application, window and
ui: start an app and see its window, resize/maximize/minimize/restore/fullscreen/close, type into an
xterm running `cat > file`, click, screenshot, stop apps by pid, name and command); `computer` (0.9.0:
screen size, cursor, mouse, keys and text as xev reports them, screenshot); `oss` (session.oss on the
local server's object store, in a bucket the caller made with oss2 and names in OSS_BUCKET: env_init
without an endpoint, upload and download back, the caller's object OSS_USER_OBJECT downloaded, upload
and download anonymous through the caller's signed URLs OSS_PUT_URL / OSS_GET_URL, a missing object,
a missing bucket and a wrong secret refused).
Group `code`: run_code in python and javascript, the session's files, errors and a timeout.
Group `browser`: a browser_latest session, browser.initialize(BrowserOption()) (again: a no-op),
get_endpoint_url (0.8.0 through GetLink, 0.22.3 through GetCdpLink), a CDP client connected to it
(Playwright's connect_over_cdp where the venv has Playwright, else a raw CDP call over `websockets`
or `websocket-client`), the browser stopped (stopChrome), delete.
Group `browser_context`: a cookie set over CDP (Storage.setCookies) in a browser session with a
BrowserContext, delete(sync_context=True), and found (Storage.getCookies) in the next such session.
Group `watch`: file_system.watch_directory with a stop event, files written by execute_command seen by
the callback (recursively), the thread stopped by the event, then _get_file_change.
Prints one JSON object per step ({"step", "ok", "value" | "error"}) and exits 1 if any step failed.
This file must not import our SDK: the official one is also called `agentbay`.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from typing import Any

import agentbay
from agentbay import AgentBay, CreateSessionParams

VERSION = getattr(agentbay, "__version__", "") or os.environ.get("OFFICIAL_SDK_VERSION", "")
failures = 0


def step(name: str, call: Callable[[], Any], check: Callable[[Any], bool] = bool) -> Any:
    global failures
    try:
        value = call()
        ok = bool(check(value))
        print(json.dumps({"step": name, "ok": ok, "value": repr(value)[:300]}), flush=True)
    except Exception as exc:  # report every failure, keep going
        ok, value = False, None
        print(json.dumps({"step": name, "ok": False, "error": f"{type(exc).__name__}: {exc}",
                          "trace": traceback.format_exc()[-800:]}), flush=True)  # fmt: skip
    failures += not ok
    return value


def refusal(call: Callable[[], Any]) -> str:
    """Why the call failed ("" if it succeeded): 0.8/0.9 raise, 0.22.3 may return a failed result."""
    try:
        result = call()
    except Exception as exc:
        return str(exc)
    return "" if result.success else str(result.error_message)


def list_ids(ab: AgentBay, labels: dict[str, str]) -> list[str]:
    if "labels" not in inspect.signature(ab.list).parameters:  # 0.8.0: list() is the local cache
        result = ab.list_by_labels(labels)
        assert result.success, result.error_message
        return [s.session_id for s in result.sessions]
    # 0.9.0 (which deprecates list_by_labels) and 0.22.3
    result = ab.list(labels=labels)
    assert result.success, result.error_message
    return [s["sessionId"] if isinstance(s, dict) else s for s in result.session_ids]


def session_group(ab: AgentBay) -> None:
    labels = {"project": "compat", "sdk": VERSION or "x"}
    created = step(
        "create(labels, image_id)",
        lambda: ab.create(CreateSessionParams(labels=labels, image_id="linux_latest")),
        lambda r: r.success and r.session.session_id.startswith("session-"),
    )
    if not created or not created.success:
        return
    session = created.session
    sid = session.session_id
    step(
        "info",
        lambda: session.info(),
        lambda r: r.success and r.data.session_id == sid and r.data.resource_url,
    )
    step("get_link", lambda: session.get_link(), lambda r: r.success and sid in r.data)
    step(
        "get_link(http, 30150)",
        lambda: session.get_link("http", 30150),
        lambda r: r.success and "30150" in r.data,
    )
    # A plain-HTTP server cannot give an https link that works: refused with what it serves.
    step("get_link(https) refused", lambda: refusal(lambda: session.get_link("https", 30150)),
         lambda why: "http and ws" in why)  # fmt: skip
    step("set_labels", lambda: session.set_labels({**labels, "stage": "x"}), lambda r: r.success)
    step(
        "get_labels", lambda: session.get_labels(), lambda r: r.success and r.data == {**labels, "stage": "x"}
    )
    step("list by labels", lambda: list_ids(ab, {"project": "compat"}), lambda ids: sid in ids)
    step("list by other labels", lambda: list_ids(ab, {"project": "other"}), lambda ids: sid not in ids)
    step("delete", lambda: session.delete(), lambda r: r.success)
    step("list after delete", lambda: list_ids(ab, {"project": "compat"}), lambda ids: sid not in ids)


def entry_name(entry: Any) -> str:
    return str(entry["name"] if isinstance(entry, dict) else entry.name)  # 0.8 dicts, 0.22 objects


def tools_group(ab: AgentBay) -> None:
    created = step("create", lambda: ab.create(), lambda r: r.success)
    if not created or not created.success:
        return
    session = created.session
    fs = session.file_system
    step("execute_command(echo)", lambda: session.command.execute_command("echo hello"),
         lambda r: r.success and r.output == "hello\n")  # fmt: skip
    step("execute_command(pwd)", lambda: session.command.execute_command("pwd", 5000),
         lambda r: r.success and r.output.strip() == "/home/wuying")  # fmt: skip
    step("execute_command(exit 3)", lambda: session.command.execute_command("echo x; exit 3"),
         lambda r: not r.success)  # fmt: skip
    step("create_directory", lambda: fs.create_directory("/home/wuying/compat"), lambda r: r.success)
    small = "hello\nwörld"
    step("write_file", lambda: fs.write_file("/home/wuying/compat/a.txt", small), lambda r: r.success)
    step("write_file(append)", lambda: fs.write_file("/home/wuying/compat/a.txt", "!", "append"),
         lambda r: r.success)  # fmt: skip
    step(
        "read_file",
        lambda: fs.read_file("/home/wuying/compat/a.txt"),
        lambda r: r.success and r.content == small + "!",
    )
    big = "".join(
        f"{i:06d} ünïcode line of the big file\n" for i in range(4000)
    )  # > 150 KB: chunked both ways
    step(
        "write_file(> 50 KiB)", lambda: fs.write_file("/home/wuying/compat/big.txt", big), lambda r: r.success
    )
    step("read_file(> 50 KiB)", lambda: fs.read_file("/home/wuying/compat/big.txt"),
         lambda r: r.success and r.content == big)  # fmt: skip
    step("get_file_info", lambda: fs.get_file_info("/home/wuying/compat/a.txt"),
         lambda r: r.success and r.file_info["size"] == len((small + "!").encode()) and r.file_info["isFile"])  # fmt: skip
    step("list_directory", lambda: fs.list_directory("/home/wuying/compat"),
         lambda r: r.success and {entry_name(e) for e in r.entries} == {"a.txt", "big.txt"})  # fmt: skip
    step("move_file", lambda: fs.move_file("/home/wuying/compat/a.txt", "/home/wuying/compat/b.txt"),
         lambda r: r.success)  # fmt: skip
    step("search_files", lambda: fs.search_files("/home/wuying", "b.txt"),
         lambda r: r.success and r.matches == ["/home/wuying/compat/b.txt"])  # fmt: skip
    step("read_file(missing)", lambda: fs.read_file("/home/wuying/compat/a.txt"), lambda r: not r.success)
    step("delete", lambda: session.delete(), lambda r: r.success)


def persistence_group(ab: AgentBay) -> None:
    """A context mounted in two sessions one after the other: what the first writes, uploaded by
    delete(sync_context=True), is in the second at create."""
    from agentbay import ContextSync, SyncPolicy

    name = f"compat-persistence-{VERSION}-{time.time_ns()}"
    got = step("context.get(name, create=True)", lambda: ab.context.get(name, True),
               lambda r: r.success and r.context_id)  # fmt: skip
    if not got or not got.success:
        return
    mount = "/home/wuying/persist"

    def params() -> CreateSessionParams:
        return CreateSessionParams(
            context_syncs=[ContextSync.new(got.context_id, mount, SyncPolicy.default())]
        )

    first = step("create(context_syncs)", lambda: ab.create(params()), lambda r: r.success)
    if not first or not first.success:
        return
    session = first.session
    step("context.info() after create", lambda: session.context.info(),
         # 0.9.0 also mounts its file-transfer context: only ours is looked at.
         lambda r: [(i.path, i.task_type, i.status) for i in r.context_status_data
                    if i.context_id == got.context_id] == [(mount, "download", "Success")])  # fmt: skip
    text = "persisted ünïcode\n" * 1000
    step("create_directory(in the mount)", lambda: session.file_system.create_directory(f"{mount}/notes"),
         lambda r: r.success)  # fmt: skip
    step("write_file(in the mount)", lambda: session.file_system.write_file(f"{mount}/notes/a.txt", text),
         lambda r: r.success)  # fmt: skip
    step("delete(sync_context=True)", lambda: session.delete(sync_context=True), lambda r: r.success)
    step("context.list_files", lambda: ab.context.list_files(got.context_id, "/notes"),
         lambda r: r.success and [e.file_name for e in r.entries] == ["a.txt"])  # fmt: skip
    second = step("create(context_syncs) again", lambda: ab.create(params()), lambda r: r.success)
    if not second or not second.success:
        return
    step("read_file(in the new session)", lambda: second.session.file_system.read_file(f"{mount}/notes/a.txt"),
         lambda r: r.success and r.content == text)  # fmt: skip
    step("delete(second)", lambda: second.session.delete(), lambda r: r.success)
    step("context.delete", lambda: ab.context.delete(got.context), lambda r: r.success)


def file_transfer_group(ab: AgentBay) -> None:
    """0.9.0's upload_file / download_file: its file-transfer context, the URLs, SyncContext, polls."""
    created = step("create", lambda: ab.create(), lambda r: r.success)
    if not created or not created.success:
        return
    session = created.session
    fs = session.file_system
    data = os.urandom(300_000)
    with tempfile.TemporaryDirectory() as folder:
        source, target = os.path.join(folder, "up.bin"), os.path.join(folder, "down.bin")
        with open(source, "wb") as out:
            out.write(data)
        step("upload_file", lambda: fs.upload_file(source, "/tmp/compat/up.bin"),
             lambda r: r.success and r.bytes_sent == len(data))  # fmt: skip
        digest = hashlib.sha256(data).hexdigest()
        step("the uploaded file is in the session", lambda: session.command.execute_command(
             "sha256sum /tmp/compat/up.bin"), lambda r: r.success and r.output.split()[0] == digest)  # fmt: skip
        step("execute_command(make a file)", lambda: session.command.execute_command(
             "mkdir -p /home/wuying/out && seq 1 50000 > /home/wuying/out/seq.txt"), lambda r: r.success)  # fmt: skip
        expected = "".join(f"{n}\n" for n in range(1, 50001)).encode()
        step("download_file", lambda: fs.download_file("/home/wuying/out/seq.txt", target),
             lambda r: r.success and r.bytes_received == len(expected))  # fmt: skip
        step("the downloaded file", lambda: open(target, "rb").read(), lambda b: b == expected)  # noqa: SIM115
    step("delete", lambda: session.delete(), lambda r: r.success)


def context_list_params(**kwargs: Any) -> Any:
    try:  # 0.8.0 and 0.9.0
        from agentbay.context import ContextListParams
    except ImportError:  # 0.22.3
        from agentbay import ContextListParams
    return ContextListParams(**kwargs)


def context_ids_of_all_pages(ab: AgentBay, page_size: int) -> list[str]:
    ids: list[str] = []
    token = None
    for _ in range(100):
        result = ab.context.list(context_list_params(max_results=page_size, next_token=token))
        assert result.success, result.error_message
        assert len(result.contexts) <= page_size
        ids += [c.id for c in result.contexts]
        token = result.next_token
        if not token:
            return ids
    raise AssertionError("ListContexts never ended")


def contexts_group(ab: AgentBay) -> None:
    """ContextService: create, get, list with paging, rename, upload and download URLs (PUT and GET with
    httpx, as the SDKs' users and 0.9.0's file transfer do), list_files, delete_file, delete."""
    import hashlib

    import httpx

    tag = f"compat-{VERSION or 'x'}"
    made = [step(f"context.create({tag}-{n})", lambda n=n: ab.context.create(f"{tag}-{n}"),
                 lambda r: r.success and r.context_id.startswith("SdkCtx-")) for n in range(3)]  # fmt: skip
    if not all(r and r.success for r in made):
        return
    ids = [r.context_id for r in made]
    step("context.get(name)", lambda: ab.context.get(f"{tag}-0"),
         lambda r: r.success and r.context_id == ids[0] and r.context.name == f"{tag}-0")  # fmt: skip
    step("context.get(missing) fails", lambda: refusal(lambda: ab.context.get(f"{tag}-missing")), bool)
    step("context.list()", lambda: ab.context.list(),
         lambda r: r.success and [c.id for c in r.contexts][-3:] == ids and r.total_count >= 3)  # fmt: skip
    step("context.list(paging by 1)", lambda: context_ids_of_all_pages(ab, 1), lambda got: got[-3:] == ids)
    step("context.list(paging by 2)", lambda: context_ids_of_all_pages(ab, 2), lambda got: got[-3:] == ids)
    context = made[2].context
    context.name = f"{tag}-renamed"
    step("context.update(rename)", lambda: ab.context.update(context), lambda r: r.success)
    step("context.get(renamed)", lambda: ab.context.get(f"{tag}-renamed"),
         lambda r: r.success and r.context_id == ids[2])  # fmt: skip
    cid = ids[0]
    content = bytes(range(256)) * 4096 + "é✓".encode()  # 1 MiB of binary and some UTF-8
    up = step("get_file_upload_url", lambda: ab.context.get_file_upload_url(cid, "/data/dir/blob.bin"),
              lambda r: r.success and r.url.startswith("http") and r.expire_time > 0)  # fmt: skip
    if up and up.success:
        step("PUT upload url", lambda: httpx.put(up.url, content=content),
             lambda r: r.status_code in (200, 201, 204)
             and r.headers.get("etag", "").strip('"') == hashlib.md5(content).hexdigest())  # fmt: skip
    step("PUT an empty file", lambda: httpx.put(ab.context.get_file_upload_url(cid, "/data/empty").url, content=b""),
         lambda r: r.status_code == 200)  # fmt: skip
    down = step("get_file_download_url", lambda: ab.context.get_file_download_url(cid, "/data/dir/blob.bin"),
                lambda r: r.success and r.url.startswith("http"))  # fmt: skip
    if down and down.success:
        step("GET download url", lambda: httpx.get(down.url),
             lambda r: r.status_code == 200 and r.content == content)  # fmt: skip
    step("list_files(/data)", lambda: ab.context.list_files(cid, "/data"),
         lambda r: r.success and r.count == 2
         and [(e.file_name, e.file_type, e.size) for e in r.entries] == [("dir", "folder", 0), ("empty", "file", 0)])  # fmt: skip
    step("list_files(/data/dir)", lambda: ab.context.list_files(cid, "/data/dir", page_number=1, page_size=10),
         lambda r: r.success and [(e.file_path, e.size) for e in r.entries] == [("/data/dir/blob.bin", len(content))])  # fmt: skip
    step("delete_file", lambda: ab.context.delete_file(cid, "/data/dir/blob.bin"), lambda r: r.success)
    if down and down.success:
        step("GET after delete_file", lambda: httpx.get(down.url).status_code, lambda status: status == 404)
    step("list_files after delete_file", lambda: ab.context.list_files(cid, "/data"),
         lambda r: r.success and [e.file_name for e in r.entries] == ["empty"])  # fmt: skip
    for n in range(3):
        found = ab.context.get(f"{tag}-renamed" if n == 2 else f"{tag}-{n}")
        step(
            f"context.delete({n})", lambda found=found: ab.context.delete(found.context), lambda r: r.success
        )
    step("context.list() after delete", lambda: ab.context.list(),
         lambda r: r.success and not set(ids) & {c.id for c in r.contexts})  # fmt: skip


def poll(call: Callable[[], Any], check: Callable[[Any], bool], seconds: float = 10.0) -> Any:
    """`call()` until `check` holds (its last value either way): apps and windows take a moment."""
    deadline = time.monotonic() + seconds
    while True:
        value = call()
        if check(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def png_size(url: str) -> tuple[int, int]:
    import struct

    import httpx

    data = httpx.get(url).content
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:20]
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def desktop_group(ab: AgentBay) -> None:
    """application, window and ui on a linux_latest session (0.8.0's managers; 0.9.0 has the same)."""
    created = step("create(linux_latest)", lambda: ab.create(CreateSessionParams(image_id="linux_latest")),
                   lambda r: r.success)  # fmt: skip
    if not created or not created.success:
        return
    session = created.session
    app, win, ui, fs = session.application, session.window, session.ui, session.file_system
    step("get_installed_apps", lambda: app.get_installed_apps(True, False, True),
         lambda r: r.success and any("xterm" in a.start_cmd for a in r.data))  # fmt: skip
    out = "/home/wuying/typed.txt"
    started = step("start_app(xterm)", lambda: app.start_app(f"xterm -T compat-typing -e sh -c 'cat > {out}'"),
                   lambda r: r.success and "xterm" in [p.pname for p in r.data])  # fmt: skip

    def window(title: str) -> Any:
        found = poll(lambda: win.list_root_windows(), lambda r: any(w.title == title for w in r.windows))
        return next((w for w in found.windows if w.title == title), None)

    xterm = step("list_root_windows: the xterm's window", lambda: window("compat-typing"),
                 lambda w: w is not None and w.width > 0 and w.pname == "xterm")  # fmt: skip
    if xterm is None:
        return
    wid = xterm.window_id
    step("get_active_window", lambda: poll(lambda: win.get_active_window(), lambda r: r.success),
         lambda r: r.success and r.window.window_id == wid)  # fmt: skip
    step("ui.click (focus)", lambda: ui.click(xterm.absolute_upper_left_x + 20, xterm.absolute_upper_left_y + 20),
         lambda r: r.success)  # fmt: skip
    step("ui.input_text", lambda: ui.input_text("typed by the official SDK wörld ✓"), lambda r: r.success)
    step("ui.send_key(ENTER)", lambda: ui.send_key(66), lambda r: r.success)
    step("the typed text in the file", lambda: poll(lambda: fs.read_file(out), lambda r: r.success and r.content),
         lambda r: r.content == "typed by the official SDK wörld ✓\n")  # fmt: skip

    def geometry() -> tuple[int, int]:
        found = next(w for w in win.list_root_windows().windows if w.window_id == wid)
        return found.width, found.height

    step("resize_window(500, 300)", lambda: win.resize_window(wid, 500, 300), lambda r: r.success)
    step("list_root_windows: resized", geometry, lambda size: size == (500, 300))
    step("maximize_window", lambda: win.maximize_window(wid), lambda r: r.success)
    step("list_root_windows: maximized", geometry, lambda size: size[0] >= 1000)
    step("restore_window", lambda: win.restore_window(wid), lambda r: r.success)
    step("list_root_windows: restored", geometry, lambda size: size == (500, 300))
    step("fullscreen_window", lambda: win.fullscreen_window(wid), lambda r: r.success)
    step("list_root_windows: fullscreen", geometry, lambda size: size == (1024, 768))
    step("restore_window (2)", lambda: win.restore_window(wid), lambda r: r.success)
    step("minimize_window", lambda: win.minimize_window(wid), lambda r: r.success)
    step("get_clickable_ui_elements: minimized is not there", lambda: ui.get_clickable_ui_elements(),
         lambda r: r.success and not any(e["text"] == "compat-typing" for e in r.elements))  # fmt: skip
    step("restore_window (3)", lambda: win.restore_window(wid), lambda r: r.success)
    step("get_clickable_ui_elements", lambda: ui.get_clickable_ui_elements(),
         lambda r: r.success and any(e["text"] == "compat-typing" and e["className"] == "XTerm" for e in r.elements))  # fmt: skip
    step("get_all_ui_elements", lambda: ui.get_all_ui_elements(),
         lambda r: r.success and any(e["text"] == "compat-typing" and e["children"] for e in r.elements))  # fmt: skip
    step("focus_mode(True)", lambda: win.focus_mode(True), lambda r: r.success)
    step("focus_mode(False)", lambda: win.focus_mode(False), lambda r: r.success)
    step("ui.swipe", lambda: ui.swipe(100, 100, 200, 150, 100), lambda r: r.success)
    shot = step("ui.screenshot", lambda: ui.screenshot(), lambda r: r.success and r.data.startswith("http"))
    if shot and shot.success:
        step(
            "the screenshot is a 1024x768 PNG", lambda: png_size(shot.data), lambda size: size == (1024, 768)
        )
    step(
        "list_visible_apps",
        lambda: app.list_visible_apps(),
        lambda r: r.success and "xterm" in [p.pname for p in r.data],
    )
    if started and started.success:
        pid = next(p.pid for p in started.data if p.pname == "xterm")
        step("stop_app_by_pid", lambda: app.stop_app_by_pid(pid), lambda r: r.success)
        step("list_root_windows: the xterm is gone", lambda: poll(lambda: win.list_root_windows(),
             lambda r: not any(w.window_id == wid for w in r.windows)),
             lambda r: r.success and not any(w.window_id == wid for w in r.windows))  # fmt: skip
    for name, stop in (("stop_app_by_pname", lambda: app.stop_app_by_pname("xmessage")),
                       ("stop_app_by_cmd", lambda: app.stop_app_by_cmd("pkill -x xmessage"))):  # fmt: skip
        step(f"start_app(xmessage) for {name}", lambda: app.start_app("xmessage -title compat-message hi"),
             lambda r: r.success)  # fmt: skip
        step(f"the window shows ({name})", lambda: window("compat-message"), lambda w: w is not None)
        step(name, stop, lambda r: r.success)
        step(f"the window is gone ({name})", lambda: poll(lambda: win.list_root_windows(),
             lambda r: all(w.title != "compat-message" for w in r.windows)),
             lambda r: all(w.title != "compat-message" for w in r.windows))  # fmt: skip
    step("delete", lambda: session.delete(), lambda r: r.success)


def xev_events(text: str) -> list[tuple[str, str]]:
    """(event, detail) of xev's log: the button number or the keysym name."""
    import re

    found = []
    for block in text.split("\n\n"):
        kind = block.split(" ", 1)[0]
        detail = re.search(r"button (\d+)|keysym 0x[0-9a-f]+, (\w+)\)", block)
        if kind in ("ButtonPress", "ButtonRelease", "KeyPress", "KeyRelease") and detail:
            found.append((kind, detail.group(1) or detail.group(2)))
    return found


def xev_text(text: str) -> str:
    import re

    found = re.findall(r"XmbLookupString gives \d+ bytes: \(([0-9a-f ]*)\)", text)
    return b"".join(bytes.fromhex(h) for h in found).decode()


def computer_group(ab: AgentBay) -> None:
    """0.9.0's computer: the screen, the pointer, mouse and keys as xev sees them, a screenshot."""
    created = step("create(linux_latest)", lambda: ab.create(CreateSessionParams(image_id="linux_latest")),
                   lambda r: r.success)  # fmt: skip
    if not created or not created.success:
        return
    session = created.session
    pc, fs = session.computer, session.file_system
    step("get_screen_size", lambda: pc.get_screen_size(),
         lambda r: r.success and json.loads(r.data) == {"width": 1024, "height": 768, "dpiScalingFactor": 1.0})  # fmt: skip
    step("get_cursor_position", lambda: pc.get_cursor_position(),
         lambda r: r.success and json.loads(r.data) == {"x": 512, "y": 384})  # fmt: skip
    step("move_mouse", lambda: pc.move_mouse(100, 200), lambda r: r.success)
    step("get_cursor_position after move_mouse", lambda: pc.get_cursor_position(),
         lambda r: r.success and json.loads(r.data) == {"x": 100, "y": 200})  # fmt: skip
    log = "/home/wuying/xev.log"
    step("start xev", lambda: session.command.execute_command(
         f"(setsid stdbuf -oL xev -geometry 400x300+0+0 > {log} 2>&1 &)"), lambda r: r.success)  # fmt: skip
    xev = step("its window", lambda: poll(lambda: pc.list_root_windows(),
               lambda r: any(w.title == "Event Tester" for w in r.windows)),
               lambda r: any(w.title == "Event Tester" for w in r.windows))  # fmt: skip
    if not xev:
        return
    w = next(w for w in xev.windows if w.title == "Event Tester")
    x, y = w.absolute_upper_left_x + w.width // 2, w.absolute_upper_left_y + w.height // 2
    step("click_mouse(left)", lambda: pc.click_mouse(x, y), lambda r: r.success)
    step("click_mouse(right)", lambda: pc.click_mouse(x, y, "right"), lambda r: r.success)
    step("click_mouse(double_left)", lambda: pc.click_mouse(x, y, "double_left"), lambda r: r.success)
    step("scroll(down, 2)", lambda: pc.scroll(x, y, "down", 2), lambda r: r.success)
    step("drag_mouse", lambda: pc.drag_mouse(x - 40, y - 40, x + 40, y + 30, "left"), lambda r: r.success)
    step("get_cursor_position after drag_mouse", lambda: pc.get_cursor_position(),
         lambda r: r.success and json.loads(r.data) == {"x": x + 40, "y": y + 30})  # fmt: skip
    step("press_keys([Ctrl, a])", lambda: pc.press_keys(["Ctrl", "a"]), lambda r: r.success)
    step("press_keys([Shift], hold)", lambda: pc.press_keys(["Shift"], hold=True), lambda r: r.success)
    step("release_keys([Shift])", lambda: pc.release_keys(["Shift"]), lambda r: r.success)
    step("input_text", lambda: pc.input_text("Hi wörld"), lambda r: r.success)
    buttons = [("ButtonPress", n) if i % 2 == 0 else ("ButtonRelease", n)
               for i, n in enumerate("1" * 2 + "3" * 2 + "1" * 4 + "5" * 4 + "1" * 2)]  # fmt: skip
    keys = [("KeyPress", "Control_L"), ("KeyPress", "a"), ("KeyRelease", "a"), ("KeyRelease", "Control_L"),
            ("KeyPress", "Shift_L"), ("KeyRelease", "Shift_L")]  # fmt: skip

    def events() -> list[tuple[str, str]]:
        return xev_events(fs.read_file(log).content)

    step("xev: the buttons", lambda: [e for e in poll(events, lambda e: len(e) >= 20) if e[0].startswith("Button")],
         lambda got: got == buttons)  # fmt: skip
    step(
        "xev: the keys", lambda: [e for e in events() if e[0].startswith("Key")][:6], lambda got: got == keys
    )
    step("xev: the text", lambda: xev_text(poll(lambda: fs.read_file(log).content,
         lambda t: xev_text(t).endswith("ld"))), lambda got: got.endswith("Hi wörld"))  # fmt: skip
    shot = step("screenshot", lambda: pc.screenshot(), lambda r: r.success and r.data.startswith("http"))
    if shot and shot.success:
        step(
            "the screenshot is a 1024x768 PNG", lambda: png_size(shot.data), lambda size: size == (1024, 768)
        )
    step("delete", lambda: session.delete(), lambda r: r.success)


def oss_group(ab: AgentBay) -> None:
    """session.oss against the local server's own object store (see the module's docstring)."""
    bucket, key = os.environ["OSS_BUCKET"], os.environ["AGENTBAY_API_KEY"]
    created = step("create", lambda: ab.create(), lambda r: r.success)
    if not created or not created.success:
        return
    session = created.session
    oss, run = session.oss, session.command.execute_command
    # The token positionally: 0.8/0.9 call it `securityToken`, 0.22.3 `security_token` (required).
    step("env_init(no endpoint)", lambda: oss.env_init("compat-id", key, None), lambda r: r.success)
    made = step("execute_command(make a file)", lambda: run(
        "mkdir -p /home/wuying/oss && head -c 200000 /dev/urandom > /home/wuying/oss/up.bin"
        " && sha256sum /home/wuying/oss/up.bin"), lambda r: r.success)  # fmt: skip
    digest = made.output.split()[0] if made else ""

    def same_file(path: str) -> Callable[[], Any]:
        return lambda: run(f"sha256sum {path}")

    step("upload", lambda: oss.upload(bucket, "compat/up.bin", "/home/wuying/oss/up.bin"),
         lambda r: r.success and "Upload success" in r.content)  # fmt: skip
    step("download", lambda: oss.download(bucket, "compat/up.bin", "/home/wuying/oss/down.bin"),
         lambda r: r.success and "Download success" in r.content)  # fmt: skip
    step(
        "the downloaded file", same_file("/home/wuying/oss/down.bin"), lambda r: r.output.split()[0] == digest
    )
    user_object = os.environ["OSS_USER_OBJECT"]
    step("download(the caller's object)", lambda: oss.download(bucket, user_object, "/home/wuying/oss/user.txt"),
         lambda r: r.success)  # fmt: skip
    step("the caller's object in the session", lambda: run("cat /home/wuying/oss/user.txt"),
         lambda r: r.output == os.environ["OSS_USER_TEXT"])  # fmt: skip
    step("upload_anonymous", lambda: oss.upload_anonymous(os.environ["OSS_PUT_URL"], "/home/wuying/oss/up.bin"),
         lambda r: r.success and "Upload success" in r.content)  # fmt: skip
    step("download_anonymous", lambda: oss.download_anonymous(os.environ["OSS_GET_URL"], "/home/wuying/oss/anon.bin"),
         lambda r: r.success and "Download success" in r.content)  # fmt: skip
    step(
        "the anonymous round trip",
        same_file("/home/wuying/oss/anon.bin"),
        lambda r: r.output.split()[0] == digest,
    )
    step("download(a missing object) refused",
         lambda: refusal(lambda: oss.download(bucket, "compat/none.bin", "/home/wuying/oss/none.bin")),
         lambda why: "NoSuchKey" in why)  # fmt: skip
    step("upload(a missing bucket) refused",
         lambda: refusal(lambda: oss.upload(bucket + "-none", "x", "/home/wuying/oss/up.bin")),
         lambda why: "NoSuchBucket" in why)  # fmt: skip
    step("env_init(a wrong secret)", lambda: oss.env_init("compat-id", "not-the-api-key-0123", None),
         lambda r: r.success)  # fmt: skip
    step("upload(a wrong secret) refused",
         lambda: refusal(lambda: oss.upload(bucket, "compat/wrong.bin", "/home/wuying/oss/up.bin")),
         lambda why: "SignatureDoesNotMatch" in why and "not-the-api-key" not in why)  # fmt: skip
    step("delete", lambda: session.delete(), lambda r: r.success)


def code_group(ab: AgentBay) -> None:
    """session.code.run_code: python and javascript output, the session's files, a traceback, a
    timeout, an unsupported language refused by the SDK itself."""
    created = step("create(code_latest)", lambda: ab.create(CreateSessionParams(image_id="code_latest")),
                   lambda r: r.success)  # fmt: skip
    if not created or not created.success:
        return
    session = created.session
    code = session.code
    # Positionally: 0.8.0 defaults timeout_s to 300, 0.9+ to 60.
    step("run_code(python)", lambda: code.run_code("print('hello', 6 * 7)", "python", 60),
         lambda r: r.success and r.result == "hello 42\n")  # fmt: skip
    step("run_code(javascript)", lambda: code.run_code("console.log([1, 2].map(x => x * 2))", "javascript", 60),
         lambda r: r.success and r.result == "[ 2, 4 ]\n")  # fmt: skip
    step("write_file", lambda: session.file_system.write_file("/home/wuying/code-in.txt", "written by write_file"),
         lambda r: r.success)  # fmt: skip
    step("run_code(the session's files)", lambda: code.run_code(
        "print(open('/home/wuying/code-in.txt').read().upper())", "python", 60),
         lambda r: r.success and r.result == "WRITTEN BY WRITE_FILE\n")  # fmt: skip
    step("run_code(NameError) fails with the traceback",
         lambda: refusal(lambda: code.run_code("print('before')\nundefined_name", "python", 60)),
         lambda why: "NameError: name 'undefined_name' is not defined" in why)  # fmt: skip
    step("run_code(ReferenceError) fails with the trace",
         lambda: refusal(lambda: code.run_code("undefinedName", "javascript", 60)),
         lambda why: "ReferenceError" in why)  # fmt: skip
    step("run_code(timeout) fails",
         lambda: refusal(lambda: code.run_code("import time\ntime.sleep(30)", "python", 1)),
         lambda why: "timed out after 1 s" in why)  # fmt: skip
    step("run_code(ruby) refused", lambda: refusal(lambda: code.run_code("puts 1", "ruby", 60)),
         lambda why: "Unsupported language" in why)  # fmt: skip
    step("delete", lambda: session.delete(), lambda r: r.success)


def watch_group(ab: AgentBay) -> None:
    """file_system.watch_directory: a thread returned not started with the stop_event given, the
    events of files a command writes reach the callback, the event stops it; then _get_file_change."""
    import threading

    created = step("create", lambda: ab.create(), lambda r: r.success)
    if not created or not created.success:
        return
    session = created.session
    fs, run = session.file_system, session.command.execute_command
    folder = "/home/wuying/watch"
    step("create_directory", lambda: fs.create_directory(folder), lambda r: r.success)
    step("write_file(before)", lambda: fs.write_file(f"{folder}/notes.md", "old"), lambda r: r.success)
    seen: list[Any] = []
    stop = threading.Event()
    thread = step("watch_directory(stop_event)", lambda: fs.watch_directory(folder, seen.extend, 0.1, stop),
                  lambda t: not t.is_alive() and t.daemon and t.stop_event is stop)  # fmt: skip
    if thread is None:
        return
    if hasattr(thread, "ready_event"):  # 0.22.3: the thread's first poll arms the watch
        thread.start()
        step("ready_event", lambda: thread.ready_event.wait(30), bool)
    else:  # 0.8/0.9 hand the first poll's events to the callback: arm the watch before starting
        step("_get_file_change(arms the watch)", lambda: fs._get_file_change(folder),
             lambda r: r.success and r.events == [])  # fmt: skip
        thread.start()
    step("execute_command(write files)", lambda: run(
        f"echo new > {folder}/new.txt && echo more >> {folder}/notes.md && mkdir {folder}/sub"
        f" && echo deep > {folder}/sub/deep.txt"), lambda r: r.success)  # fmt: skip
    expected = {
        ("create", f"{folder}/new.txt", "file"),
        ("modify", f"{folder}/new.txt", "file"),
        ("modify", f"{folder}/notes.md", "file"),
        ("create", f"{folder}/sub", "directory"),
        ("create", f"{folder}/sub/deep.txt", "file"),
        ("modify", f"{folder}/sub/deep.txt", "file"),
    }

    def events_seen() -> set[tuple[str, str, str]]:
        return {(e.event_type, e.path, e.path_type) for e in list(seen)}

    step(
        "callback events",
        lambda: poll(events_seen, lambda got: got >= expected, 30),
        lambda got: got == expected,
    )
    stop.set()
    step("the thread stops", lambda: (thread.join(30), thread.is_alive())[1], lambda alive: not alive)
    step("execute_command(after stop)", lambda: run(f"rm {folder}/new.txt"), lambda r: r.success)
    step("_get_file_change", lambda: fs._get_file_change(folder),
         lambda r: r.success and [(e.event_type, e.path, e.path_type) for e in r.events]
         == [("delete", f"{folder}/new.txt", "file")] and json.loads(r.raw_data)[0]["eventType"] == "delete")  # fmt: skip
    step("_get_file_change(missing) fails", lambda: fs._get_file_change("/home/wuying/none"),
         lambda r: not r.success and "No such file or directory" in r.error_message)  # fmt: skip
    step("delete", lambda: session.delete(), lambda r: r.success)


def browser_option() -> Any:
    try:  # 0.22.3
        from agentbay import BrowserOption
    except ImportError:  # 0.8.0 and 0.9.0
        from agentbay.browser.browser import BrowserOption
    return BrowserOption()


def cdp_title(url: str) -> str:
    """The title of a page a CDP client made through `url`: Playwright where installed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.connect_over_cdp(url, timeout=30000)
        try:
            page = browser.contexts[0].new_page()
            page.set_content("<title>official over CDP</title>")
            return str(page.title())
        finally:
            browser.close()


def cdp_call(url: str, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """One CDP command over a raw WebSocket to the browser target; its result."""
    message = json.dumps({"id": 1, "method": method, "params": params or {}})
    try:
        from websockets.sync.client import connect

        with connect(url, max_size=None, open_timeout=30) as ws:
            ws.send(message)
            while True:  # events (none are enabled) would come before the reply
                reply = json.loads(ws.recv(30))
                if reply.get("id") == 1:
                    return dict(reply["result"])
    except ImportError:
        import websocket  # websocket-client

        # No Origin header (websocket-client sends one by default, other CDP clients do not): Chromium
        # refuses a WebSocket from an origin not in its --remote-allow-origins.
        ws = websocket.create_connection(url, timeout=30, suppress_origin=True)
        try:
            ws.send(message)
            while True:
                reply = json.loads(ws.recv())
                if reply.get("id") == 1:
                    return dict(reply["result"])
        finally:
            ws.close()


def cdp_version(url: str) -> str:
    """Browser.getVersion: the product Chromium reports."""
    return str(cdp_call(url, "Browser.getVersion")["product"])


def browser_group(ab: AgentBay) -> None:
    """A browser_latest session: initialize, get_endpoint_url, a CDP client connected, stopChrome."""
    created = step("create(browser_latest)", lambda: ab.create(CreateSessionParams(image_id="browser_latest")),
                   lambda r: r.success)  # fmt: skip
    if not created or not created.success:
        return
    session = created.session
    browser = session.browser
    step("initialize", lambda: browser.initialize(browser_option()), lambda ok: ok is True)
    step("is_initialized", lambda: browser.is_initialized(), lambda ok: ok is True)
    step("initialize again", lambda: browser.initialize(browser_option()), lambda ok: ok is True)
    url = step("get_endpoint_url", lambda: browser.get_endpoint_url(),
               lambda u: u.startswith("ws://") and f"/sessions/{session.session_id}/" in u)  # fmt: skip
    if url:
        try:
            import playwright  # noqa: F401
        except ImportError:
            step(
                "CDP Browser.getVersion",
                lambda: cdp_version(url),
                lambda v: v.startswith(("Chrome/", "HeadlessChrome/")),
            )
        else:
            step(
                "connect_over_cdp: a page's title", lambda: cdp_title(url), lambda t: t == "official over CDP"
            )
    stop = getattr(browser, "destroy", None) or browser._stop_browser  # 0.8.0/0.9.0 have no destroy
    step("stop the browser (stopChrome)", stop, lambda _r: True)
    step("delete", lambda: session.delete(), lambda r: r.success)


def browser_context_of(context_id: str) -> Any:
    try:  # 0.22.3
        from agentbay import BrowserContext
    except ImportError:  # 0.8.0 and 0.9.0
        from agentbay.session_params import BrowserContext
    return BrowserContext(context_id, True)


def browser_context_group(ab: AgentBay) -> None:
    """A cookie set over CDP in one browser session is in the next through a browser context (the SDK's
    own mount of the profile folder, its policy as it sends it), delete(sync_context=True) between."""
    name = f"compat-browser-{VERSION}-{time.time_ns()}"
    got = step("context.get(name, create=True)", lambda: ab.context.get(name, True),
               lambda r: r.success and r.context_id)  # fmt: skip
    if not got or not got.success:
        return
    cookie = {"name": "kept", "value": "from-the-first-session", "domain": "example.test", "path": "/",
              "expires": time.time() + 86400}  # fmt: skip

    def started(label: str) -> tuple[Any, str]:
        params = CreateSessionParams(
            image_id="browser_latest", browser_context=browser_context_of(got.context_id)
        )
        created = step(f"create(browser_context) {label}", lambda: ab.create(params), lambda r: r.success)
        if not created or not created.success:
            return None, ""
        browser = created.session.browser
        step(f"initialize {label}", lambda: browser.initialize(browser_option()), lambda ok: ok is True)
        url = step(
            f"get_endpoint_url {label}", lambda: browser.get_endpoint_url(), lambda u: u.startswith("ws://")
        )
        return created.session, url or ""

    first, url = started("first")
    if not url:
        return
    step(
        "Storage.setCookies",
        lambda: cdp_call(url, "Storage.setCookies", {"cookies": [cookie]}),
        lambda r: r == {},
    )
    step("delete(sync_context=True)", lambda: first.delete(sync_context=True), lambda r: r.success)
    second, url = started("second")
    if not url:
        return
    step("Storage.getCookies: the cookie is back",
         lambda: [(c["name"], c["value"], c["domain"]) for c in cdp_call(url, "Storage.getCookies")["cookies"]],
         lambda got: ("kept", "from-the-first-session", "example.test") in got)  # fmt: skip
    step("delete(second)", lambda: second.delete(), lambda r: r.success)
    step("context.delete", lambda: ab.context.delete(got.context), lambda r: r.success)


GROUPS = {
    "session": session_group,
    "tools": tools_group,
    "persistence": persistence_group,
    "file_transfer": file_transfer_group,
    "contexts": contexts_group,
    "desktop": desktop_group,
    "computer": computer_group,
    "code": code_group,
    "oss": oss_group,
    "watch": watch_group,
    "browser": browser_group,
    "browser_context": browser_context_group,
}


def main() -> int:
    ab = AgentBay(api_key=os.environ["AGENTBAY_API_KEY"])
    for name in sys.argv[1:] or list(GROUPS):
        GROUPS[name](ab)
    print(json.dumps({"summary": True, "failures": failures}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
