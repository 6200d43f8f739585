"""The oss_* tools on the local server, at the wire: oss2 run inside the session against the server's
own object store (the account's secret is the API key), plain PUT/GET to signed and context URLs, and
every failure with its cause and never the secret."""

from __future__ import annotations

import json
import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import oss2
import pytest

from agentbay_local import LocalServer
from agentbay_local import _tools as server_tools
from agentbay_local.oss import _agent, _config, _tools
from agentbay_local.sandbox import SandboxWarning, _shell
from tests import _oss as oss_clients

from ._wire import Wire

BUCKET = "session-bucket"
#: Random bytes across several of oss2's and the agent's chunks, so a transfer is streamed in pieces.
PAYLOAD = os.urandom(3 * 1024 * 1024 + 123)


def call(wire: Wire, session_id: str, name: str, **args: Any) -> tuple[str, bool]:
    data = wire.ok("CallMcpTool", SessionId=session_id, Name=name, Args=json.dumps(args))["Data"]
    text: str = data["content"][0]["text"]
    return text, data["isError"]


def session_dir(server: LocalServer, session_id: str) -> Path:
    return Path(server.state_dir) / "sessions" / session_id


def host_file(server: LocalServer, session_id: str, path: str) -> Path:
    """The host file behind a session path under /home/wuying or /tmp."""
    tree = "tmp" if path.startswith("/tmp/") else "home"
    rel = path.removeprefix("/tmp/") if tree == "tmp" else path.removeprefix("/home/")
    return session_dir(server, session_id) / tree / rel


def bucket(server: LocalServer, wire: Wire, name: str = BUCKET) -> Any:
    """The test process's own oss2 client on the server's store, as a user program would make it."""
    return oss_clients.bucket(oss2.Auth("any-access-key-id", wire.key), server.oss_endpoint, name)


def init(wire: Wire, session_id: str, **extra: Any) -> str:
    args: dict[str, Any] = {"access_key_id": "any-access-key-id", "access_key_secret": wire.key}
    args["security_token"] = None  # as every official SDK sends it
    args.update(extra)
    text, is_error = call(wire, session_id, "oss_env_init", **args)
    assert not is_error, text
    return text


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module", autouse=True)
def _close_connections() -> Iterator[None]:
    yield
    oss_clients.SESSION.session.close()


@pytest.fixture(autouse=True)
def _collect_in_process_clients() -> Iterator[None]:
    """Some tests run the in-session program in this process: its oss2 client's sockets are collected
    here rather than in whichever later test the garbage collector happens to run (see tests/_oss.py)."""
    yield
    oss_clients.collect_quietly()


@pytest.fixture
def session(wire: Wire) -> Iterator[str]:
    session_id = wire.create()
    yield session_id
    wire.ok("ReleaseMcpSession", SessionId=session_id)


