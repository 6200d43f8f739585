"""The sync engine at the wire level: PersistenceDataList downloads at create, SyncContext, uploads at
release, GetContextInfo's tasks (agentbay_local/contexts/_sync.py, _tasks.py).

Session files are written and read on the host (`<state_dir>/sessions/<id>/home/wuying/...`, what the
session's tools and shell see), context files through the upload and download URLs.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentbay_local import LocalServer
from agentbay_local.contexts._sync import Cancelled, SyncEngine, _write_session_file, put_object
from agentbay_local.contexts._tasks import RUNNING, Task
from agentbay_local.sandbox._paths import SessionFS

from ._wire import KEY, OTHER_KEY, Wire, check_error

DATA = "/home/wuying/data"


# ---- helpers ------------------------------------------------------------------------------------


def new_context(wire: Wire, name: str, key: str | None = None) -> str:
    context_id: str = wire.ok("GetContext", key=key, Name=name, AllowCreate="True")["Data"]["Id"]
    return context_id


def put(wire: Wire, context_id: str, key: str, data: bytes) -> None:
    url = wire.ok("GetContextFileUploadUrl", ContextId=context_id, FilePath=key)["Data"]["Url"]
    assert httpx.put(url, content=data).status_code in (200, 201)


def fetch(wire: Wire, context_id: str, key: str) -> bytes | None:
    url = wire.ok("GetContextFileDownloadUrl", ContextId=context_id, FilePath=key)["Data"]["Url"]
    response = httpx.get(url)
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    return response.content


def context_files(server: LocalServer, context_id: str) -> dict[str, bytes]:
    return tree(server.state_dir / "contexts" / context_id / "files")


def mount(context_id: str, path: str = DATA, policy: dict[str, Any] | None = None) -> dict[str, str]:
    item: dict[str, str] = {"ContextId": context_id, "Path": path}
    if policy is not None:
        item["Policy"] = json.dumps(policy)
    return item


def create(wire: Wire, *items: dict[str, str]) -> str:
    return wire.create(PersistenceDataList=json.dumps(list(items)))


def tasks(wire: Wire, session_id: str, **filters: str) -> list[dict[str, Any]]:
    """GetContextInfo's items, after checking the double JSON envelope of the captures."""
    text = wire.ok("GetContextInfo", SessionId=session_id, **filters)["Data"]["ContextStatus"]
    [outer] = json.loads(text)
    assert outer["type"] == "data"
    items: list[dict[str, Any]] = json.loads(outer["data"])
    return items


def session_root(server: LocalServer, session_id: str) -> Path:
    return server.state_dir / "sessions" / session_id


def home(server: LocalServer, session_id: str) -> Path:
    return session_root(server, session_id) / "home" / "wuying"


def tree(root: Path) -> dict[str, bytes]:
    """Every regular file below root, by relative path, with its bytes."""
    found: dict[str, bytes] = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def sample_tree() -> dict[str, bytes]:
    """Nested folders, empty files, unicode names and a 5 MiB binary file."""
    return {
        "top.txt": b"top\n",
        "empty.txt": b"",
        "a/b/c/deep.txt": b"tout au fond\n",
        "a/b/empty": b"",
        "données/café ☕.txt": "crème brûlée\n".encode(),
        "日本語/名前.bin": bytes(range(256)) * 3,
        "big.bin": os.urandom(5 * 1024 * 1024),
    }


def engine(server: LocalServer) -> SyncEngine:
    sync: SyncEngine = server._service.actions.sync  # type: ignore[union-attr]
    return sync


@pytest.fixture
def own_server(state_dir: Path) -> Iterator[LocalServer]:
    with LocalServer(state_dir, api_keys=[KEY, OTHER_KEY]) as running:
        yield running


# ---- persistence across sessions ----------------------------------------------------------------


