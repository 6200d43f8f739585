"""Contexts in sessions end to end against the local server, in both flavours: a context mounted at
create (downloaded before create returns), `session.context.info` / `sync` both ways, and
`delete(sync_context=True)`; a tree of files that outlives its session, byte for byte."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from agentbay import (
    BWList,
    Context,
    ContextSync,
    ContextSyncError,
    CreateSessionParams,
    DeletePolicy,
    SyncPolicy,
    WhiteList,
)

MOUNT = "/home/wuying/data"
# Every kind of entry: nested folders, an empty file, unicode names, a 5 MiB binary file.
TREE = (
    "mkdir -p nested/deep/er 'ünïcødé dir' && printf 'hello\\n' > a.txt && printf deep > nested/deep/er/b.txt"
    " && : > empty.txt && printf 'ok' > 'ünïcødé dir/名前 ✓.txt'"
    " && head -c 5242880 /dev/urandom > big.bin"
)
# Every file under the current folder with its size and digest, one per line, sorted.
LISTING = "find . -type f -print0 | sort -z | xargs -0 sha256sum && find . -type f -printf '%s %p\\n' | sort"


@pytest.fixture
def context(live: Any) -> Iterator[Context]:
    made = live.context.create(f"sync-{uuid.uuid4().hex[:12]}").unwrap()
    yield made
    live.context.delete(made)


def mounted(live: Any, context: Context, policy: SyncPolicy | None = None, path: str = MOUNT) -> Any:
    """A session with `context` at `path`; create has downloaded it when this returns."""
    params = CreateSessionParams(context_syncs=[ContextSync.new(context.id, path, policy or SyncPolicy())])
    result = live.create(params)
    assert result.success, result.error_message
    return result.session


def names(live: Any, context: Context, folder: str) -> set[str]:
    """The names of the files and folders in a folder of the context."""
    listed = live.context.list_files(context.id, folder)
    assert listed.success, listed.error_message
    return {entry.file_name for entry in listed.entries}


def run(session: Any, command: str, cwd: str = MOUNT) -> str:
    result = session.command.execute_command(command, cwd=cwd)
    assert result.success, result.error_message
    return str(result.stdout)


def test_a_tree_outlives_its_session_byte_for_byte(live: Any, context: Context) -> None:
    first = mounted(live, context)
    (download,) = first.context.info().context_status_data
    assert (download.context_id, download.path, download.task_type, download.status) == (
        context.id,
        MOUNT,
        "download",
        "Success",
    )
    run(first, TREE)
    before = run(first, LISTING)
    deleted = first.delete(sync_context=True)
    assert deleted.success, deleted.error_message
    assert first.deleted
    with mounted(live, context) as second:
        assert run(second, LISTING) == before
        assert "5242880 ./big.bin" in before and "0 ./empty.txt" in before and "名前 ✓.txt" in before
        assert second.file_system.read_file(f"{MOUNT}/ünïcødé dir/名前 ✓.txt").content == "ok"


def test_sync_up_and_down_while_the_session_runs(live: Any, context: Context) -> None:
    with mounted(live, context) as session:
        session.file_system.write_file(f"{MOUNT}/up.txt", "from the session")
        synced = session.context.sync(context.id, MOUNT, "upload")
        assert synced.success, synced.error_message
        assert [(t.task_type, t.status) for t in synced.tasks] == [("upload", "Success")]
        url = live.context.get_file_download_url(context.id, "up.txt").url
        assert httpx.get(url, timeout=30).content == b"from the session"

        url = live.context.get_file_upload_url(context.id, "down/new.txt").url
        assert httpx.put(url, content=b"from the context", timeout=30).status_code in (200, 201)
        synced = session.context.sync(mode="download")
        assert synced.success, synced.error_message
        assert {t.task_type for t in synced.tasks} == {"download"}
        assert session.file_system.read_file(f"{MOUNT}/down/new.txt").content == "from the context"

        uploads = session.context.info(context.id, MOUNT, "upload").context_status_data
        assert [t.task_type for t in uploads] == ["upload"] and uploads[0].finish_time >= uploads[
            0
        ].start_time


def test_sync_without_waiting(live: Any, context: Context) -> None:
    with mounted(live, context) as session:
        session.file_system.write_file(f"{MOUNT}/later.txt", "x")
        started = session.context.sync(wait=False)
        assert started.success and started.tasks == []
        # The task is there; a waited sync after it sees it done (or runs again).
        assert session.context.info(task_type="upload").context_status_data
        for _ in range(100):
            if all(t.done for t in session.context.info().context_status_data):
                break
        assert live.context.get_file_download_url(context.id, "later.txt").success


def test_deleting_through_the_client_uploads_first(live: Any, context: Context) -> None:
    session = mounted(live, context)
    session.file_system.write_file(f"{MOUNT}/kept.txt", "kept")
    assert live.delete(session, sync_context=True).success
    url = live.context.get_file_download_url(context.id, "kept.txt").url
    assert httpx.get(url, timeout=30).content == b"kept"


def test_delete_with_sync_of_a_session_without_contexts(live: Any) -> None:
    session = live.create().unwrap()
    assert session.delete(sync_context=True).success and session.deleted


def test_an_unknown_context_fails_create_and_leaves_the_session_to_delete(live: Any) -> None:
    params = CreateSessionParams(context_syncs=[ContextSync.new("SdkCtx-0000000000000000", MOUNT)])
    result = live.create(params)
    assert not result.success
    error = result.error
    assert isinstance(error, ContextSyncError)
    assert (error.context_id, error.path, error.task_type) == ("SdkCtx-0000000000000000", MOUNT, "download")
    assert error.reason and error.reason in result.error_message
    with pytest.raises(ContextSyncError):
        result.unwrap()
    assert result.session is not None
    assert result.session.delete().success


def test_white_lists_and_deletions(live: Any, context: Context) -> None:
    keep_only = SyncPolicy(bw_list=BWList([WhiteList(path="/keep", exclude_paths=["/keep/tmp"])]))
    with mounted(live, context, keep_only) as session:
        run(session, "mkdir -p keep/tmp other && echo k > keep/a && echo t > keep/tmp/t && echo o > other/o")
        assert session.context.sync().success
    assert names(live, context, "/") == {"keep"}
    assert names(live, context, "/keep") == {"a"}

    # Deleting a file in the session deletes it from the context on upload (deletePolicy.syncLocalFile),
    # unless the policy says otherwise.
    keeps = SyncPolicy(delete_policy=DeletePolicy(sync_local_file=False))
    with mounted(live, context, keeps) as session:
        run(session, "rm keep/a")
        assert session.context.sync().success
    assert names(live, context, "/keep") == {"a"}
    with mounted(live, context) as session:
        assert run(session, "cat keep/a") == "k\n"
        run(session, "rm keep/a")
        assert session.context.sync().success
    assert names(live, context, "/keep") == set()
