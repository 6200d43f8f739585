"""`agentbay fs ls|cat|put|get|rm|mkdir` in-process: bytes, both transfer paths, stdin and stdout as `-`,
exit codes, -o json, and what an interrupted transfer leaves (Ctrl-C raised from the progress callback;
tests/cli/test_transfers_e2e.py sends a real SIGINT to the installed program)."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agentbay import AgentBay, FileSystem
from agentbay.cli import _fs

from .conftest import Run

CLI = Callable[..., Run]
MiB = 1024 * 1024


@pytest.fixture
def files(bay: AgentBay, session_id: str) -> FileSystem:
    """The session's files through the SDK, to set up and check what the commands did."""
    return bay.get(session_id).unwrap().file_system


def remote(files: FileSystem, path: str) -> bytes:
    result = files.read_file(path, format="bytes")
    result.raise_for_error()
    return result.content


def names(files: FileSystem, path: str) -> list[str]:
    listed = files.list_directory(path)
    listed.raise_for_error()
    return [entry.name for entry in listed.entries]


@pytest.fixture
def paths_taken(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """ "url" or "tool" for each upload and download, in order, as the SDK really moved the bytes."""
    taken: list[str] = []
    upload, by_url = FileSystem.upload_file, FileSystem._download_by_url

    def upload_file(self: FileSystem, *args: Any, **kwargs: Any) -> Any:
        taken.append(kwargs["via"])  # the command always says which
        return upload(self, *args, **kwargs)

    def download_file(self: FileSystem, *args: Any, **kwargs: Any) -> Any:
        taken.append("download")
        return download(self, *args, **kwargs)

    def download_by_url(self: FileSystem, *args: Any, **kwargs: Any) -> Any:
        taken[-1] = "url"
        return by_url(self, *args, **kwargs)

    download = FileSystem.download_file
    monkeypatch.setattr(FileSystem, "upload_file", upload_file)
    monkeypatch.setattr(FileSystem, "download_file", download_file)
    monkeypatch.setattr(FileSystem, "_download_by_url", download_by_url)
    return taken


def downloaded_by(taken: list[str]) -> list[str]:
    return ["tool" if t == "download" else t for t in taken]


@pytest.fixture
def interrupt_after(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """`interrupt_after(n)`: the next transfer is interrupted (KeyboardInterrupt, as Ctrl-C raises)
    once `n` bytes have moved, from inside the SDK's progress callback."""

    def arm(limit: int) -> None:
        @contextlib.contextmanager
        def progress(description: str, *, quiet: bool = False) -> Iterator[Callable[[int, int], None]]:
            def update(done: int, total: int) -> None:
                if done >= limit:
                    raise KeyboardInterrupt

            yield update

        monkeypatch.setattr(_fs, "transfer_progress", progress)

    return arm


def assert_interrupted(ran: Run) -> None:
    assert ran.code == 130
    assert ran.err.strip() == "agentbay: interrupted"
    assert ran.out == ""


# ---- ls ------------------------------------------------------------------------------------------


@pytest.fixture
def tree(files: FileSystem) -> str:
    files.create_directory("/tmp/t/sub").raise_for_error()
    files.write_file("/tmp/t/a.txt", "hello\n").raise_for_error()
    files.write_file("/tmp/t/b.bin", b"\0" * 1000).raise_for_error()
    return "/tmp/t"


def test_ls_lists_names_and_types(cli: CLI, session_id: str, tree: str) -> None:
    ran = cli("fs", "ls", session_id, tree)
    assert ran.code == 0, ran.err
    lines = [line.split() for line in ran.out.splitlines()]
    assert lines == [["NAME", "TYPE"], ["a.txt", "file"], ["b.bin", "file"], ["sub", "dir"]]


def test_ls_long_adds_size_and_time(cli: CLI, session_id: str, tree: str) -> None:
    ran = cli("fs", "ls", session_id, tree, "-l")
    assert ran.code == 0, ran.err
    header, *rows = [line.split() for line in ran.out.splitlines()]
    assert header == ["NAME", "TYPE", "SIZE", "MODIFIED"]
    assert [row[:3] for row in rows[:2]] == [["a.txt", "file", "6"], ["b.bin", "file", "1000"]]
    assert rows[2][:2] == ["sub", "dir"]
    assert all(row[3][:2] == "20" and "T" in row[3] for row in rows)  # ISO 8601


def test_ls_json(cli: CLI, session_id: str, tree: str) -> None:
    short = cli("fs", "ls", session_id, tree, "-o", "json").json()
    assert short == [
        {"name": "a.txt", "type": "file", "size": None, "modified": None},
        {"name": "b.bin", "type": "file", "size": None, "modified": None},
        {"name": "sub", "type": "dir", "size": None, "modified": None},
    ]
    long = cli("fs", "ls", "-l", session_id, tree, "-o", "json").json()
    assert [(e["name"], e["size"]) for e in long[:2]] == [("a.txt", 6), ("b.bin", 1000)]
    assert all(isinstance(e["modified"], str) for e in long)


def test_ls_an_empty_directory(cli: CLI, session_id: str, files: FileSystem) -> None:
    files.create_directory("/tmp/empty").raise_for_error()
    assert cli("fs", "ls", session_id, "/tmp/empty", "-o", "json").json() == []
    assert cli("fs", "ls", session_id, "/tmp/empty").out == "NAME  TYPE\n"


def test_ls_a_file_shows_the_file(cli: CLI, session_id: str, tree: str) -> None:
    ran = cli("fs", "ls", session_id, f"{tree}/a.txt", "-o", "json")
    assert ran.code == 0, ran.err
    [entry] = ran.json()
    assert (entry["name"], entry["type"], entry["size"]) == ("a.txt", "file", 6)


def test_ls_a_missing_path_exits_4(cli: CLI, session_id: str) -> None:
    ran = cli("fs", "ls", session_id, "/tmp/nothing-here")
    assert ran.code == 4
    assert ran.err.startswith("agentbay: NoSuchFileError: ") and ran.err.count("\n") == 1


def test_a_missing_session_exits_4(cli: CLI) -> None:
    assert cli("fs", "ls", "session-does-not-exist", "/tmp").code == 4


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("Tue Dec 01 2026 10:01:03 GMT+0000", "2026-12-01T10:01:03+00:00"),
        ("Tue Dec 01 2026 18:01:03 GMT+0800 (China Standard Time)", "2026-12-01T18:01:03+08:00"),
        ("2026-12-01 10:01", "2026-12-01 10:01"),  # not recognised: kept
        ("", None),
    ],
)
def test_js_date_to_iso(value: str, iso: str | None) -> None:
    assert _fs.js_date_to_iso(value) == iso