@pytest.mark.parametrize("how", ["release", "sync"])
def test_a_tree_persists_across_two_sessions_byte_for_byte(wire: Wire, server: LocalServer, how: str) -> None:
    """Written in one session, uploaded at release (autoUpload) or by SyncContext, downloaded into the
    next session at create: the same files, byte for byte."""
    context_id = new_context(wire, f"persist-{how}")
    files = sample_tree()
    first = create(wire, mount(context_id))
    assert tasks(wire, first) == [
        {
            "contextId": context_id,
            "path": DATA,
            "status": "Success",
            "taskType": "download",
            "startTime": tasks(wire, first)[0]["startTime"],
            "finishTime": tasks(wire, first)[0]["finishTime"],
            "errorMessage": "",
        }
    ]
    write_tree(home(server, first) / "data", files)
    if how == "sync":
        wire.ok("SyncContext", SessionId=first)  # the default mode is upload
        [upload] = tasks(wire, first, TaskType="upload")
        assert (upload["status"], upload["path"], upload["errorMessage"]) == ("Success", DATA, "")
        assert upload["startTime"] <= upload["finishTime"]
    wire.ok("ReleaseMcpSession", SessionId=first)
    assert context_files(server, context_id) == files

    second = create(wire, mount(context_id))
    [download] = tasks(wire, second)
    assert (download["status"], download["taskType"]) == ("Success", "download")
    assert tree(home(server, second) / "data") == files
    assert fetch(wire, context_id, "/données/café ☕.txt") == files["données/café ☕.txt"]


def test_a_download_keeps_modification_times_so_unchanged_files_are_not_copied_again(
    wire: Wire, server: LocalServer
) -> None:
    context_id = new_context(wire, "mtimes")
    put(wire, context_id, "/f.txt", b"one")
    session_id = create(wire, mount(context_id))
    local = home(server, session_id) / "data" / "f.txt"
    stored = server.state_dir / "contexts" / context_id / "files" / "f.txt"
    assert local.stat().st_mtime_ns == stored.stat().st_mtime_ns
    inode = stored.stat().st_ino
    wire.ok("SyncContext", SessionId=session_id, Mode="upload")
    assert stored.stat().st_ino == inode  # same size and time: left alone


def test_contexts_and_their_files_survive_a_restart(state_dir: Path) -> None:
    files = {"kept/a.txt": b"a", "b.bin": os.urandom(1000)}
    with LocalServer(state_dir, api_keys=[KEY]) as first, httpx.Client(base_url=first.endpoint) as c:
        wire = Wire(c)
        context_id = new_context(wire, "durable")
        session_id = create(wire, mount(context_id))
        write_tree(home(first, session_id) / "data", files)
        wire.ok("SyncContext", SessionId=session_id, ContextId=context_id, Path=DATA, Mode="upload")
    with LocalServer(state_dir, api_keys=[KEY]) as second, httpx.Client(base_url=second.endpoint) as c:
        wire = Wire(c)
        # The old session is still running; its tasks were this process's and are gone.
        assert tasks(wire, session_id) == []
        fresh = create(wire, mount(context_id))
        assert tree(home(second, fresh) / "data") == files
        # Its mounts are read from the database: a sync and a release still find them.
        (home(second, session_id) / "data" / "later.txt").write_bytes(b"later")
        wire.ok("ReleaseMcpSession", SessionId=session_id)
        assert fetch(wire, context_id, "later.txt") == b"later"


# ---- policies -----------------------------------------------------------------------------------


def test_white_lists_and_exclude_paths_are_relative_to_the_mount(wire: Wire, server: LocalServer) -> None:
    context_id = new_context(wire, "white")
    policy = {"bwList": {"whiteLists": [{"path": "/keep", "excludePaths": ["/keep/skip"]}]}}
    put(wire, context_id, "keep/in.txt", b"in")
    put(wire, context_id, "keep/skip/no.txt", b"no")
    put(wire, context_id, "other.txt", b"other")
    session_id = create(wire, mount(context_id, policy=policy))
    assert tree(home(server, session_id) / "data") == {"keep/in.txt": b"in"}

    write_tree(
        home(server, session_id) / "data", {"keep/new.txt": b"new", "keep/skip/x": b"x", "elsewhere": b"e"}
    )
    wire.ok("SyncContext", SessionId=session_id)
    assert context_files(server, context_id) == {
        "keep/in.txt": b"in",
        "keep/new.txt": b"new",
        "keep/skip/no.txt": b"no",  # excluded: neither uploaded over nor deleted
        "other.txt": b"other",  # outside the white list: untouched
    }


def test_a_regex_white_list(wire: Wire, server: LocalServer) -> None:
    context_id = new_context(wire, "regex")
    policy = {"bwList": {"whiteLists": [{"path": r"/logs/.*\.log", "isPathRegex": True}]}}
    session_id = create(wire, mount(context_id, policy=policy))
    write_tree(home(server, session_id) / "data", {"logs/a.log": b"a", "logs/a.txt": b"t", "b.log": b"b"})
    wire.ok("SyncContext", SessionId=session_id)
    assert context_files(server, context_id) == {"logs/a.log": b"a"}


