"""Fast transfers, both flavours, against a fake service: `AsyncPipeline`/`Pipeline` (several calls in
flight, results in order, bounded, cleaned up on failure), and `download_file` on the tool path with
pipelined ranged reads (byte for byte, progress, a failed piece leaves no partial file)."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from agentbay import (
    AgentBay,
    APIConnectionError,
    APIError,
    AsyncAgentBay,
    AuthenticationError,
    ContextSyncError,
    CreateSessionParams,
    InvalidInputError,
    NoSuchFileError,
    ToolError,
)
from agentbay import _files as files
from agentbay._pipeline import AsyncPipeline, Pipeline

from ._fake import API_KEY, FakeService, Sent, envelope
from ._synced import Synced

# ---- the pipelines -------------------------------------------------------------------------------


class Probe:
    """Counts calls in flight (from any thread) and remembers the most at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0
        self.started: list[int] = []

    def enter(self, item: int) -> None:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
            self.started.append(item)

    def leave(self) -> None:
        with self.lock:
            self.now -= 1


def run_pipeline(flavour: str, call: Callable[[int], int], items: list[int], depth: int) -> list[int]:
    """The results of `call` over `items` through the pipeline of `flavour`; `call` may sleep."""
    if flavour == "sync":
        with Pipeline(call, items, depth) as results:
            return list(results)

    async def acall(item: int) -> int:
        return await asyncio.to_thread(call, item)

    async def main() -> list[int]:
        async with AsyncPipeline(acall, items, depth) as results:
            return [r async for r in results]

    return asyncio.run(main())


def slow_square(probe: Probe, fail_on: int | None = None) -> Callable[[int], int]:
    def call(item: int) -> int:
        probe.enter(item)
        try:
            time.sleep(0.002 if item % 3 else 0.006)  # finish out of order
            if item == fail_on:
                raise ToolError("read_file", f"piece {item} failed")
            return item * item
        finally:
            probe.leave()

    return call


@pytest.mark.parametrize("depth", [1, 4])
def test_pipeline_keeps_order_and_depth(flavour: str, depth: int) -> None:
    probe = Probe()
    assert run_pipeline(flavour, slow_square(probe), list(range(40)), depth) == [i * i for i in range(40)]
    assert probe.most == depth
    assert probe.now == 0


def test_pipeline_failure_stops_the_rest_and_leaves_nothing_running(flavour: str) -> None:
    probe = Probe()
    with pytest.raises(ToolError, match="piece 5 failed"):
        run_pipeline(flavour, slow_square(probe, fail_on=5), list(range(1000)), 4)
    assert probe.now == 0  # every call begun has ended when the block is left
    assert len(probe.started) < 20  # and the ones not begun never were


def test_pipeline_refuses_depth_zero() -> None:
    with pytest.raises(ValueError):
        Pipeline(lambda i: i, [1], 0)


# ---- a fake session file system that serves ranged reads ----------------------------------------


