"""`agentbay context ...`: contexts and their files, in-process and as the installed program."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pty
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from agentbay import AgentBay, APIError, Context, NotFoundError, RateLimitError, ServerError
from agentbay.cli import _contexts, _output

from .conftest import KEY, Run, agentbay_program

Cmd = Callable[..., subprocess.CompletedProcess[bytes]]


def _name() -> str:
    return f"cli-ctx-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def ctx(bay: AgentBay) -> Iterator[Context]:
    """A new context with a unique name, deleted after the test (unless the test deleted it)."""
    made = bay.context.create(_name()).unwrap()
    yield made
    bay.context.delete(made)  # NotFound when the test deleted it: fine


def _put(bay: AgentBay, context: Context, path: str, data: bytes) -> None:
    url = bay.context.get_file_upload_url(context.id, path).url
    httpx.put(url, content=data).raise_for_status()


def _read(bay: AgentBay, context: Context, path: str) -> bytes:
    url = bay.context.get_file_download_url(context.id, path).url
    response = httpx.get(url)
    response.raise_for_status()
    return response.content


# ---- create, list, resolve -----------------------------------------------------------------------


def test_create_prints_the_id_and_gives_the_existing_one_for_a_taken_name(
    cli: Callable[..., Run], bay: AgentBay
) -> None:
    name = _name()
    ran = cli("context", "create", name)
    assert ran.code == 0, ran.err
    made = bay.context.get(name).unwrap()
    assert ran.out == f"{made.id}\n"
    again = cli("context", "create", name, "-o", "json")
    assert again.code == 0, again.err
    document = again.json()
    assert document["context_id"] == made.id and document["name"] == name
    assert set(document) == {
        "context_id",
        "name",
        "state",
        "created_at",
        "last_used_at",
        "os_type",
        "request_id",
    }
    assert document["request_id"]
    bay.context.delete(made).raise_for_error()


def test_create_refuses_an_empty_name(cli: Callable[..., Run]) -> None:
    ran = cli("context", "create", " ")
    assert ran.code == 2
    assert "cannot be empty" in ran.err


def test_list_shows_every_page(cli: Callable[..., Run], bay: AgentBay) -> None:
    # More than one page of list_all (50): every context is listed once.
    prefix = f"cli-list-{uuid.uuid4().hex[:6]}"
    made = [bay.context.create(f"{prefix}-{i:02}").unwrap() for i in range(53)]
    try:
        ran = cli("context", "list", "-o", "json")
        assert ran.code == 0, ran.err
        document = ran.json()
        mine = [c for c in document["contexts"] if c["name"].startswith(prefix)]
        assert sorted(c["context_id"] for c in mine) == sorted(c.id for c in made)
        assert document["count"] == len(document["contexts"])
        assert set(mine[0]) == {"context_id", "name", "state", "created_at", "last_used_at", "os_type"}
        assert mine[0]["state"] == "available" and mine[0]["created_at"]

        table = cli("context", "list")
        assert table.code == 0, table.err
        lines = table.out.splitlines()
        assert lines[0].split() == ["CONTEXT", "ID", "NAME", "STATE", "CREATED", "AT", "LAST", "USED", "AT"]
        assert sum(1 for line in lines if f" {prefix}-" in line) == 53
        row = next(line for line in lines if made[0].id in line)
        assert row.split()[:3] == [made[0].id, made[0].name, "available"]
    finally:
        for c in made:
            bay.context.delete(c)


def test_a_context_is_named_by_its_name_or_its_id(
    cli: Callable[..., Run], bay: AgentBay, ctx: Context
) -> None:
    _put(bay, ctx, "/a.txt", b"a")
    by_name = cli("context", "ls", ctx.name, "-o", "json")
    by_id = cli("context", "ls", ctx.id, "-o", "json")
    assert by_name.code == by_id.code == 0
    assert by_name.json() == by_id.json()
    assert by_name.json()["context_id"] == ctx.id


def test_a_name_wins_over_an_id(cli: Callable[..., Run], bay: AgentBay, ctx: Context) -> None:
    # A context named like another's id is found by its name.
    other = bay.context.create(ctx.id).unwrap()
    try:
        ran = cli("context", "ls", ctx.id, "-o", "json")
        assert ran.json()["context_id"] == other.id
    finally:
        bay.context.delete(other)


def test_an_unknown_context_is_exit_4_in_one_line(cli: Callable[..., Run]) -> None:
    for args in (["ls", "no-such-context"], ["get", "no-such-context", "/a", "-"], ["rm", "nope", "/a"]):
        ran = cli("context", *args)
        assert ran.code == 4, (args, ran.err)
        assert ran.err.splitlines() == [
            "agentbay: NotFoundError: [InvalidContext.NotFound] No context named"
            f" '{args[1]}' or with that id (action=GetContext)"
        ]
        assert ran.out == ""


# ---- delete --------------------------------------------------------------------------------------


def test_delete_refuses_without_a_terminal(cli: Callable[..., Run], bay: AgentBay, ctx: Context) -> None:
    ran = cli("context", "delete", ctx.name)
    assert ran.code == 2
    assert ran.err == _contexts.NEED_YES + "\n"
    assert bay.context.get(context_id=ctx.id).success


def test_delete_with_y_by_name_and_id(cli: Callable[..., Run], bay: AgentBay) -> None:
    first, second = (bay.context.create(_name()).unwrap() for _ in range(2))
    ran = cli("context", "delete", first.name, second.id, first.id, "-y", "-o", "json")
    assert ran.code == 0, ran.err
    document = ran.json()
    assert (document["deleted"], document["failed"]) == (2, 0)
    entries = document["contexts"]
    assert [(e["context_id"], e["name"], e["result"], e["ok"], e["error"]) for e in entries] == [
        (first.id, first.name, "deleted", True, None),
        (second.id, second.name, "deleted", True, None),
    ]
    assert all(e["request_id"] for e in entries)
    for c in (first, second):
        assert isinstance(bay.context.get(context_id=c.id).error, NotFoundError)


def test_delete_stops_at_an_unknown_context_before_deleting_any(
    cli: Callable[..., Run], bay: AgentBay, ctx: Context
) -> None:
    ran = cli("context", "delete", ctx.name, "no-such-context", "-y")
    assert ran.code == 4
    assert bay.context.get(context_id=ctx.id).success


def test_delete_asks_on_a_terminal(
    cli: Callable[..., Run], bay: AgentBay, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_output, "stdin_is_terminal", lambda: True)
    no = cli("context", "delete", ctx.name, input=b"n\n")
    assert no.code == 1
    assert f"  {ctx.id}  {ctx.name}" in no.err and "nothing deleted" in no.err
    assert bay.context.get(context_id=ctx.id).success

    yes = cli("context", "delete", ctx.name, input=b"y\n")
    assert yes.code == 0, yes.err
    assert yes.out.split() == ["CONTEXT", "ID", "NAME", "RESULT", ctx.id, ctx.name, "deleted"]
    assert isinstance(bay.context.get(context_id=ctx.id).error, NotFoundError)


# ---- ls and rm -----------------------------------------------------------------------------------


def test_ls_lists_a_folder_across_pages(cli: Callable[..., Run], bay: AgentBay, ctx: Context) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        _put(bay, ctx, f"/data/{name}", name.encode() * 3)
    _put(bay, ctx, "/data/sub/d.txt", b"d")
    _put(bay, ctx, "/top.txt", b"top")

    ran = cli("context", "ls", ctx.name, "/data", "--page-size", "2", "-o", "json")
    assert ran.code == 0, ran.err
    document = ran.json()
    assert (document["context_id"], document["path"], document["count"]) == (ctx.id, "/data", 4)
    entries = {e["name"]: e for e in document["entries"]}
    assert sorted(entries) == ["a.txt", "b.txt", "c.txt", "sub"]
    assert entries["a.txt"]["type"] == "file" and entries["a.txt"]["size"] == 15
    assert entries["a.txt"]["path"] == "/data/a.txt" and entries["a.txt"]["modified"]
    assert entries["sub"]["type"] == "dir" and entries["sub"]["size"] is None

    root = cli("context", "ls", ctx.name)
    assert root.code == 0, root.err
    rows = [line.split() for line in root.out.splitlines()]
    assert rows[0] == ["NAME", "TYPE", "SIZE", "MODIFIED"]
    assert len(rows) == 3
    assert rows[1][:2] == ["data", "dir"] and len(rows[1]) == 3  # a folder has no size
    assert rows[2][:3] == ["top.txt", "file", "3"]


def test_ls_of_an_empty_folder(cli: Callable[..., Run], ctx: Context) -> None:
    ran = cli("context", "ls", ctx.id, "/nothing/here", "-o", "json")
    assert ran.code == 0, ran.err
    assert ran.json() == {"context_id": ctx.id, "path": "/nothing/here", "entries": [], "count": 0}


def test_rm_deletes_files(cli: Callable[..., Run], bay: AgentBay, ctx: Context) -> None:
    _put(bay, ctx, "/x/1.txt", b"1")
    _put(bay, ctx, "/x/2.txt", b"2")
    _put(bay, ctx, "/x/3.txt", b"3")
    ran = cli("context", "rm", ctx.name, "/x/1.txt", "/x/2.txt")
    assert ran.code == 0, ran.err
    assert ran.out == "deleted /x/1.txt\ndeleted /x/2.txt\n"
    left = bay.context.list_files(ctx.id, "/x").entries
    assert [e.file_name for e in left] == ["3.txt"]
    as_json = cli("context", "rm", ctx.name, "/x/3.txt", "-o", "json")
    assert as_json.json() == {"context_id": ctx.id, "deleted": ["/x/3.txt"]}


# ---- put and get ---------------------------------------------------------------------------------


def test_put_and_get_a_file(cli: Callable[..., Run], bay: AgentBay, ctx: Context, tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 7)  # several pieces of the stream
    source = tmp_path / "data.bin"
    source.write_bytes(data)
    up = cli("context", "put", ctx.name, str(source), "/data/data.bin")
    assert up.code == 0, up.err
    assert up.out == f"uploaded {len(data)} bytes to {ctx.name}:/data/data.bin\n"
    assert up.err == ""  # no progress bar when stderr is not a terminal
    assert _read(bay, ctx, "/data/data.bin") == data

    target = tmp_path / "back.bin"
    down = cli("context", "get", ctx.id, "/data/data.bin", str(target), "-o", "json")
    assert down.code == 0, down.err
    assert down.json() == {
        "context_id": ctx.id,
        "name": ctx.name,
        "path": "/data/data.bin",
        "file": str(target),
        "bytes": len(data),
    }
    assert target.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["back.bin", "data.bin"]


def test_put_json_and_a_folder_path_takes_the_local_name(
    cli: Callable[..., Run], bay: AgentBay, ctx: Context, tmp_path: Path
) -> None:
    source = tmp_path / "notes.txt"
    source.write_bytes(b"hello\n")
    ran = cli("context", "put", ctx.name, str(source), "/docs/", "-o", "json")
    assert ran.code == 0, ran.err
    document = ran.json()
    assert document == {
        "context_id": ctx.id,
        "name": ctx.name,
        "path": "/docs/notes.txt",
        "bytes": 6,
        "etag": hashlib.md5(b"hello\n").hexdigest(),
    }
    assert _read(bay, ctx, "/docs/notes.txt") == b"hello\n"


def test_get_into_a_folder_takes_the_remote_name(
    cli: Callable[..., Run], bay: AgentBay, ctx: Context, tmp_path: Path
) -> None:
    _put(bay, ctx, "/deep/er/report.csv", b"a,b\n1,2\n")
    ran = cli("context", "get", ctx.name, "/deep/er/report.csv", str(tmp_path))
    assert ran.code == 0, ran.err
    assert ran.out == f"downloaded 8 bytes to {tmp_path / 'report.csv'}\n"
    assert (tmp_path / "report.csv").read_bytes() == b"a,b\n1,2\n"
    # The file gets the mode a new file would have, not mkstemp's 0600.
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "report.csv").stat().st_mode & 0o777 == 0o666 & ~umask


def test_stdin_and_stdout(cli: Callable[..., Run], bay: AgentBay, ctx: Context) -> None:
    data = os.urandom(1024 * 1024 + 3)
    up = cli("context", "put", ctx.name, "-", "/piped.bin", input=data)
    assert up.code == 0, up.err
    assert up.out == f"uploaded {len(data)} bytes to {ctx.name}:/piped.bin\n"
    assert _read(bay, ctx, "/piped.bin") == data
    down = cli("context", "get", ctx.name, "/piped.bin", "-")
    assert down.code == 0, down.err
    assert down.out_bytes == data
    # With -o json too, stdout carries only the bytes.
    as_json = cli("context", "get", ctx.name, "/piped.bin", "-", "-o", "json")
    assert as_json.out_bytes == data


def test_put_refuses_bad_arguments(cli: Callable[..., Run], ctx: Context, tmp_path: Path) -> None:
    missing = cli("context", "put", ctx.name, str(tmp_path / "absent"), "/a")
    assert missing.code == 2 and "does not exist" in missing.err
    folder = cli("context", "put", ctx.name, str(tmp_path), "/a")
    assert folder.code == 2 and "is a directory" in folder.err
    no_name = cli("context", "put", ctx.name, "-", "/dir/", input=b"x")
    assert no_name.code == 2 and "stdin has no name" in no_name.err
    no_path = cli("context", "put", ctx.name, "-", "/", input=b"x")
    assert no_path.code == 2


def test_a_missing_file_is_exit_4_and_leaves_nothing(
    cli: Callable[..., Run], ctx: Context, tmp_path: Path
) -> None:
    ran = cli("context", "get", ctx.name, "/no/such.txt", str(tmp_path / "out.txt"))
    assert ran.code == 4
    assert ran.err.splitlines() == [
        "agentbay: NotFoundError: [NoSuchKey] No such file in the context: /no/such.txt"
        " (action=GET URL, http_status=404)"
    ]
    assert list(tmp_path.iterdir()) == []


@contextlib.contextmanager
def _interrupting_progress(_description: str, *, quiet: bool = False) -> Iterator[Callable[[int, int], None]]:
    def progress(done: int, _total: int) -> None:
        if done > 0:
            raise KeyboardInterrupt

    yield progress


def test_ctrl_c_during_get_leaves_the_old_file_and_no_partial_one(
    cli: Callable[..., Run], bay: AgentBay, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _put(bay, ctx, "/big.bin", os.urandom(3 * 1024 * 1024))
    target = tmp_path / "big.bin"
    target.write_bytes(b"the old content")
    # Ctrl-C after the first piece has been written.
    monkeypatch.setattr(_contexts, "transfer_progress", _interrupting_progress)
    ran = cli("context", "get", ctx.name, "/big.bin", str(target))
    assert ran.code == 130
    assert ran.err.strip() == "agentbay: interrupted"  # click starts a new line first
    assert [p.name for p in tmp_path.iterdir()] == ["big.bin"]
    assert target.read_bytes() == b"the old content"


def test_ctrl_c_during_put_keeps_the_stored_file(
    cli: Callable[..., Run], bay: AgentBay, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _put(bay, ctx, "/kept.bin", b"stored before")
    source = tmp_path / "new.bin"
    source.write_bytes(os.urandom(3 * 1024 * 1024))
    monkeypatch.setattr(_contexts, "transfer_progress", _interrupting_progress)
    ran = cli("context", "put", ctx.name, str(source), "/kept.bin")
    assert ran.code == 130
    # The store keeps an object only once all of its declared length has arrived.
    assert _read(bay, ctx, "/kept.bin") == b"stored before"


@pytest.mark.parametrize(
    ("method", "status", "body", "kind", "code", "text"),
    [
        (
            "GET",
            404,
            b"<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>",
            NotFoundError,
            4,
            "No such file",
        ),
        ("GET", 404, b"", NotFoundError, 4, "No such file"),
        (
            "PUT",
            404,
            b"<Error><Code>NoSuchBucket</Code><Message>The context no longer exists.</Message></Error>",
            NotFoundError,
            4,
            "no longer exists",
        ),
        (
            "GET",
            403,
            b"<Error><Code>AccessDenied</Code><Message>Request has expired.</Message></Error>",
            APIError,
            7,
            "the URL expired",
        ),
        ("PUT", 429, b"", RateLimitError, 6, "HTTP 429"),
        (
            "PUT",
            507,
            b"<Error><Code>InsufficientStorage</Code><Message>full</Message></Error>",
            ServerError,
            7,
            "full",
        ),
    ],
)
def test_a_refused_url_is_a_typed_error(
    method: str, status: int, body: bytes, kind: type[APIError], code: int, text: str
) -> None:
    from agentbay.cli._output import exit_code_for

    error = _contexts.url_error(method, status, body, "/a/b.txt")
    assert type(error) is kind
    assert exit_code_for(error) == code
    assert text in str(error) and "/a/b.txt" in str(error)
    assert error.http_status == status


def test_the_url_never_appears_in_a_transport_error() -> None:
    url = "http://127.0.0.1:9/contexts/files/secret-token"
    error = _contexts.url_transport_error(httpx.ConnectError(f"cannot reach {url}"), "GET of /a", url)
    assert "secret-token" not in str(error) and "<url>" in str(error)


def test_verbose_shows_request_ids_and_never_the_key(cli: Callable[..., Run], ctx: Context) -> None:
    ran = cli("context", "ls", ctx.name, "-v")
    assert ran.code == 0, ran.err
    assert "GetContext -> HTTP 200" in ran.err and "request_id=" in ran.err
    assert KEY not in ran.out + ran.err


# ---- the installed program -----------------------------------------------------------------------


def test_program_put_from_a_pipe_and_get_into_a_pipe(agentbay_cmd: Cmd, bay: AgentBay, ctx: Context) -> None:
    data = os.urandom(2 * 1024 * 1024 + 11)
    up = agentbay_cmd("context", "put", ctx.name, "-", "/piped/data.bin", input=data)
    assert up.returncode == 0, up.stderr
    assert up.stderr == b""  # no progress bar into a pipe
    down = agentbay_cmd("context", "get", ctx.id, "/piped/data.bin", "-")
    assert down.returncode == 0, down.stderr
    assert down.stdout == data


def test_program_json_and_exit_codes(agentbay_cmd: Cmd, bay: AgentBay) -> None:
    import json

    name = _name()
    made = agentbay_cmd("context", "create", name, "-o", "json")
    assert made.returncode == 0, made.stderr
    context_id = json.loads(made.stdout)["context_id"]
    listed = json.loads(agentbay_cmd("-o", "json", "context", "list").stdout)
    assert any(c["context_id"] == context_id for c in listed["contexts"])
    missing = agentbay_cmd("context", "get", name, "/missing", "-")
    assert (missing.returncode, missing.stdout) == (4, b"")
    refused = agentbay_cmd("context", "delete", name)
    assert refused.returncode == 2
    deleted = agentbay_cmd("context", "delete", name, "-y")
    assert deleted.returncode == 0, deleted.stderr
    assert agentbay_cmd("context", "ls", context_id).returncode == 4


def test_put_from_a_fifo(cli: Callable[..., Run], bay: AgentBay, ctx: Context, tmp_path: Path) -> None:
    # A FIFO (`<(tar c src)` in bash) has no size: the body goes chunked, and all of it arrives.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    data = os.urandom(1024 * 1024 + 5)
    writer = threading.Thread(target=fifo.write_bytes, args=(data,))
    writer.start()
    try:
        ran = cli("context", "put", ctx.name, str(fifo), "/from-fifo.bin", "-o", "json")
    finally:
        writer.join(timeout=60)
    assert ran.code == 0, ran.err
    assert ran.json()["bytes"] == len(data)
    assert _read(bay, ctx, "/from-fifo.bin") == data


def test_program_shows_a_progress_bar_on_a_terminal(
    cli_env: dict[str, str], bay: AgentBay, ctx: Context, tmp_path: Path
) -> None:
    source = tmp_path / "bar.bin"
    source.write_bytes(os.urandom(2 * 1024 * 1024))
    master, slave = pty.openpty()
    env = {**os.environ, **cli_env, "TERM": "xterm-256color", "COLUMNS": "120"}
    shown = bytearray()

    def read() -> None:
        with contextlib.suppress(OSError):  # EIO once the program (the last holder of the slave) exits
            while piece := os.read(master, 65536):
                shown.extend(piece)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        with subprocess.Popen(
            [*agentbay_program(), "context", "put", ctx.name, str(source), "/bar.bin"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=slave,
            env=env,
        ) as program:
            os.close(slave)
            out, _ = program.communicate(timeout=120)
        reader.join(timeout=30)
    finally:
        os.close(master)
    assert program.returncode == 0, shown
    assert out == f"uploaded {2 * 1024 * 1024} bytes to {ctx.name}:/bar.bin\n".encode()
    text = shown.decode("utf-8", "replace")
    assert "put /bar.bin" in text and "2.1/2.1 MB" in text, text
    assert _read(bay, ctx, "/bar.bin") == source.read_bytes()


def test_a_url_the_store_refuses_is_one_line_and_leaves_nothing(
    cli: Callable[..., Run], bay: AgentBay, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentbay import ContextService

    _put(bay, ctx, "/f.txt", b"f")
    # An upload URL used for a download: the store answers 403 AccessDenied, as for an expired URL.
    monkeypatch.setattr(ContextService, "get_file_download_url", ContextService.get_file_upload_url)
    ran = cli("context", "get", ctx.name, "/f.txt", str(tmp_path / "f.txt"))
    assert ran.code == 7
    lines = ran.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("agentbay: APIError: [AccessDenied] GET of /f.txt through the context's")
    assert "the URL expired, or is not valid" in lines[0] and "http_status=403" in lines[0]
    assert "/contexts/files/" not in ran.err  # the URL is a credential: never shown
    assert list(tmp_path.iterdir()) == []