@pytest.mark.parametrize("sync_local_file", [True, False])
def test_the_delete_policy_on_upload(wire: Wire, server: LocalServer, sync_local_file: bool) -> None:
    context_id = new_context(wire, f"delete-{sync_local_file}")
    put(wire, context_id, "gone.txt", b"gone")
    put(wire, context_id, "kept.txt", b"kept")
    policy = {"deletePolicy": {"syncLocalFile": sync_local_file}}
    session_id = create(wire, mount(context_id, policy=policy))
    (home(server, session_id) / "data" / "gone.txt").unlink()
    wire.ok("SyncContext", SessionId=session_id)
    expected = {"kept.txt": b"kept"} if sync_local_file else {"gone.txt": b"gone", "kept.txt": b"kept"}
    assert context_files(server, context_id) == expected


def test_auto_upload_off_keeps_the_context_as_it_was(wire: Wire, server: LocalServer) -> None:
    context_id = new_context(wire, "manual")
    session_id = create(wire, mount(context_id, policy={"uploadPolicy": {"autoUpload": False}}))
    (home(server, session_id) / "data" / "x.txt").write_bytes(b"x")
    wire.ok("ReleaseMcpSession", SessionId=session_id)
    assert context_files(server, context_id) == {}


def test_auto_download_off_leaves_the_session_empty(wire: Wire, server: LocalServer) -> None:
    context_id = new_context(wire, "lazy")
    put(wire, context_id, "x.txt", b"x")
    session_id = create(wire, mount(context_id, policy={"downloadPolicy": {"autoDownload": False}}))
    assert tasks(wire, session_id) == []
    assert not (home(server, session_id) / "data").exists()
    wire.ok("SyncContext", SessionId=session_id, Mode="download")
    assert (home(server, session_id) / "data" / "x.txt").read_bytes() == b"x"


# ---- failed tasks -------------------------------------------------------------------------------


def test_unknown_and_foreign_contexts_are_failed_tasks_not_failed_creates(wire: Wire) -> None:
    theirs = new_context(wire, "theirs", key=wire.other_key)
    unknown = "SdkCtx-0000000000000000"
    session_id = create(wire, mount(unknown, "/tmp/u"), mount(theirs, "/tmp/t"))
    items = {item["contextId"]: item for item in tasks(wire, session_id)}
    for context_id in (unknown, theirs):
        item = items[context_id]
        assert (item["status"], item["taskType"]) == ("Failed", "download")
        assert item["errorMessage"] == (
            f"Context {context_id} is not found (it does not exist, or belongs to another API key)"
        )
        assert item["finishTime"] >= item["startTime"] > 0


def test_a_download_blocked_by_a_file_fails_with_the_reason(wire: Wire, server: LocalServer) -> None:
    context_id = new_context(wire, "blocked")
    put(wire, context_id, "d/f.txt", b"f")
    put(wire, context_id, "ok.txt", b"ok")
    session_id = create(wire, mount(context_id, "/tmp/m"))
    root = session_root(server, session_id) / "tmp" / "m"
    shutil.rmtree(root / "d")
    (root / "d").write_bytes(b"in the way")
    wire.ok("SyncContext", SessionId=session_id, Mode="download")
    [item] = tasks(wire, session_id)
    assert item["status"] == "Failed"
    assert item["errorMessage"] == "Not a directory: /tmp/m/d/f.txt"
    assert (root / "ok.txt").read_bytes() == b"ok"
    # After that failure an upload does not delete d/f.txt, which the session lacks.
    wire.ok("SyncContext", SessionId=session_id, Mode="upload")
    assert fetch(wire, context_id, "d/f.txt") == b"f"


def test_a_mount_outside_the_session_holds_nothing(wire: Wire, server: LocalServer) -> None:
    """0.9.0 mounts its file-transfer context at /temp/file-transfer: an empty context is fine there,
    files fail with the reason, and nothing is ever deleted because of it."""
    context_id = new_context(wire, "outside")
    session_id = create(wire, mount(context_id, "/temp/file-transfer"))
    [item] = tasks(wire, session_id)
    assert (item["status"], item["errorMessage"]) == ("Success", "")
    put(wire, context_id, "kept.txt", b"kept")
    wire.ok("SyncContext", SessionId=session_id, Mode="download")
    [item] = tasks(wire, session_id, TaskType="download")
    assert item["status"] == "Failed"
    assert "/temp/file-transfer/kept.txt is outside the session" in item["errorMessage"]
    wire.ok("SyncContext", SessionId=session_id)  # an upload from nowhere
    assert tasks(wire, session_id, TaskType="upload")[0]["status"] == "Success"
    wire.ok("ReleaseMcpSession", SessionId=session_id)
    assert context_files(server, context_id) == {"kept.txt": b"kept"}


