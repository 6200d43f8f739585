"""File transfers end to end on the local server, sync and async: the tool path (pipelined reads) and
the URL path (the session's file-transfer context, presigned URLs, SyncContext), byte for byte."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from agentbay import ContextSyncError, NoSuchFileError

FIVE_MIB = 5 * 1024 * 1024


def transfer_contexts(live: Any, session: Any) -> list[str]:
    return [c.name for c in live.context.list_all() if c.name == f"file-transfer-{session.session_id}"]


@pytest.mark.parametrize("via", ["tool", "url"])
def test_a_5_mib_binary_round_trip_byte_for_byte(live: Any, session: Any, tmp_path: Path, via: str) -> None:
    data = os.urandom(FIVE_MIB)
    (tmp_path / "up.bin").write_bytes(data)
    fs = session.file_system
    steps: list[tuple[int, int]] = []
    up = fs.upload_file(
        tmp_path / "up.bin", "/tmp/blob.bin", via=via, progress=lambda d, t: steps.append((d, t))
    )
    assert up.success, up.error_message
    assert up.size == FIVE_MIB and steps[-1] == (FIVE_MIB, FIVE_MIB)
    steps.clear()
    down = fs.download_file(
        "/tmp/blob.bin", tmp_path / "down.bin", via=via, progress=lambda d, t: steps.append((d, t))
    )
    assert down.success, down.error_message
    assert (tmp_path / "down.bin").read_bytes() == data and steps[-1] == (FIVE_MIB, FIVE_MIB)
    # The other path sees the same bytes: the transfer really landed in the session.
    other = "url" if via == "tool" else "tool"
    assert fs.download_file("/tmp/blob.bin", tmp_path / "other.bin", via=other).success
    assert (tmp_path / "other.bin").read_bytes() == data
    assert bool(transfer_contexts(live, session)) is True  # the URL path was used one way or the other


def test_auto_takes_the_url_for_big_files_only(live: Any, session: Any, tmp_path: Path) -> None:
    fs = session.file_system
    (tmp_path / "small.txt").write_text("héllo\n" * 1000)
    assert fs.upload_file(tmp_path / "small.txt", "/home/wuying/small.txt").success
    assert fs.download_file("/home/wuying/small.txt", tmp_path / "small.back").success
    assert (tmp_path / "small.back").read_bytes() == (tmp_path / "small.txt").read_bytes()
    assert transfer_contexts(live, session) == []  # no context was needed
    text = ("ünïcode line\n" * 100_000).encode()
    (tmp_path / "big.txt").write_bytes(text)
    assert fs.upload_file(tmp_path / "big.txt", "/home/wuying/big.txt").success
    assert transfer_contexts(live, session) == [f"file-transfer-{session.session_id}"]
    assert fs.read_file("/home/wuying/big.txt").content.encode() == text  # exact text
    assert fs.download_file("/home/wuying/big.txt", tmp_path / "big.back").success
    assert (tmp_path / "big.back").read_bytes() == text


def test_empty_files_and_overwrites_through_the_url(session: Any, tmp_path: Path) -> None:
    fs = session.file_system
    (tmp_path / "empty").write_bytes(b"")
    assert fs.upload_file(tmp_path / "empty", "/tmp/e", via="url").success
    assert fs.get_file_info("/tmp/e").file_info.size == 0
    assert fs.download_file("/tmp/e", tmp_path / "e.back", via="url").success
    assert (tmp_path / "e.back").read_bytes() == b""
    # The session's file changed by a tool: the next URL download has the new bytes, not the old copy.
    fs.write_file("/tmp/e", b"changed")
    assert fs.download_file("/tmp/e", tmp_path / "e.back", via="url").success
    assert (tmp_path / "e.back").read_bytes() == b"changed"


def test_a_missing_file_fails_with_no_partial_file(session: Any, tmp_path: Path) -> None:
    result = session.file_system.download_file("/tmp/none.bin", tmp_path / "none.bin", via="url")
    assert isinstance(result.error, NoSuchFileError) and list(tmp_path.iterdir()) == []


def test_a_failed_sync_task_is_a_context_sync_error(session: Any, tmp_path: Path) -> None:
    fs = session.file_system
    assert fs.create_directory("/tmp/in-the-way").success
    (tmp_path / "up.bin").write_bytes(os.urandom(2 * 1024 * 1024))
    result = fs.upload_file(tmp_path / "up.bin", "/tmp/in-the-way", via="url")  # a directory is there
    assert not result.success and isinstance(result.error, ContextSyncError)
    assert result.error.task_type == "download" and result.error.reason
    assert fs.get_file_info("/tmp/in-the-way").file_info.is_directory  # left as it was


def test_the_transfer_context_goes_with_the_session(live: Any, tmp_path: Path) -> None:
    session = live.create().unwrap()
    assert session.file_system.upload_file(Path(__file__), "/tmp/me.py", via="url").success
    assert transfer_contexts(live, session) == [f"file-transfer-{session.session_id}"]
    assert session.delete().success
    assert transfer_contexts(live, session) == []
