"""GetAndLoadInternalContext at the wire level (agentbay_local/contexts/_internal.py): a session's
file-transfer context, made once, owned by the session's key, used as 0.22.3 uses it (URL, PUT,
SyncContext by path, GetContextInfo, and back), and deleted with the session."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import httpx

from agentbay_local import LocalServer

from ._wire import Wire, check_error


def internal(wire: Wire, session_id: str, **form: str) -> list[dict[str, Any]]:
    form.setdefault("ContextTypes.1", "file_transfer")  # as 0.22.3 sends the list ["file_transfer"]
    data: list[dict[str, Any]] = wire.ok("GetAndLoadInternalContext", SessionId=session_id, **form)["Data"]
    return data


def context_names(wire: Wire) -> list[str]:
    return [c["Name"] for c in wire.ok("ListContexts", MaxResults="100")["Data"]]


def tasks(wire: Wire, session_id: str, **filters: str) -> list[dict[str, Any]]:
    text = wire.ok("GetContextInfo", SessionId=session_id, **filters)["Data"]["ContextStatus"]
    return [item for entry in json.loads(text or "[]") for item in json.loads(entry["data"])]


def test_one_file_transfer_context_per_session_made_once(wire: Wire) -> None:
    session_id = wire.create()
    first = internal(wire, session_id)
    assert len(first) == 1
    item = first[0]
    assert item["ContextType"] == "file_transfer" and item["ContextPath"] == "/tmp/file-transfer"
    assert item["ContextId"].startswith("SdkCtx-")
    assert internal(wire, session_id) == first  # the same context again
    other = wire.create()
    assert internal(wire, other)[0]["ContextId"] != item["ContextId"]  # each session its own
    # An ordinary context of the key: its files can be listed like any other's.
    wire.ok("DescribeContextFiles", ContextId=item["ContextId"], ParentFolderPath="/")


def test_no_context_types_means_every_known_one(wire: Wire) -> None:
    session_id = wire.create()
    data = wire.ok("GetAndLoadInternalContext", SessionId=session_id)["Data"]
    assert [d["ContextType"] for d in data] == ["file_transfer"]


def test_bad_requests(wire: Wire) -> None:
    session_id = wire.create()
    assert wire.error("GetAndLoadInternalContext")["Code"] == "MissingParameter.SessionId"
    body = wire.error("GetAndLoadInternalContext", SessionId=session_id, **{"ContextTypes.1": "browser"})
    assert body["Code"] == "InvalidParameter.ContextTypes" and "browser" in body["Message"]
    unknown = wire.error("GetAndLoadInternalContext", SessionId="session-00000000000000000000")
    assert unknown["Code"] == "InvalidMcpSession.NotFound"
    # Another key's session is not found either, and gets no context.
    foreign = wire.error("GetAndLoadInternalContext", SessionId=session_id, key=wire.other_key)
    assert foreign["Code"] == "InvalidMcpSession.NotFound"


def test_a_file_goes_up_and_down_as_0_22_3_moves_it(wire: Wire, server: LocalServer) -> None:
    session_id = wire.create()
    context_id = internal(wire, session_id)[0]["ContextId"]
    data = os.urandom(300_000)
    remote = "/tmp/up/ü file.bin"
    url = wire.ok("GetContextFileUploadUrl", ContextId=context_id, FilePath=remote)["Data"]["Url"]
    assert httpx.put(url, content=data).status_code in (200, 201)
    wire.ok("SyncContext", SessionId=session_id, ContextId=context_id, Path=remote, Mode="download")
    [task] = tasks(wire, session_id, ContextId=context_id, Path=remote, TaskType="download")
    assert task["status"] == "Success" and task["path"] == remote
    session_file = Path(server.state_dir) / "sessions" / session_id / "tmp" / "up" / "ü file.bin"
    assert session_file.read_bytes() == data
    # Changed in the session, then fetched back.
    session_file.write_bytes(data[::-1])
    wire.ok("SyncContext", SessionId=session_id, ContextId=context_id, Path=remote, Mode="upload")
    [task] = tasks(wire, session_id, ContextId=context_id, Path=remote, TaskType="upload")
    assert task["status"] == "Success"
    url = wire.ok("GetContextFileDownloadUrl", ContextId=context_id, FilePath=remote)["Data"]["Url"]
    assert httpx.get(url).content == data[::-1]


def test_the_context_goes_with_its_session(wire: Wire, server: LocalServer) -> None:
    kept, released = wire.create(), wire.create()
    kept_id = internal(wire, kept)[0]["ContextId"]
    gone_id = internal(wire, released)[0]["ContextId"]
    url = wire.ok("GetContextFileUploadUrl", ContextId=gone_id, FilePath="/tmp/a.bin")["Data"]["Url"]
    assert httpx.put(url, content=b"abc").status_code in (200, 201)
    assert f"file-transfer-{released}" in context_names(wire)
    wire.ok("DeleteSessionAsync", SessionId=released)  # 0.22.3's name of the release
    assert context_names(wire) == [f"file-transfer-{kept}"]
    assert not (Path(server.state_dir) / "contexts" / gone_id).exists()
    assert httpx.put(url, content=b"abc").status_code == 403  # its URLs went too
    check_error(wire.post("DescribeContextFiles", ContextId=gone_id, ParentFolderPath="/"), 400)
    wire.ok("ReleaseMcpSession", SessionId=kept)
    assert context_names(wire) == []
    assert kept_id not in os.listdir(Path(server.state_dir) / "contexts")


def test_contexts_of_sessions_gone_while_the_server_was_down_are_removed(state_dir: Path) -> None:
    key = "akm-internal-restart"
    with LocalServer(state_dir, api_keys=[key]) as server, httpx.Client(base_url=server.endpoint) as client:
        wire = Wire(client, key)
        gone = wire.create()
        internal(wire, gone)
    # As after a crash between a release and the deletion: the session's row says it is gone.
    with sqlite3.connect(state_dir / "agentbay.db") as db:
        db.execute("UPDATE sessions SET status = 'FINISH' WHERE id = ?", (gone,))
    with LocalServer(state_dir, api_keys=[key]) as server, httpx.Client(base_url=server.endpoint) as client:
        wire = Wire(client, key)
        assert context_names(wire) == [f"file-transfer-{gone}"]
        session_id = wire.create()
        internal(wire, session_id)  # any later call of the key removes it
        assert context_names(wire) == [f"file-transfer-{session_id}"]


def test_a_staging_context_links_files_where_a_user_context_copies(wire: Wire, server: LocalServer) -> None:
    """The file-transfer context only passes files through: a sync links them (no bytes copied, a
    64 MiB transfer no longer pays for a copy). A user's context keeps copies of its own."""
    session_id = wire.create()
    staging = internal(wire, session_id)[0]["ContextId"]
    mine = wire.ok("GetContext", Name="mine", AllowCreate="true")["Data"]["Id"]
    for context_id, remote in ((staging, "/tmp/staged.bin"), (mine, "/tmp/mine.bin")):
        url = wire.ok("GetContextFileUploadUrl", ContextId=context_id, FilePath=remote)["Data"]["Url"]
        assert httpx.put(url, content=b"x" * 1000).status_code in (200, 201)
        wire.ok("SyncContext", SessionId=session_id, ContextId=context_id, Path=remote, Mode="download")
    session_tmp = Path(server.state_dir) / "sessions" / session_id / "tmp"
    contexts = Path(server.state_dir) / "contexts"
    staged, copied = (session_tmp / "staged.bin").stat(), (session_tmp / "mine.bin").stat()
    assert staged.st_ino == (contexts / staging / "files" / "tmp" / "staged.bin").stat().st_ino
    assert copied.st_ino != (contexts / mine / "files" / "tmp" / "mine.bin").stat().st_ino
    assert staged.st_mode & 0o777 == copied.st_mode & 0o777 == 0o644
    # And the other way: a session file synced into the staging context is linked too.
    (session_tmp / "out.bin").write_bytes(b"y" * 1000)
    wire.ok("SyncContext", SessionId=session_id, ContextId=staging, Path="/tmp/out.bin", Mode="upload")
    assert (session_tmp / "out.bin").stat().st_ino == (
        contexts / staging / "files" / "tmp" / "out.bin"
    ).stat().st_ino