# ---- explicit paths (0.9.0's file transfer) -----------------------------------------------------


def test_a_path_under_no_mount_is_its_own_key(wire: Wire, server: LocalServer) -> None:
    """0.9.0 upload_file: PUT FilePath=/tmp/x/f.txt, SyncContext(download, Path=/tmp/x/f.txt), poll the
    task of exactly that path; download_file: the reverse."""
    context_id = new_context(wire, "file-transfer-context-1")
    session_id = create(wire, mount(context_id, "/temp/file-transfer"))
    put(wire, context_id, "/tmp/x/f.txt", b"payload")
    wire.ok("SyncContext", SessionId=session_id, ContextId=context_id, Path="/tmp/x/f.txt", Mode="download")
    [item] = tasks(wire, session_id, ContextId=context_id, Path="/tmp/x/f.txt", TaskType="download")
    assert (item["path"], item["status"], item["errorMessage"]) == ("/tmp/x/f.txt", "Success", "")
    assert (session_root(server, session_id) / "tmp" / "x" / "f.txt").read_bytes() == b"payload"

    (home(server, session_id) / "out.bin").write_bytes(b"\x00\xff")
    path = "/home/wuying/out.bin"
    wire.ok("SyncContext", SessionId=session_id, ContextId=context_id, Path=path, Mode="upload")
    [item] = tasks(wire, session_id, ContextId=context_id, Path=path, TaskType="upload")
    assert (item["status"], item["errorMessage"]) == ("Success", "")
    assert fetch(wire, context_id, path) == b"\x00\xff"


def test_a_path_under_a_mount_syncs_only_that_part(wire: Wire, server: LocalServer) -> None:
    context_id = new_context(wire, "part")
    session_id = create(wire, mount(context_id))
    write_tree(
        home(server, session_id) / "data", {"sub/a.txt": b"a", "sub/deeper/b.txt": b"b", "c.txt": b"c"}
    )
    wire.ok("SyncContext", SessionId=session_id, Path=f"{DATA}/sub")  # the context found by its mount
    assert context_files(server, context_id) == {"sub/a.txt": b"a", "sub/deeper/b.txt": b"b"}
    [item] = tasks(wire, session_id, Path=f"{DATA}/sub/")
    assert item["path"] == f"{DATA}/sub"


def test_explicit_paths_that_name_nothing_fail(wire: Wire) -> None:
    context_id = new_context(wire, "nothing")
    session_id = create(wire, mount(context_id, "/temp/file-transfer"))
    wire.ok("SyncContext", SessionId=session_id, ContextId=context_id, Path="/tmp/none", Mode="download")
    wire.ok("SyncContext", SessionId=session_id, ContextId=context_id, Path="/tmp/none", Mode="upload")
    by_type = {item["taskType"]: item for item in tasks(wire, session_id, Path="/tmp/none")}
    assert by_type["download"]["errorMessage"] == f"Context {context_id} has no file at /tmp/none"
    assert by_type["upload"]["errorMessage"] == "No such file or directory: /tmp/none"
    assert {item["status"] for item in by_type.values()} == {"Failed"}


# ---- GetContextInfo -----------------------------------------------------------------------------


def test_get_context_info_filters(wire: Wire) -> None:
    one, two = new_context(wire, "one"), new_context(wire, "two")
    session_id = create(wire, mount(one, "/tmp/one"), mount(two, "/tmp/two"))
    wire.ok("SyncContext", SessionId=session_id, ContextId=one)
    assert len(tasks(wire, session_id)) == 3
    assert {(i["contextId"], i["taskType"]) for i in tasks(wire, session_id, ContextId=one)} == {
        (one, "download"),
        (one, "upload"),
    }
    assert [i["contextId"] for i in tasks(wire, session_id, TaskType="upload")] == [one]
    assert [i["contextId"] for i in tasks(wire, session_id, Path="/tmp/two")] == [two]
    assert tasks(wire, session_id, ContextId=two, TaskType="upload") == []
    # A second sync of the same path replaces the first in the report.
    wire.ok("SyncContext", SessionId=session_id, ContextId=one)
    assert len(tasks(wire, session_id, ContextId=one, TaskType="upload")) == 1