# ---- cat -----------------------------------------------------------------------------------------


def test_cat_prints_the_exact_bytes(cli: CLI, session_id: str, files: FileSystem) -> None:
    data = bytes(range(256)) * 600 + "héllo\r\n".encode()
    files.write_file("/tmp/x.bin", data).raise_for_error()
    ran = cli("fs", "cat", session_id, "/tmp/x.bin")
    assert ran.code == 0, ran.err
    assert ran.out_bytes == data
    assert ran.err == ""


def test_cat_several_files_goes_on_past_a_missing_one(cli: CLI, session_id: str, files: FileSystem) -> None:
    files.write_file("/tmp/a", "A\n").raise_for_error()
    files.write_file("/tmp/b", "B\n").raise_for_error()
    ran = cli("fs", "cat", session_id, "/tmp/a", "/tmp/missing", "/tmp/b")
    assert ran.code == 4
    assert ran.out == "A\nB\n"
    assert ran.err.count("\n") == 1 and "NoSuchFileError" in ran.err and "/tmp/missing" in ran.err


def test_cat_json(cli: CLI, session_id: str, files: FileSystem) -> None:
    files.write_file("/tmp/t.txt", "héllo").raise_for_error()
    files.write_file("/tmp/b.bin", b"\xff\x00").raise_for_error()
    assert cli("fs", "cat", session_id, "/tmp/t.txt", "/tmp/b.bin", "-o", "json").json() == [
        {"path": "/tmp/t.txt", "size": 6, "encoding": "utf-8", "content": "héllo"},
        {"path": "/tmp/b.bin", "size": 2, "encoding": "base64", "content": "/wA="},
    ]