def put_file(server: LocalServer, session_id: str, path: str, content: bytes) -> None:
    """A file in the session (written through its host directory)."""
    target = host_file(server, session_id, path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


# ---- env_init ------------------------------------------------------------------------------------


def test_env_init_without_an_endpoint_points_the_session_at_the_servers_store(
    server: LocalServer, wire: Wire, session: str
) -> None:
    text = init(wire, session)
    assert "successfully" in text and server.oss_endpoint in text
    assert wire.key not in text and "failed" not in text.lower()  # 0.22.3 fails a reply saying "failed"
    assert _config.default_endpoint(session_dir(server, session)) == server.oss_endpoint


def test_env_init_keeps_an_endpoint_given(wire: Wire, session: str) -> None:
    text = init(wire, session, endpoint="oss-cn-hangzhou.aliyuncs.com", region="cn-hangzhou")
    assert "oss-cn-hangzhou.aliyuncs.com" in text


def test_env_init_refuses_missing_credentials(wire: Wire, session: str) -> None:
    text, is_error = call(wire, session, "oss_env_init", access_key_id="AK", security_token=None)
    assert is_error and "access_key_secret" in text
    text, is_error = call(
        wire, session, "oss_env_init", access_key_id="AK", access_key_secret="s", security_token=3
    )
    assert is_error and "security_token" in text


def test_the_settings_are_dropped_with_the_session(server: LocalServer, wire: Wire) -> None:
    session_id = wire.create()
    init(wire, session_id)
    root = session_dir(server, session_id)
    assert _config.config(root) is not None
    wire.ok("ReleaseMcpSession", SessionId=session_id)
    assert _config.config(root) is None and _config.default_endpoint(root) is None


# ---- upload and download through the local store ------------------------------------------------


def test_upload_then_download_through_the_local_store(server: LocalServer, wire: Wire, session: str) -> None:
    mine = bucket(server, wire)
    mine.create_bucket()
    put_file(server, session, "/home/wuying/up/data.bin", PAYLOAD)
    init(wire, session)

    text, is_error = call(
        wire, session, "oss_upload", bucket=BUCKET, object="dir/data.bin", path="up/data.bin"
    )
    assert not is_error, text
    assert "Upload success" in text and "/home/wuying/up/data.bin" in text
    # A user program with the same client library and credentials sees the object.
    assert mine.get_object("dir/data.bin").read() == PAYLOAD

    text, is_error = call(
        wire, session, "oss_download", bucket=BUCKET, object="dir/data.bin", path="/tmp/new/dir/copy.bin"
    )
    assert not is_error, text
    assert "Download success" in text and "/tmp/new/dir/copy.bin" in text
    assert host_file(server, session, "/tmp/new/dir/copy.bin").read_bytes() == PAYLOAD
    # The file belongs to the session's user, as a file the session's commands make.
    text, is_error = call(
        wire, session, "shell", command="touch /tmp/mine && stat -c %u:%g /tmp/new/dir/copy.bin /tmp/mine"
    )
    assert not is_error, text
    downloaded, made = text.split()
    assert downloaded == made


def test_an_object_a_user_program_put_is_downloaded_into_a_directory(
    server: LocalServer, wire: Wire, session: str
) -> None:
    mine = bucket(server, wire)
    mine.create_bucket()
    mine.put_object("reports/today.txt", b"from a user program")
    init(wire, session)
    call(wire, session, "shell", command="mkdir -p /home/wuying/inbox")
    text, is_error = call(
        wire, session, "oss_download", bucket=BUCKET, object="reports/today.txt", path="inbox"
    )
    assert not is_error and "Download success" in text, text
    assert host_file(server, session, "/home/wuying/inbox/today.txt").read_bytes() == b"from a user program"


def test_a_directory_is_uploaded_file_by_file(server: LocalServer, wire: Wire, session: str) -> None:
    mine = bucket(server, wire)
    mine.create_bucket()
    put_file(server, session, "/home/wuying/tree/a.txt", b"a")
    put_file(server, session, "/home/wuying/tree/sub/b.txt", b"b")
    init(wire, session)
    text, is_error = call(
        wire, session, "oss_upload", bucket=BUCKET, object="backup/", path="/home/wuying/tree"
    )
    assert not is_error and "Upload success: 2 files" in text, text
    assert mine.get_object("backup/a.txt").read() == b"a"
    assert mine.get_object("backup/sub/b.txt").read() == b"b"


def test_a_security_token_is_sent_along(server: LocalServer, wire: Wire, session: str) -> None:
    bucket(server, wire).create_bucket()
    put_file(server, session, "/tmp/t.txt", b"token")
    init(wire, session, security_token="an-sts-token-value")
    text, is_error = call(wire, session, "oss_upload", bucket=BUCKET, object="t.txt", path="/tmp/t.txt")
    assert not is_error and "Upload success" in text, text
    assert "an-sts-token-value" not in text


# ---- anonymous transfers -------------------------------------------------------------------------


def test_anonymous_upload_and_download_with_signed_urls(
    server: LocalServer, wire: Wire, session: str
) -> None:
    mine = bucket(server, wire)
    mine.create_bucket()
    put_file(server, session, "/home/wuying/anon.bin", PAYLOAD)
    # No oss_env_init: a signed URL is all it takes.
    text, is_error = call(
        wire, session, "oss_upload_annon", url=mine.sign_url("PUT", "anon.bin", 60), path="anon.bin"
    )
    assert not is_error and "Upload success" in text, text
    assert mine.get_object("anon.bin").read() == PAYLOAD

    text, is_error = call(
        wire,
        session,
        "oss_download_annon",
        url=mine.sign_url("GET", "anon.bin", 60),
        path="/tmp/anon-copy.bin",
    )
    assert not is_error and "Download success" in text, text
    assert host_file(server, session, "/tmp/anon-copy.bin").read_bytes() == PAYLOAD


def test_anonymous_upload_and_download_with_context_urls(
    server: LocalServer, wire: Wire, session: str
) -> None:
    context_id = wire.ok("GetContext", Name="oss-tools", AllowCreate="True")["Data"]["Id"]

    def context_url(action: str) -> str:
        url: str = wire.ok(action, ContextId=context_id, FilePath="/shared/file.bin")["Data"]["Url"]
        return url

    put_file(server, session, "/home/wuying/ctx.bin", b"context bytes")
    text, is_error = call(
        wire,
        session,
        "oss_upload_annon",
        url=context_url("GetContextFileUploadUrl"),
        path="/home/wuying/ctx.bin",
    )
    assert not is_error and "Upload success" in text, text
    text, is_error = call(
        wire, session, "oss_download_annon", url=context_url("GetContextFileDownloadUrl"), path="/tmp/ctx.bin"
    )
    assert not is_error and "Download success" in text, text
    assert host_file(server, session, "/tmp/ctx.bin").read_bytes() == b"context bytes"


def test_anonymous_failures_say_why(server: LocalServer, wire: Wire, session: str) -> None:
    mine = bucket(server, wire)
    mine.create_bucket()
    text, is_error = call(
        wire, session, "oss_download_annon", url=mine.sign_url("GET", "missing.bin", 60), path="/tmp/x"
    )
    assert is_error and "HTTP 404" in text and "NoSuchKey" in text, text
    assert not host_file(server, session, "/tmp/x").exists()
    text, is_error = call(
        wire, session, "oss_download_annon", url=f"http://127.0.0.1:{closed_port()}/x", path="/tmp/x"
    )
    assert is_error and "Connection refused" in text, text
    text, is_error = call(
        wire, session, "oss_upload_annon", url=mine.sign_url("PUT", "k", 60), path="/tmp/none"
    )
    assert is_error and text == "No such file or directory: /tmp/none", text
    text, is_error = call(wire, session, "oss_upload_annon", url="ftp://127.0.0.1/x", path="/tmp/none")
    assert is_error and "http://" in text, text


# ---- failures ------------------------------------------------------------------------------------


def test_transfers_before_env_init_are_refused(wire: Wire, session: str) -> None:
    for name in ("oss_upload", "oss_download"):
        text, is_error = call(wire, session, name, bucket=BUCKET, object="o", path="/tmp/o")
        assert is_error and "call oss_env_init first" in text, text


def test_failures_carry_the_cause_and_never_the_secret(
    server: LocalServer, wire: Wire, session: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    mine = bucket(server, wire)
    mine.create_bucket()
    put_file(server, session, "/home/wuying/f.txt", b"f")
    call(wire, session, "shell", command="mkdir -p /home/wuying/adir")
    texts: list[str] = []

    def failed(name: str, **args: Any) -> str:
        text, is_error = call(wire, session, name, **args)
        assert is_error, text
        texts.append(text)
        return text

    init(wire, session)
    text = failed("oss_upload", bucket="no-such-bucket", object="o", path="f.txt")
    assert "NoSuchBucket" in text and "HTTP 404" in text
    text = failed("oss_download", bucket=BUCKET, object="no/such/key", path="/tmp/out.txt")
    assert "NoSuchKey" in text and "HTTP 404" in text
    assert not host_file(server, session, "/tmp/out.txt").exists()
    text = failed("oss_upload", bucket=BUCKET, object="o", path="/home/wuying/missing.txt")
    assert text == "No such file or directory: /home/wuying/missing.txt"
    mine.put_object("o", b"o")
    text = failed("oss_download", bucket=BUCKET, object="o", path="/home/wuying/f.txt/below")
    assert "Not a directory" in text and "/home/wuying/f.txt/below" in text
    text = failed("oss_upload", bucket="x", object="o", path="f.txt")
    assert "bucket_name is invalid" in text

    init(wire, session, access_key_secret="wrong-" + wire.key[::-1])
    text = failed("oss_upload", bucket=BUCKET, object="o", path="f.txt")
    assert "SignatureDoesNotMatch" in text and "HTTP 403" in text

    init(wire, session, endpoint=f"http://127.0.0.1:{closed_port()}")
    text = failed("oss_upload", bucket=BUCKET, object="o", path="f.txt")
    assert "Could not reach the object storage endpoint" in text and "Connection refused" in text

    secrets = (wire.key, wire.key[::-1])
    assert not any(secret in text for text in texts for secret in secrets)
    assert not any(secret in record.getMessage() for record in caplog.records for secret in secrets)
    # Nothing the session can read holds the secret either.
    for top, _, names in os.walk(session_dir(server, session)):
        for name in names:
            data = (Path(top) / name).read_bytes()
            assert not any(secret.encode() in data for secret in secrets), Path(top) / name


def test_a_failed_download_leaves_an_existing_file_as_it_was(
    server: LocalServer, wire: Wire, session: str
) -> None:
    bucket(server, wire).create_bucket()
    put_file(server, session, "/home/wuying/keep.txt", b"precious")
    init(wire, session)
    text, is_error = call(wire, session, "oss_download", bucket=BUCKET, object="absent", path="keep.txt")
    assert is_error and "NoSuchKey" in text
    assert host_file(server, session, "/home/wuying/keep.txt").read_bytes() == b"precious"
    assert not [name for name in os.listdir(host_file(server, session, "/home/wuying")) if "download" in name]


# ---- without bubblewrap --------------------------------------------------------------------------


def test_transfers_work_without_bubblewrap(
    server: LocalServer, wire: Wire, session: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_shell, "bwrap_executable", lambda: None)
    monkeypatch.setattr(_shell, "_fallback_warned", False)
    mine = bucket(server, wire)
    mine.create_bucket()
    put_file(server, session, "/home/wuying/host.txt", b"on the host")
    init(wire, session)
    with pytest.warns(SandboxWarning, match="NOT isolated"):  # the first program run on the host says so
        text, is_error = call(wire, session, "oss_upload", bucket=BUCKET, object="h", path="host.txt")
    assert not is_error and "Upload success: /home/wuying/host.txt" in text, text
    text, is_error = call(wire, session, "oss_download", bucket=BUCKET, object="h", path="/tmp/h/copy.txt")
    assert not is_error and "Download success" in text and "/tmp/h/copy.txt" in text, text
    text, is_error = call(wire, session, "oss_download", bucket=BUCKET, object="h", path="/etc/h")
    assert is_error and "outside the session" in text, text
    assert mine.get_object("h").read() == b"on the host"
    assert host_file(server, session, "/tmp/h/copy.txt").read_bytes() == b"on the host"


# ---- the in-session program, run in this process ------------------------------------------------


def test_the_program_in_process(server: LocalServer, wire: Wire, tmp_path: Path) -> None:
    """`_agent.run` as the sandbox runs it, here on host paths (the cases above run it in a session)."""
    mine = bucket(server, wire)
    mine.create_bucket()
    (tmp_path / "tree" / "sub").mkdir(parents=True)
    (tmp_path / "tree" / "sub" / "x.txt").write_bytes(b"x")
    credentials = {"endpoint": server.oss_endpoint, "access_key_id": "id", "access_key_secret": wire.key}
    base = {**credentials, "security_token": None, "bucket": BUCKET, "connect_timeout": 5, "read_timeout": 5}

    def run(**request: Any) -> tuple[bool, str]:
        reply = _agent.run({**base, **request, "shown": "/shown" + request.get("shown", "")})
        return reply["ok"], reply["text"]

    ok, text = run(op="upload", object="t", path=str(tmp_path / "tree"))
    assert ok and text == "Upload success: 1 files from /shown to oss://session-bucket/t/", text
    ok, text = run(op="download", object="t/sub/x.txt", path=str(tmp_path))
    assert ok and (tmp_path / "x.txt").read_bytes() == b"x", text
    url = mine.sign_url("GET", "t/sub/x.txt", 60)
    ok, text = run(op="get_url", url=url, path=str(tmp_path / "tree"))
    assert ok and (tmp_path / "tree" / "x.txt").read_bytes() == b"x", text
    ok, text = run(op="put_url", url=mine.sign_url("PUT", "p", 60), path=str(tmp_path / "tree"))
    assert not ok and text == "Is a directory: /shown", text
    ok, text = run(op="upload", object="o", bucket="x", path=str(tmp_path / "x.txt"))
    assert not ok and "bucket_name is invalid" in text
    ok, text = run(
        op="get_url", url=f"http://127.0.0.1:{closed_port()}/x?Signature=s", path=str(tmp_path / "y")
    )
    assert not ok and text.startswith("Could not reach http://127.0.0.1:") and "Signature" not in text, text
    (tmp_path / "f.txt").write_bytes(b"f")
    ok, text = run(op="put_url", url=mine.sign_url("PUT", "p", 60), path=str(tmp_path / "f.txt"))
    assert ok and text == "Upload success: /shown (HTTP 200)", text
    ok, text = run(op="get_url", url=mine.sign_url("GET", "nothing", 60), path=str(tmp_path / "g"))
    assert not ok and text.startswith("HTTP 404 Not Found: <?xml") and "NoSuchKey" in text, text
    ok, text = run(op="download", object="p", path=str(tmp_path / "f.txt" / "below"))
    assert not ok and text == "Not a directory: /shown", text
    ok, text = run(op="download", object="nothing", path=str(tmp_path / "n"))
    assert not ok and text.startswith("NoSuchKey: The specified key does not exist. (HTTP 404, RequestId "), (
        text
    )
    ok, text = run(op="upload", object="o", path=str(tmp_path / "missing"))
    assert not ok and text == "No such file or directory: /shown", text
    ok, text = run(
        op="upload", object="o", path=str(tmp_path / "f.txt"), endpoint=f"127.0.0.1:{closed_port()}"
    )
    assert not ok and "Could not reach the object storage endpoint 127.0.0.1:" in text, text
    assert text.endswith("Connection refused"), text


def test_an_unexpected_failure_is_reported_and_logged_without_the_secret(
    wire: Wire, session: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"something quoted {wire.key} and the token a-security-token-1")

    monkeypatch.setattr(_tools, "run_program", broken)
    init(wire, session, security_token="a-security-token-1")
    text, is_error = call(wire, session, "oss_upload", bucket=BUCKET, object="o", path="/tmp/x")
    assert (
        is_error
        and text == "Internal error in oss_upload: RuntimeError: something quoted *** and the token ***"
    )
    logged = [record.getMessage() for record in caplog.records if record.name == "agentbay_local.oss"]
    assert logged == [
        "tool oss_upload failed unexpectedly: RuntimeError: something quoted *** and the token ***"
    ]


def test_a_transfer_that_hangs_is_stopped_at_the_bound(
    wire: Wire, session: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_tools, "TRANSFER_TIMEOUT_S", 1.0)
    with socket.socket() as silent:  # accepts connections (the kernel does) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/x"
        text, is_error = call(wire, session, "oss_download_annon", url=url, path="/tmp/never")
    assert is_error and text == "The transfer did not finish within 1 s and was stopped", text
    text, is_error = call(wire, session, "shell", command="ps -eo args")
    assert not is_error and "-I -S -c" not in text, text  # the program is gone


def test_transfers_count_as_commands_in_the_bounds(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each transfer is a program in the session: a flood of them is bounded as commands are."""
    monkeypatch.setattr(server_tools, "MAX_COMMANDS_PER_SESSION", 1)
    with (
        LocalServer(state_dir, api_keys=["akm-oss-bounds-0001"]) as server,
        httpx.Client(base_url=server.endpoint, timeout=60) as client,
    ):
        wire = Wire(client, "akm-oss-bounds-0001")
        session_id = wire.create()
        started = session_dir(server, session_id) / "tmp" / "started"
        holder = threading.Thread(
            target=call, args=(wire, session_id, "shell"), kwargs={"command": "touch /tmp/started; sleep 30"}
        )
        holder.start()
        try:
            deadline = time.monotonic() + 30
            while not started.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            text, is_error = call(wire, session_id, "oss_download_annon", url=server.endpoint, path="/tmp/x")
            assert is_error and "at most 1 at once" in text, text
        finally:
            wire.ok("ReleaseMcpSession", SessionId=session_id)  # ends the sleep
            holder.join(30)


def test_env_init_after_a_restart_uses_the_store_of_the_running_server(state_dir: Path) -> None:
    key = "akm-oss-restart-0001"
    with LocalServer(state_dir, api_keys=[key]) as first, httpx.Client(base_url=first.endpoint) as client:
        session_id = Wire(client, key).create()
    with (
        LocalServer(state_dir, api_keys=[key]) as server,
        httpx.Client(base_url=server.endpoint, timeout=60) as client,
    ):
        wire = Wire(client, key)
        text = init(wire, session_id)
        assert server.oss_endpoint in text
        bucket(server, wire).create_bucket()
        put_file(server, session_id, "/tmp/r.txt", b"after a restart")
        text, is_error = call(wire, session_id, "oss_upload", bucket=BUCKET, object="r", path="/tmp/r.txt")
        assert not is_error and "Upload success" in text, text
        wire.ok("ReleaseMcpSession", SessionId=session_id)


def test_a_big_file_goes_up_in_parts(
    server: LocalServer, wire: Wire, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the threshold (256 MiB in use; small here) `_agent` uploads in parts, which PutObject's
    5 GB limit needs; the parts' progress is kept in the temporary directory (the session's /tmp)."""
    monkeypatch.setattr(_agent, "MULTIPART_THRESHOLD", 300 * 1024)
    monkeypatch.setattr(_agent, "PART_SIZE", 100 * 1024)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    mine = bucket(server, wire)
    mine.create_bucket()
    big = os.urandom(1024 * 1024 + 7)
    (tmp_path / "big.bin").write_bytes(big)
    reply = _agent.run(
        {
            "op": "upload",
            "endpoint": server.oss_endpoint,
            "access_key_id": "id",
            "access_key_secret": wire.key,
            "security_token": None,
            "bucket": BUCKET,
            "object": "big.bin",
            "path": str(tmp_path / "big.bin"),
            "shown": "/home/wuying/big.bin",
        }
    )
    assert reply == {
        "ok": True,
        "text": "Upload success: /home/wuying/big.bin to oss://session-bucket/big.bin",
    }
    head = mine.head_object("big.bin")
    assert head.content_length == len(big) and head.object_type == "Multipart"
    assert mine.get_object("big.bin").read() == big


def test_an_unreadable_file_is_refused_with_the_os_error(
    server: LocalServer, wire: Wire, session: str
) -> None:
    """In the sandbox the program has the session user's rights, no more (the server's host fallback
    runs it with the server's)."""
    if _shell.bwrap_executable() is None and os.getuid() == 0:
        pytest.skip("the host fallback of a root server reads any file")
    bucket(server, wire).create_bucket()
    init(wire, session)
    text, is_error = call(wire, session, "shell", command="echo x > /tmp/locked && chmod 000 /tmp/locked")
    assert not is_error, text
    text, is_error = call(wire, session, "oss_upload", bucket=BUCKET, object="o", path="/tmp/locked")
    assert is_error and text == "Permission denied: /tmp/locked", text