def test_a_session_without_mounts_has_no_tasks_and_syncs_nothing(wire: Wire) -> None:
    """0.22.3's delete(sync_context=True) sends SyncContext for any session."""
    session_id = wire.create()
    wire.ok("SyncContext", SessionId=session_id)
    assert tasks(wire, session_id) == []


def test_tasks_are_the_callers(wire: Wire) -> None:
    session_id = wire.create()
    for action in ("GetContextInfo", "SyncContext"):
        body = wire.error(action, key=wire.other_key, SessionId=session_id)
        assert body["Code"] == "InvalidMcpSession.NotFound"
    wire.ok("ReleaseMcpSession", SessionId=session_id)
    assert wire.error("SyncContext", SessionId=session_id)["Code"] == "InvalidMcpSession.NotFound"


# ---- bad requests -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "code", "words"),
    [
        ({"Mode": "sideways"}, "InvalidParameter.Mode", "upload or download"),
        ({"Path": "relative/x"}, "InvalidParameter.Path", "absolute"),
        ({"Path": "/home/wuying/../../etc"}, "InvalidParameter.Path", "plain path"),
        ({"Path": "/home/elsewhere"}, "InvalidParameter.Path", "under no context mounted"),
        ({"ContextId": "SdkCtx-0000000000000000"}, "InvalidContext.NotFound", "Context"),
    ],
)
def test_bad_sync_requests(wire: Wire, form: dict[str, str], code: str, words: str) -> None:
    session_id = create(wire, mount(new_context(wire, "bad-sync")))
    body = wire.error("SyncContext", SessionId=session_id, **form)
    assert body["Code"] == code
    assert words in body["Message"]


def test_a_context_not_mounted_needs_a_path(wire: Wire) -> None:
    context_id = new_context(wire, "unmounted")
    session_id = wire.create()
    body = wire.error("SyncContext", SessionId=session_id, ContextId=context_id)
    assert body["Code"] == "InvalidParameter.ContextId"
    assert "not mounted in this session; give the Path" in body["Message"]


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ({"Path": "home/wuying/data"}, "absolute"),
        ({"Path": "/home/wuying/../x"}, "plain path"),
        ({"Path": DATA, "Policy": "{not json"}, "Policy is not valid JSON"),
        ({"Path": DATA, "Policy": '{"deletePolicy": {"syncLocalFile": "yes"}}'}, "true or false"),
        (
            {"Path": DATA, "Policy": '{"bwList": {"whiteLists": [{"path": "/a/../b"}]}}'},
            "relative to the mount",
        ),
        (
            {"Path": DATA, "Policy": '{"bwList": {"whiteLists": [{"path": "(", "isPathRegex": true}]}}'},
            "regular",
        ),
    ],
)
def test_bad_persistence_items_fail_the_create(wire: Wire, item: dict[str, str], words: str) -> None:
    context_id = new_context(wire, "bad-items")
    body = wire.error("CreateMcpSession", PersistenceDataList=json.dumps([{"ContextId": context_id, **item}]))
    assert body["Code"] == "InvalidParameter.PersistenceDataList"
    assert words in body["Message"]


def test_a_sync_while_one_runs_is_refused(wire: Wire, server: LocalServer) -> None:
    context_id = new_context(wire, "busy")
    session_id = create(wire, mount(context_id))
    running = Task(session_id, context_id, DATA, "upload", status=RUNNING)
    engine(server).tasks.add(running)
    try:
        body = check_error(wire.post("SyncContext", SessionId=session_id, ContextId=context_id), 409)
        assert body["Code"] == "SyncInProgress"
        assert body["Message"].startswith(f"An upload of context {context_id} at {DATA} is still running")
        [item] = tasks(wire, session_id, TaskType="upload")
        assert item["status"] == "Running"
        assert item["finishTime"] == 0
    finally:
        engine(server).tasks.finish(running)


# ---- symlinks and half-written files ------------------------------------------------------------