def test_cat_needs_a_path(cli: CLI, session_id: str) -> None:
    assert cli("fs", "cat", session_id).code == 2


# ---- put -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "path"), [(100_000, "tool"), (MiB + 1, "url"), (0, "tool")])
def test_put_copies_the_file(
    cli: CLI, session_id: str, files: FileSystem, tmp_path: Path, paths_taken: list[str], size: int, path: str
) -> None:
    data = os.urandom(size)
    (tmp_path / "f.bin").write_bytes(data)
    ran = cli("fs", "put", session_id, str(tmp_path / "f.bin"), "/tmp/up/f.bin")
    assert ran.code == 0, ran.err
    assert (ran.out, ran.err) == ("", "")  # no bar when stderr is not a terminal, nothing on stdout
    assert paths_taken == [path]
    assert remote(files, "/tmp/up/f.bin") == data
    assert names(files, "/tmp/up") == ["f.bin"]  # no hidden part file left


@pytest.mark.parametrize("size", [10, 2 * MiB])
def test_put_replaces_an_existing_file(
    cli: CLI, session_id: str, files: FileSystem, tmp_path: Path, size: int
) -> None:
    files.write_file("/tmp/f.bin", b"old" * 100_000).raise_for_error()
    data = os.urandom(size)
    (tmp_path / "f.bin").write_bytes(data)
    assert cli("fs", "put", session_id, str(tmp_path / "f.bin"), "/tmp/f.bin").code == 0
    assert remote(files, "/tmp/f.bin") == data


def test_put_a_relative_path_takes_the_tool_path(
    cli: CLI, session_id: str, files: FileSystem, tmp_path: Path, paths_taken: list[str]
) -> None:
    # The URL path's sync names an absolute path: a big file to a relative one still goes by tools.
    data = os.urandom(MiB + 10)
    (tmp_path / "f.bin").write_bytes(data)
    assert cli("fs", "put", session_id, str(tmp_path / "f.bin"), "rel.bin").code == 0
    assert paths_taken == ["tool"]
    assert remote(files, "/home/wuying/rel.bin") == data


@pytest.mark.parametrize("remote_dir", ["/tmp/into", "/tmp/into/"])
def test_put_into_a_directory_keeps_the_name(
    cli: CLI, session_id: str, files: FileSystem, tmp_path: Path, remote_dir: str
) -> None:
    files.create_directory("/tmp/into").raise_for_error()
    (tmp_path / "report.txt").write_text("r\n")
    ran = cli("fs", "put", session_id, str(tmp_path / "report.txt"), remote_dir, "-o", "json")
    assert ran.code == 0, ran.err
    assert ran.json()["remote"] == "/tmp/into/report.txt"
    assert remote(files, "/tmp/into/report.txt") == b"r\n"


@pytest.mark.parametrize(("size", "path"), [(5000, "tool"), (2 * MiB + 3, "url")])
def test_put_stdin(
    cli: CLI, session_id: str, files: FileSystem, paths_taken: list[str], size: int, path: str
) -> None:
    # Longer than 1 MiB, stdin is spooled to a temporary file so its size is known: the URL path.
    data = os.urandom(size)
    ran = cli("fs", "put", session_id, "-", "/tmp/in.bin", input=data)
    assert ran.code == 0, ran.err
    assert paths_taken == [path]
    assert remote(files, "/tmp/in.bin") == data