class FileFake(FakeService):
    """The fake service, with `get_file_info`/`read_file` answered from `self.files` (path -> bytes) and
    `write_file` stored there; `UrlFake` adds the URL path and counts reads in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, bytes] = {}
        self.probe = Probe()
        self.fail_read_at: int | None = None
        """A read at this offset fails (a tool error)."""

    def file_tool(self, sent: Sent) -> httpx.Response | None:
        if sent.action != "CallMcpTool":
            return None
        name, args = sent.form["Name"], json.loads(sent.form["Args"])
        data = self.files.get(args.get("path", ""))
        if name == "get_file_info" and data is None:
            return self.tool_reply(
                f"Error: ENOENT: no such file or directory, stat '{args['path']}'", is_error=True
            )
        if name == "get_file_info":
            text = f"size: {len(data)}\nisDirectory: false\nisFile: true\npermissions: 644"
            return self.tool_reply(text)
        if name == "read_file" and data is not None:
            offset, length = args.get("offset", 0), args.get("length", 0)
            if offset == self.fail_read_at:
                return self.tool_reply("Error: EIO: i/o error, read", is_error=True)
            piece = data[offset : offset + length] if length else data[offset:]
            return self.tool_reply(base64.b64encode(piece).decode() if args.get("format") else piece.decode())
        if name == "write_file":
            content = args["content"]
            piece = base64.b64decode(content) if args.get("format") == "binary" else content.encode()
            old = self.files.get(args["path"], b"") if args["mode"] == "append" else b""
            self.files[args["path"]] = old + piece
            return self.tool_reply("ok")
        return None

    @staticmethod
    def tool_reply(text: str, *, is_error: bool = False) -> httpx.Response:
        return httpx.Response(
            200, json=envelope({"content": [{"type": "text", "text": text}], "isError": is_error})
        )


class StreamingMock(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """httpx.MockTransport reads each request body whole before the handler sees it; this one does
    not, so the handler sees how the body is streamed."""

    def __init__(self, handler: Callable[[httpx.Request], Any]) -> None:
        self.handler = handler

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = self.handler(request)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = await self.handler(request)
        return response


@pytest.fixture
def ffake() -> UrlFake:
    return UrlFake()


@pytest.fixture
def fbay(flavour: str, ffake: UrlFake) -> Iterator[Any]:
    """A client of `flavour` on `ffake` (async wrapped in `Synced`)."""
    if flavour == "sync":
        with AgentBay(
            api_key=API_KEY,
            endpoint="http://agentbay.test",
            http_client=httpx.Client(transport=StreamingMock(ffake.sync_handler)),
        ) as bay:
            yield bay
        return
    loop = asyncio.new_event_loop()
    client = httpx.AsyncClient(transport=StreamingMock(ffake.async_handler))
    abay = Synced(AsyncAgentBay(api_key=API_KEY, endpoint="http://agentbay.test", http_client=client), loop)
    try:
        yield abay
    finally:
        loop.run_until_complete(client.aclose())
        loop.close()


def new_fs(bay: Any) -> Any:
    return bay.create(CreateSessionParams()).unwrap().file_system


FIVE_MIB = 5 * 1024 * 1024


def test_tool_path_download_is_pipelined_byte_for_byte_with_progress(
    fbay: Any, ffake: UrlFake, tmp_path: Any
) -> None:
    data = os.urandom(FIVE_MIB)
    ffake.files["/tmp/blob.bin"] = data
    seen: list[tuple[int, int]] = []
    target = tmp_path / "blob.bin"
    result = new_fs(fbay).download_file(
        "/tmp/blob.bin", target, progress=lambda done, total: seen.append((done, total)), via="tool"
    )
    assert result.success and result.size == FIVE_MIB
    assert target.read_bytes() == data
    assert ffake.probe.most == files.READS_IN_FLIGHT  # several reads in flight, never more
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1] == (FIVE_MIB, FIVE_MIB)
    assert len(seen) == -(-FIVE_MIB // files.CHUNK_SIZE)  # one call per piece, in order
    assert not list(tmp_path.glob(".*.part"))


def test_read_file_bytes_is_pipelined_too(fbay: Any, ffake: UrlFake) -> None:
    data = os.urandom(20 * files.CHUNK_SIZE + 7)
    ffake.files["/tmp/b.bin"] = data
    result = new_fs(fbay).read_file("/tmp/b.bin", format="bytes")
    assert result.success and result.content == data
    assert ffake.probe.most == files.READS_IN_FLIGHT


def test_a_failed_piece_fails_the_download_and_leaves_no_partial_file(
    fbay: Any, ffake: UrlFake, tmp_path: Any
) -> None:
    ffake.files["/tmp/blob.bin"] = os.urandom(40 * files.CHUNK_SIZE)
    ffake.fail_read_at = 9 * files.CHUNK_SIZE
    target = tmp_path / "blob.bin"
    target.write_bytes(b"the earlier file")
    result = new_fs(fbay).download_file("/tmp/blob.bin", target, via="tool")
    assert not result.success and isinstance(result.error, ToolError) and "EIO" in result.error_message
    assert result.size == 9 * files.CHUNK_SIZE  # the pieces before the failed one were written
    assert target.read_bytes() == b"the earlier file"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["blob.bin"]  # no partial file left
    assert ffake.probe.now == 0  # no read still running
    reads = [a for n, a in ffake.tools() if n == "read_file"]
    assert len(reads) < 20  # the reads after the failure were not all sent


def test_sequential_when_one_read_in_flight(
    fbay: Any, ffake: UrlFake, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "READS_IN_FLIGHT", 1)
    data = os.urandom(10 * files.CHUNK_SIZE)
    ffake.files["/tmp/blob.bin"] = data
    assert new_fs(fbay).download_file("/tmp/blob.bin", tmp_path / "x", via="tool").success
    assert (tmp_path / "x").read_bytes() == data and ffake.probe.most == 1


# ---- the URL path --------------------------------------------------------------------------------

CONTEXT_ID = "SdkCtx-filetransfer0001"
OBJECTS = "http://oss.test/objects/"
EXPIRED = "<Error><Code>AccessDenied</Code><Message>Request has expired.</Message></Error>"


class UrlFake(FileFake):
    """FileFake plus the file-transfer context: GetAndLoadInternalContext, presigned URLs served at
    `OBJECTS` (PUT streamed in, GET out), SyncContext copying between `objects` and `files`, and
    GetContextInfo reporting each sync as a task (`fail_sync` makes them fail). Each `read_file` is
    counted while in flight (the async handler awaits, the sync one sleeps, so that reads overlap)."""

    def __init__(self) -> None:
        super().__init__()
        self.objects: dict[str, bytes] = {}
        self.tasks: list[dict[str, Any]] = []
        self.fail_sync = ""
        self.url_status: dict[str, int] = {}
        """A status to answer instead, by method (PUT, GET)."""
        self.url_requests: list[httpx.Request] = []
        self.put_pieces: list[int] = []

    def url_reply(self, request: httpx.Request, body: bytes) -> httpx.Response:
        self.url_requests.append(request)
        key = request.url.path.removeprefix("/objects/")
        status = self.url_status.get(request.method)
        if status is not None:
            return httpx.Response(
                status, content=EXPIRED.encode(), headers={"Content-Type": "application/xml"}
            )
        if request.method == "PUT":
            self.objects[key] = body
            return httpx.Response(200, headers={"ETag": '"x"'})
        if key not in self.objects:
            return httpx.Response(
                404, content=b"<Error><Code>NoSuchKey</Code><Message>none</Message></Error>"
            )
        return httpx.Response(200, content=self.objects[key])

    def context_action(self, sent: Sent) -> httpx.Response | None:
        form = sent.form
        if sent.action == "GetAndLoadInternalContext":
            data = [
                {"ContextId": CONTEXT_ID, "ContextPath": "/tmp/file-transfer", "ContextType": "file_transfer"}
            ]
            return httpx.Response(200, json=envelope(data))
        if sent.action in ("GetContextFileUploadUrl", "GetContextFileDownloadUrl"):
            url = OBJECTS + form["FilePath"].lstrip("/")
            return httpx.Response(200, json=envelope({"Url": url, "ExpireTime": 3600}))
        if sent.action == "SyncContext":
            path, mode = form["Path"], form["Mode"]
            if not self.fail_sync:
                if mode == "download":
                    self.files[path] = self.objects[path.lstrip("/")]
                elif path in self.files:
                    self.objects[path.lstrip("/")] = self.files[path]
            now = int(time.time())
            self.tasks = [t for t in self.tasks if (t["path"], t["taskType"]) != (path, mode)]
            self.tasks.append({"contextId": form["ContextId"], "path": path, "taskType": mode,
                               "status": "Failed" if self.fail_sync else "Success", "startTime": now,
                               "finishTime": now, "errorMessage": self.fail_sync})  # fmt: skip
            return httpx.Response(200, json=envelope())
        if sent.action == "GetContextInfo":
            status = json.dumps([{"type": "data", "data": json.dumps(self.tasks)}]) if self.tasks else ""
            return httpx.Response(200, json=envelope({"ContextStatus": status}))
        return None

    def answer(self, request: httpx.Request, body: bytes) -> httpx.Response:
        if request.url.host == "oss.test":
            return self.url_reply(request, body)
        sent = Sent.of(request)
        reply = self.context_action(sent) or self.file_tool(sent)
        if reply is None:
            return self.handler(request)
        self.sent.append(sent)
        return reply

    def sync_handler(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            pieces = list(request.stream)  # type: ignore[arg-type]
            self.put_pieces += [len(p) for p in pieces]
            return self.answer(request, b"".join(pieces))
        body = request.read()
        if b"Name=read_file" not in body:
            return self.answer(request, body)
        self.probe.enter(0)
        try:
            # Hold each read until as many as the pipeline allows have been in flight at once (or 2 s
            # pass): a fixed short sleep let a loaded machine finish reads before the next started.
            deadline = time.monotonic() + 2
            while self.probe.most < files.READS_IN_FLIGHT and time.monotonic() < deadline:
                time.sleep(0.001)
            return self.answer(request, body)
        finally:
            self.probe.leave()

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            pieces = [p async for p in request.stream]  # type: ignore[union-attr]
            self.put_pieces += [len(p) for p in pieces]
            return self.answer(request, b"".join(pieces))
        body = await request.aread()
        if b"Name=read_file" not in body:
            return self.answer(request, body)
        self.probe.enter(0)
        try:
            deadline = time.monotonic() + 2  # as the sync handler
            while self.probe.most < files.READS_IN_FLIGHT and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.001)  # the probe is shared with the sync handler's threads: no Event
            return self.answer(request, body)
        finally:
            self.probe.leave()


def actions(fake: FakeService) -> list[str]:
    return [a for a in fake.actions() if a != "CreateMcpSession"]


def test_big_files_go_through_the_url_both_ways_byte_for_byte(
    fbay: Any, ffake: UrlFake, tmp_path: Any
) -> None:
    data = os.urandom(FIVE_MIB)
    (tmp_path / "up.bin").write_bytes(data)
    fs = new_fs(fbay)
    seen: list[tuple[int, int]] = []
    up = fs.upload_file(tmp_path / "up.bin", "/tmp/blob.bin", progress=lambda d, t: seen.append((d, t)))
    assert up.success and up.size == FIVE_MIB and ffake.files["/tmp/blob.bin"] == data
    assert seen[-1] == (FIVE_MIB, FIVE_MIB) and len(seen) == 5  # a step per MiB sent
    # Streamed: the PUT body came in pieces of at most 1 MiB, never the whole file at once.
    assert max(ffake.put_pieces) <= 1024 * 1024 and sum(ffake.put_pieces) == FIVE_MIB
    seen.clear()
    down = fs.download_file("/tmp/blob.bin", tmp_path / "down.bin", progress=lambda d, t: seen.append((d, t)))
    assert down.success and down.size == FIVE_MIB and (tmp_path / "down.bin").read_bytes() == data
    assert seen[-1] == (FIVE_MIB, FIVE_MIB)
    assert actions(ffake) == [
        "GetAndLoadInternalContext",  # once per session
        "GetContextFileUploadUrl",
        "GetContextInfo",
        "SyncContext",
        "GetContextInfo",
        "CallMcpTool",  # get_file_info: the size, and NoSuchFileError for a missing file
        "GetContextInfo",
        "SyncContext",
        "GetContextInfo",
        "GetContextFileDownloadUrl",
    ]
    syncs = [s.form for s in ffake.sent if s.action == "SyncContext"]
    assert [(f["ContextId"], f["Path"], f["Mode"]) for f in syncs] == [
        (CONTEXT_ID, "/tmp/blob.bin", "download"),
        (CONTEXT_ID, "/tmp/blob.bin", "upload"),
    ]
    # The URL requests carry no API key, in no form.
    put, get = ffake.url_requests
    assert put.headers["Content-Length"] == str(FIVE_MIB)
    for request in (put, get):
        assert "authorization" not in request.headers
        assert API_KEY not in str(request.url) and API_KEY not in str(request.headers)
    assert not any(tool == "write_file" or tool == "read_file" for tool, _ in ffake.tools())


def test_small_files_take_the_tool_path_and_either_path_can_be_forced(
    fbay: Any, ffake: UrlFake, tmp_path: Any
) -> None:
    fs = new_fs(fbay)
    small = os.urandom(1024 * 1024 - 1)
    (tmp_path / "small.bin").write_bytes(small)
    assert fs.upload_file(tmp_path / "small.bin", "/tmp/s.bin").success
    assert fs.download_file("/tmp/s.bin", tmp_path / "s.back").success
    assert (tmp_path / "s.back").read_bytes() == small
    assert ffake.url_requests == [] and "GetAndLoadInternalContext" not in ffake.actions()
    # Forced: the small file through the URL, and a big one through the tools.
    assert fs.upload_file(io.BytesIO(b"tiny"), "/tmp/t.bin", via="url").success
    assert ffake.files["/tmp/t.bin"] == b"tiny" and len(ffake.url_requests) == 1
    big = os.urandom(2 * 1024 * 1024)
    (tmp_path / "big.bin").write_bytes(big)
    ffake.url_requests.clear()
    assert fs.upload_file(tmp_path / "big.bin", "/tmp/b.bin", via="tool").success
    assert fs.download_file("/tmp/b.bin", tmp_path / "b.back", via="tool").success
    assert (tmp_path / "b.back").read_bytes() == big and ffake.url_requests == []
    assert fs.download_file("/tmp/t.bin", tmp_path / "t.back", via="url").success
    assert (tmp_path / "t.back").read_bytes() == b"tiny" and len(ffake.url_requests) == 1


def test_an_empty_file_and_a_stream_of_unknown_size_through_the_url(fbay: Any, ffake: UrlFake) -> None:
    fs = new_fs(fbay)
    assert fs.upload_file(io.BytesIO(b""), "/tmp/empty", via="url").success
    assert ffake.files["/tmp/empty"] == b""
    read, write = os.pipe()
    os.write(write, b"piped bytes")
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        seen: list[tuple[int, int]] = []
        result = fs.upload_file(pipe, "/tmp/piped", via="url", progress=lambda d, t: seen.append((d, t)))
    assert result.success and ffake.files["/tmp/piped"] == b"piped bytes" and seen == [(11, -1)]
    assert "Content-Length" not in ffake.url_requests[-1].headers  # sent chunked


def test_an_expired_upload_url_is_a_typed_failure_and_nothing_is_synced(
    fbay: Any, ffake: UrlFake, tmp_path: Any
) -> None:
    ffake.url_status["PUT"] = 403
    (tmp_path / "up.bin").write_bytes(os.urandom(FIVE_MIB))
    result = new_fs(fbay).upload_file(tmp_path / "up.bin", "/tmp/blob.bin")
    assert not result.success
    error = result.error
    assert isinstance(error, APIError) and not isinstance(error, AuthenticationError)
    assert (error.code, error.http_status) == ("AccessDenied", 403)
    assert "expired" in result.error_message and OBJECTS not in result.error_message
    assert "/tmp/blob.bin" not in ffake.files and "SyncContext" not in ffake.actions()


def test_an_expired_download_url_leaves_no_partial_file(fbay: Any, ffake: UrlFake, tmp_path: Any) -> None:
    ffake.files["/tmp/blob.bin"] = os.urandom(FIVE_MIB)
    ffake.url_status["GET"] = 403
    target = tmp_path / "blob.bin"
    target.write_bytes(b"earlier")
    result = new_fs(fbay).download_file("/tmp/blob.bin", target)
    assert not result.success and isinstance(result.error, APIError) and result.error.code == "AccessDenied"
    assert target.read_bytes() == b"earlier" and [p.name for p in tmp_path.iterdir()] == ["blob.bin"]


def test_a_failed_sync_task_is_a_context_sync_error(fbay: Any, ffake: UrlFake, tmp_path: Any) -> None:
    fs = new_fs(fbay)
    ffake.fail_sync = "No space left on device"
    (tmp_path / "up.bin").write_bytes(os.urandom(FIVE_MIB))
    up = fs.upload_file(tmp_path / "up.bin", "/tmp/blob.bin")
    assert not up.success and isinstance(up.error, ContextSyncError)
    assert up.error.reason == "No space left on device" and up.error.task_type == "download"
    assert up.size == FIVE_MIB  # sent, but not landed
    ffake.files["/tmp/other.bin"] = os.urandom(FIVE_MIB)
    down = fs.download_file("/tmp/other.bin", tmp_path / "other.bin")
    assert not down.success and isinstance(down.error, ContextSyncError) and down.error.task_type == "upload"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["up.bin"]  # no partial file


def test_a_broken_connection_to_the_url_is_a_transport_error_without_the_url(
    fbay: Any, ffake: UrlFake, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(request: httpx.Request, body: bytes) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}")

    monkeypatch.setattr(ffake, "url_reply", refuse)
    result = new_fs(fbay).upload_file(io.BytesIO(b"x" * 10), "/tmp/x", via="url")
    assert isinstance(result.error, APIConnectionError) and OBJECTS not in result.error_message
    assert "<url>" in result.error_message


def test_a_missing_file_is_no_such_file_on_the_url_path_too(
    fbay: Any, ffake: UrlFake, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fs = new_fs(fbay)
    result = fs.download_file("/tmp/none.bin", tmp_path / "x", via="url")
    assert isinstance(result.error, NoSuchFileError) and not list(tmp_path.iterdir())
    # Gone between get_file_info and the sync: the object is not there to GET (object storage's 404).
    ffake.files["/tmp/gone.bin"] = b"soon gone"
    real = ffake.context_action

    def vanish(sent: Sent) -> httpx.Response | None:
        if sent.action == "SyncContext":
            ffake.files.pop("/tmp/gone.bin", None)
        return real(sent)

    monkeypatch.setattr(ffake, "context_action", vanish)
    result = fs.download_file("/tmp/gone.bin", tmp_path / "x", via="url")
    assert isinstance(result.error, NoSuchFileError) and result.error.path == "/tmp/gone.bin"
    assert not list(tmp_path.iterdir())


def test_via_is_checked_before_anything_is_sent(fbay: Any, ffake: UrlFake, tmp_path: Any) -> None:
    fs = new_fs(fbay)
    sent = len(ffake.sent)
    with pytest.raises(InvalidInputError, match="via"):
        fs.upload_file(io.BytesIO(b"x"), "/tmp/x", via="fast")
    with pytest.raises(InvalidInputError, match="absolute"):
        fs.upload_file(io.BytesIO(b"x"), "tmp/x", via="url")
    with pytest.raises(InvalidInputError, match="absolute"):
        fs.download_file("tmp/x", tmp_path / "x", via="url")
    assert len(ffake.sent) == sent


def test_get_and_load_internal_context_is_sent_as_0_22_3_sends_it(fbay: Any, ffake: UrlFake) -> None:
    fs = new_fs(fbay)
    fs.upload_file(io.BytesIO(b"x"), "/tmp/x", via="url")
    [sent] = [s for s in ffake.sent if s.action == "GetAndLoadInternalContext"]
    # Captured from 0.22.3 (a local capture server): the list ContextTypes=["file_transfer"] flattened.
    captured = "Authorization=Bearer+k&ContextTypes.1=file_transfer&SessionId=session-1"
    theirs = dict(pair.split("=") for pair in captured.split("&"))
    ours = dict(pair.split("=") for pair in sent.request.content.decode().split("&"))
    assert ours.keys() == theirs.keys() and ours["ContextTypes.1"] == "file_transfer"
    assert ours["Authorization"] == f"Bearer+{API_KEY}"


@pytest.mark.parametrize("via", ["tool", "url"])
def test_a_failing_progress_callback_propagates_and_leaves_no_partial_file(
    fbay: Any, ffake: UrlFake, tmp_path: Any, via: str
) -> None:
    ffake.files["/tmp/blob.bin"] = os.urandom(20 * files.CHUNK_SIZE)

    def boom(done: int, total: int) -> None:
        raise KeyError("stop")

    with pytest.raises(KeyError):
        new_fs(fbay).download_file("/tmp/blob.bin", tmp_path / "x", progress=boom, via=via)
    assert list(tmp_path.iterdir()) == []
    assert ffake.probe.now == 0