def test_links_are_never_followed(wire: Wire, server: LocalServer, tmp_path: Path) -> None:
    context_id = new_context(wire, "links")
    session_id = create(wire, mount(context_id))
    data = home(server, session_id) / "data"
    # On the host this link reaches <state_dir>/<context_id>.txt; in the session, /<context_id>.txt.
    secret = server.state_dir / f"{context_id}.txt"
    secret.write_bytes(b"host secret")
    (data / "leak.txt").symlink_to(f"../../../../../{context_id}.txt")
    assert (data / "leak.txt").read_bytes() == b"host secret"
    (data / "dir").symlink_to(tmp_path)
    (data / "real.txt").write_bytes(b"real")
    wire.ok("SyncContext", SessionId=session_id)
    assert context_files(server, context_id) == {"real.txt": b"real"}

    # A download over a link inside the session replaces the link, not what it points to; over a
    # link out of the session it fails, and the file out there is untouched.
    (data / "inside.txt").symlink_to(data / "real.txt")
    put(wire, context_id, "inside.txt", b"replaced")
    put(wire, context_id, "leak.txt", b"from the context")
    wire.ok("SyncContext", SessionId=session_id, Mode="download")
    assert not (data / "inside.txt").is_symlink()
    assert (data / "inside.txt").read_bytes() == b"replaced"
    assert (data / "real.txt").read_bytes() == b"real"
    [item] = tasks(wire, session_id, TaskType="download")
    assert item["status"] == "Failed"
    assert (
        item["errorMessage"]
        == f"{DATA}/leak.txt is outside the session (a local session has /home/wuying and /tmp)"
    )
    assert secret.read_bytes() == b"host secret"


def test_a_release_that_runs_out_of_time_leaves_nothing_half_written(
    own_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with httpx.Client(base_url=own_server.endpoint, timeout=30) as client:
        wire = Wire(client)
        context_id = new_context(wire, "slow")
        session_id = create(wire, mount(context_id))
        (home(own_server, session_id) / "data" / "big.bin").write_bytes(os.urandom(1 << 20))
        sync = engine(own_server)
        sync.release_timeout_s = 0.0  # every upload is cancelled before it lands
        wire.ok("ReleaseMcpSession", SessionId=session_id)
        context_dir = own_server.state_dir / "contexts" / context_id
        assert tree(context_dir) == {}
        assert not session_root(own_server, session_id).exists()


def test_a_cancelled_copy_leaves_no_temporary_file(tmp_path: Path) -> None:
    """The copy stops at the next chunk when its task is cancelled; what it wrote goes."""
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(1000))
    cancel = threading.Event()
    cancel.set()
    files_dir, tmp_dir = tmp_path / "ctx" / "files", tmp_path / "ctx" / "tmp"
    with open(source, "rb") as src, pytest.raises(Cancelled):
        put_object(files_dir, tmp_dir, "a/b.bin", src.fileno(), os.fstat(src.fileno()), cancel)
    assert list(tmp_dir.iterdir()) == []
    assert not (files_dir / "a" / "b.bin").exists()

    session = tmp_path / "session"
    fs = SessionFS.open(session)
    with pytest.raises(Cancelled):
        _write_session_file(fs, "/home/wuying/d/f.bin", source, source.stat(), cancel)
    assert list((session / "home" / "wuying" / "d").iterdir()) == []


def test_a_missing_mount_folder_deletes_nothing(wire: Wire, server: LocalServer) -> None:
    """A session whose mount folder is gone uploads nothing and deletes nothing (the folder may never
    have been there; an explicit Path that names it under syncLocalFile would)."""
    context_id = new_context(wire, "vanished")
    put(wire, context_id, "keep.txt", b"keep")
    session_id = create(wire, mount(context_id))
    shutil.rmtree(home(server, session_id) / "data")
    wire.ok("SyncContext", SessionId=session_id)
    wire.ok("ReleaseMcpSession", SessionId=session_id)
    assert context_files(server, context_id) == {"keep.txt": b"keep"}


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [
        ("GetContextInfo", "ContextId", ""),
        ("GetContextInfo", "Path", ""),
        ("GetContextInfo", "TaskType", "sideways"),
        ("SyncContext", "ContextId", ""),
        ("SyncContext", "Path", ""),
    ],
)
def test_an_empty_or_unknown_filter_is_refused_not_widened(
    wire: Wire, action: str, field: str, value: str
) -> None:
    """An empty ContextId must not mean "every context" (the fuzzer found GetContextInfo accepting it)."""
    session_id = wire.create()
    assert wire.error(action, SessionId=session_id, **{field: value})["Code"] == f"InvalidParameter.{field}"