def test_put_stdin_into_a_directory_needs_a_name(cli: CLI, session_id: str) -> None:
    ran = cli("fs", "put", session_id, "-", "/tmp/", input=b"x")
    assert ran.code == 2
    assert "file's name" in ran.err


def test_put_json(cli: CLI, session_id: str, tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"12345")
    document = cli("fs", "put", session_id, str(tmp_path / "f"), "/tmp/f", "-o", "json").json()
    assert set(document) == {"local", "remote", "size", "request_id"}
    assert (document["local"], document["remote"], document["size"]) == (str(tmp_path / "f"), "/tmp/f", 5)
    assert document["request_id"]


def test_put_a_missing_local_file_exits_2_with_one_line(
    cli: CLI, session_id: str, tmp_path: Path, files: FileSystem
) -> None:
    ran = cli("fs", "put", session_id, str(tmp_path / "nope"), "/tmp/nope")
    assert ran.code == 2
    assert ran.err == f"agentbay: InvalidInputError: No such local file: {tmp_path / 'nope'}\n"
    assert files.get_file_info("/tmp/nope").error is not None


def test_put_a_local_directory_exits_2(cli: CLI, session_id: str, tmp_path: Path) -> None:
    ran = cli("fs", "put", session_id, str(tmp_path), "/tmp/x")
    assert ran.code == 2
    assert "is a directory" in ran.err


def test_put_checks_the_local_file_before_the_session(cli: CLI, tmp_path: Path) -> None:
    assert cli("fs", "put", "session-does-not-exist", str(tmp_path / "nope"), "/tmp/x").code == 2
    (tmp_path / "f").write_bytes(b"x")
    assert cli("fs", "put", "session-does-not-exist", str(tmp_path / "f"), "/tmp/x").code == 4


# ---- get -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "path"), [(100_000, "tool"), (MiB, "url"), (0, "tool")])
def test_get_copies_the_file(
    cli: CLI, session_id: str, files: FileSystem, tmp_path: Path, paths_taken: list[str], size: int, path: str
) -> None:
    data = os.urandom(size)
    files.write_file("/tmp/f.bin", data).raise_for_error()
    ran = cli("fs", "get", session_id, "/tmp/f.bin", str(tmp_path / "copy.bin"))
    assert ran.code == 0, ran.err
    assert (ran.out, ran.err) == ("", "")
    assert downloaded_by(paths_taken) == [path]
    assert (tmp_path / "copy.bin").read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.bin"]


def test_get_into_a_directory_keeps_the_name_and_replaces_a_file(
    cli: CLI, session_id: str, files: FileSystem, tmp_path: Path
) -> None:
    files.write_file("/tmp/report.txt", "new\n").raise_for_error()
    (tmp_path / "report.txt").write_text("old\n")
    ran = cli("fs", "get", session_id, "/tmp/report.txt", str(tmp_path), "-o", "json")
    assert ran.code == 0, ran.err
    document = ran.json()
    assert set(document) == {"remote", "local", "size", "request_id"}
    assert (document["remote"], document["local"], document["size"]) == (
        "/tmp/report.txt",
        str(tmp_path / "report.txt"),
        4,
    )
    assert (tmp_path / "report.txt").read_text() == "new\n"


@pytest.mark.parametrize("size", [70_000, 2 * MiB])
def test_get_to_stdout(cli: CLI, session_id: str, files: FileSystem, size: int) -> None:
    data = os.urandom(size)
    files.write_file("/tmp/f.bin", data).raise_for_error()
    ran = cli("fs", "get", session_id, "/tmp/f.bin", "-")
    assert ran.code == 0, ran.err
    assert ran.out_bytes == data


def test_get_to_stdout_refuses_json(cli: CLI, session_id: str) -> None:
    ran = cli("fs", "get", session_id, "/tmp/f.bin", "-", "-o", "json")
    assert ran.code == 2
    assert ran.out == ""


