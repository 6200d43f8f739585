"""Fast transfers, both flavours, against a fake service: `AsyncPipeline`/`Pipeline` (several calls in
flight, results in order, bounded, cleaned up on failure), and `download_file` on the tool path with
pipelined ranged reads (byte for byte, progress, a failed piece leaves no partial file)."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from agentbay import AgentBay, AsyncAgentBay, CreateSessionParams, ToolError
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
    """The fake service, with `get_file_info`/`read_file` answered from `self.files` (path -> bytes),
    `write_file` stored there, and every read counted while in flight (in the async flavour the
    handler awaits, in the sync one it sleeps, so that concurrent reads overlap)."""

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
        if name == "get_file_info" and data is not None:
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

    def is_read(self, request: httpx.Request) -> bool:
        return b"Name=read_file" in request.content

    def sync_handler(self, request: httpx.Request) -> httpx.Response:
        reading = self.is_read(request)
        if reading:
            self.probe.enter(0)
            time.sleep(0.001)
        try:
            sent = Sent.of(request)
            reply = self.file_tool(sent)
            if reply is None:
                return self.handler(request)
            self.sent.append(sent)
            return reply
        finally:
            if reading:
                self.probe.leave()

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        reading = self.is_read(request)
        if reading:
            self.probe.enter(0)
            await asyncio.sleep(0.001)
        try:
            sent = Sent.of(request)
            reply = self.file_tool(sent)
            if reply is None:
                return self.handler(request)
            self.sent.append(sent)
            return reply
        finally:
            if reading:
                self.probe.leave()


@pytest.fixture
def ffake() -> FileFake:
    return FileFake()


@pytest.fixture
def fbay(flavour: str, ffake: FileFake) -> Iterator[Any]:
    """A client of `flavour` on `ffake` (async wrapped in `Synced`)."""
    if flavour == "sync":
        with AgentBay(
            api_key=API_KEY,
            endpoint="http://agentbay.test",
            http_client=httpx.Client(transport=httpx.MockTransport(ffake.sync_handler)),
        ) as bay:
            yield bay
        return
    loop = asyncio.new_event_loop()
    client = httpx.AsyncClient(transport=httpx.MockTransport(ffake.async_handler))
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
    fbay: Any, ffake: FileFake, tmp_path: Any
) -> None:
    data = os.urandom(FIVE_MIB)
    ffake.files["/tmp/blob.bin"] = data
    seen: list[tuple[int, int]] = []
    target = tmp_path / "blob.bin"
    result = new_fs(fbay).download_file(
        "/tmp/blob.bin", target, progress=lambda done, total: seen.append((done, total))
    )
    assert result.success and result.size == FIVE_MIB
    assert target.read_bytes() == data
    assert ffake.probe.most == files.READS_IN_FLIGHT  # several reads in flight, never more
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1] == (FIVE_MIB, FIVE_MIB)
    assert len(seen) == -(-FIVE_MIB // files.CHUNK_SIZE)  # one call per piece, in order
    assert not list(tmp_path.glob(".*.part"))


def test_read_file_bytes_is_pipelined_too(fbay: Any, ffake: FileFake) -> None:
    data = os.urandom(20 * files.CHUNK_SIZE + 7)
    ffake.files["/tmp/b.bin"] = data
    result = new_fs(fbay).read_file("/tmp/b.bin", format="bytes")
    assert result.success and result.content == data
    assert ffake.probe.most == files.READS_IN_FLIGHT


def test_a_failed_piece_fails_the_download_and_leaves_no_partial_file(
    fbay: Any, ffake: FileFake, tmp_path: Any
) -> None:
    ffake.files["/tmp/blob.bin"] = os.urandom(40 * files.CHUNK_SIZE)
    ffake.fail_read_at = 9 * files.CHUNK_SIZE
    target = tmp_path / "blob.bin"
    target.write_bytes(b"the earlier file")
    result = new_fs(fbay).download_file("/tmp/blob.bin", target)
    assert not result.success and isinstance(result.error, ToolError) and "EIO" in result.error_message
    assert result.size == 9 * files.CHUNK_SIZE  # the pieces before the failed one were written
    assert target.read_bytes() == b"the earlier file"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["blob.bin"]  # no partial file left
    assert ffake.probe.now == 0  # no read still running
    reads = [a for n, a in ffake.tools() if n == "read_file"]
    assert len(reads) < 20  # the reads after the failure were not all sent


def test_sequential_when_one_read_in_flight(
    fbay: Any, ffake: FileFake, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "READS_IN_FLIGHT", 1)
    data = os.urandom(10 * files.CHUNK_SIZE)
    ffake.files["/tmp/blob.bin"] = data
    assert new_fs(fbay).download_file("/tmp/blob.bin", tmp_path / "x").success
    assert (tmp_path / "x").read_bytes() == data and ffake.probe.most == 1