def test_get_a_missing_file_exits_4_and_writes_nothing(cli: CLI, session_id: str, tmp_path: Path) -> None:
    ran = cli("fs", "get", session_id, "/tmp/missing.bin", str(tmp_path))
    assert ran.code == 4
    assert ran.err.startswith("agentbay: NoSuchFileError: ") and ran.err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
    assert cli("fs", "get", session_id, "/tmp/missing.bin", "-").code == 4


def test_get_into_a_missing_local_directory_exits_2(
    cli: CLI, session_id: str, files: FileSystem, tmp_path: Path
) -> None:
    files.write_file("/tmp/f", "x").raise_for_error()
    ran = cli("fs", "get", session_id, "/tmp/f", str(tmp_path / "no" / "f"))
    assert ran.code == 2
    assert "InvalidInputError" in ran.err


# ---- rm, mkdir -----------------------------------------------------------------------------------


def test_rm_deletes_files_and_goes_on_past_a_missing_one(
    cli: CLI, session_id: str, files: FileSystem
) -> None:
    files.create_directory("/tmp/d").raise_for_error()
    for name in ("a", "b"):
        files.write_file(f"/tmp/d/{name}", name).raise_for_error()
    ran = cli("fs", "rm", session_id, "/tmp/d/a", "/tmp/d/missing", "/tmp/d/b", "-o", "json")
    assert ran.code == 4
    assert [r["path"] for r in ran.json()] == ["/tmp/d/a", "/tmp/d/b"]
    assert all(r["request_id"] for r in ran.json())
    assert ran.err.count("\n") == 1 and "/tmp/d/missing" in ran.err
    assert names(files, "/tmp/d") == []


def test_rm_prints_nothing_when_it_works(cli: CLI, session_id: str, files: FileSystem) -> None:
    files.write_file("/tmp/a", "a").raise_for_error()
    assert cli("fs", "rm", session_id, "/tmp/a") == Run(0, "", "", b"")


def test_rm_refuses_a_directory(cli: CLI, session_id: str, files: FileSystem) -> None:
    files.create_directory("/tmp/d").raise_for_error()
    ran = cli("fs", "rm", session_id, "/tmp/d")
    assert ran.code == 9  # the tool's failure
    assert "ToolError" in ran.err


def test_mkdir_makes_parents_and_accepts_an_existing_directory(
    cli: CLI, session_id: str, files: FileSystem
) -> None:
    ran = cli("fs", "mkdir", session_id, "/tmp/m/n/o", "/tmp/m", "-o", "json")
    assert ran.code == 0, ran.err
    assert [r["path"] for r in ran.json()] == ["/tmp/m/n/o", "/tmp/m"]
    assert names(files, "/tmp/m/n") == ["o"]
    assert cli("fs", "mkdir", session_id, "/tmp/p") == Run(0, "", "", b"")


def test_mkdir_with_a_file_in_the_way_fails(cli: CLI, session_id: str, files: FileSystem) -> None:
    files.write_file("/tmp/f", "x").raise_for_error()
    ran = cli("fs", "mkdir", session_id, "/tmp/f/sub", "/tmp/ok")
    assert ran.code == 9
    assert names(files, "/tmp/ok") == []  # the next path was still made


# ---- interrupted transfers -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [300_000, 3 * MiB])
def test_an_interrupted_get_leaves_no_partial_file_and_the_old_one_as_it_was(
    cli: CLI,
    session_id: str,
    files: FileSystem,
    tmp_path: Path,
    interrupt_after: Callable[[int], None],
    size: int,
) -> None:
    files.write_file("/tmp/big.bin", os.urandom(size)).raise_for_error()
    (tmp_path / "big.bin").write_bytes(b"earlier")
    interrupt_after(1)
    assert_interrupted(cli("fs", "get", session_id, "/tmp/big.bin", str(tmp_path)))
    assert [p.name for p in tmp_path.iterdir()] == ["big.bin"]
    assert (tmp_path / "big.bin").read_bytes() == b"earlier"


def test_an_interrupted_get_to_stdout_leaves_no_temporary_file(
    cli: CLI,
    session_id: str,
    files: FileSystem,
    tmp_path: Path,
    interrupt_after: Callable[[int], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    files.write_file("/tmp/big.bin", os.urandom(3 * MiB)).raise_for_error()
    interrupt_after(1)
    assert_interrupted(cli("fs", "get", session_id, "/tmp/big.bin", "-"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("size", "path"), [(400_000, "tool"), (3 * MiB, "url")])
def test_an_interrupted_put_leaves_the_remote_file_as_it_was(
    cli: CLI,
    session_id: str,
    files: FileSystem,
    tmp_path: Path,
    interrupt_after: Callable[[int], None],
    paths_taken: list[str],
    size: int,
    path: str,
) -> None:
    files.create_directory("/tmp/up").raise_for_error()
    files.write_file("/tmp/up/big.bin", "old\n").raise_for_error()
    (tmp_path / "big.bin").write_bytes(os.urandom(size))
    interrupt_after(1)
    assert_interrupted(cli("fs", "put", session_id, str(tmp_path / "big.bin"), "/tmp/up/big.bin"))
    assert paths_taken == [path]
    assert remote(files, "/tmp/up/big.bin") == b"old\n"
    assert names(files, "/tmp/up") == ["big.bin"]  # the hidden part file was removed


def test_after_an_interrupted_put_the_session_still_works(
    cli: CLI, session_id: str, files: FileSystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = os.urandom(3 * MiB)
    (tmp_path / "big.bin").write_bytes(data)
    with monkeypatch.context() as patched:

        @contextlib.contextmanager
        def interrupting(description: str, *, quiet: bool = False) -> Iterator[Callable[[int, int], None]]:
            def update(done: int, total: int) -> None:
                raise KeyboardInterrupt

            yield update

        patched.setattr(_fs, "transfer_progress", interrupting)
        assert cli("fs", "put", session_id, str(tmp_path / "big.bin"), "/tmp/big.bin").code == 130
    # Another URL transfer in the same session: no sync left running to refuse it (SyncInProgress).
    ran = cli("fs", "put", session_id, str(tmp_path / "big.bin"), "/tmp/big.bin")
    assert ran.code == 0, ran.err
    assert remote(files, "/tmp/big.bin") == data
    assert cli("exec", session_id, "--", "true").code == 0


def interrupt_in(block: Callable[[Callable[[], None]], None], *, again_stops: bool) -> list[str]:
    """Run `block(check)` under `_held_interrupt`; what it recorded, and whether KeyboardInterrupt came."""
    done: list[str] = []

    def run() -> None:
        with _fs._held_interrupt(again_stops=again_stops) as check:
            block(check)
            done.append("block ended")

    try:
        run()
    except KeyboardInterrupt:
        done.append("interrupted")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
    return done


def test_ctrl_c_is_held_until_the_block_ends() -> None:
    def block(check: Callable[[], None]) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)  # a second press does not cut the final rename short

    assert interrupt_in(block, again_stops=False) == ["block ended", "interrupted"]


def test_ctrl_c_is_held_until_the_next_check() -> None:
    def block(check: Callable[[], None]) -> None:
        check()
        os.kill(os.getpid(), signal.SIGINT)
        steps.append("after the signal")
        check()
        steps.append("after the check")

    steps: list[str] = []
    assert interrupt_in(block, again_stops=True) == ["interrupted"]
    assert steps == ["after the signal"]


def test_a_second_ctrl_c_stops_at_once() -> None:
    def block(check: Callable[[], None]) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)
        steps.append("not reached")

    steps: list[str] = []
    assert interrupt_in(block, again_stops=True) == ["interrupted"]
    assert steps == []


def test_no_ctrl_c_raises_nothing() -> None:
    assert interrupt_in(lambda check: check(), again_stops=True) == ["block ended"]
