"""Context-backed transfers and tool-path pipelining, measured in a process of their own; run by run.py.

Usage: python _urls.py ENDPOINT KEY MIB. Prints one JSON object:

- `url`: a MIB-MiB file up and down through our SDK's URL path (`via="url"`: the file-transfer
  context, a presigned URL, the sync into the session), with the peak RSS growth of this process
  (VmHWM) over the two transfers;
- `raw`: the same bytes PUT to and GET from presigned URLs of the same server with bare httpx
  (streamed from and to disk, as ours), no sync: the baseline of `url`;
- `tool`: the same file through the tool path (50 KiB `write_file` / `read_file` calls);
- `pipelining`: tool-path downloads of 10 MiB and MIB MiB, sync and async clients, one ranged read
  in flight (sequential, as before) vs `READS_IN_FLIGHT` (4).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from agentbay import AgentBay, AsyncAgentBay
from agentbay import _files as files

ROUNDS = 3


def hwm_mb() -> float:
    with open("/proc/self/status") as f:
        line = next(line for line in f if line.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


def timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    result = call()
    elapsed = time.perf_counter() - started
    assert getattr(result, "success", True), getattr(result, "error_message", result)
    return elapsed


def write_random(path: Path, mib: int) -> None:
    with path.open("wb") as f:
        for _ in range(mib):
            f.write(os.urandom(1024 * 1024))


def same(a: Path, b: Path) -> bool:
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            x, y = fa.read(1 << 20), fb.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


def raw_put_get(ab: AgentBay, source: Path, target: Path) -> tuple[float, float]:
    """Seconds of a bare-httpx PUT and GET of `source` to presigned URLs of a context of ours."""
    context = ab.context.create(f"bench-raw-{os.getpid()}").unwrap()
    try:
        up_url = ab.context.get_file_upload_url(context.id, "/bench/raw.bin").url
        down_url = ab.context.get_file_download_url(context.id, "/bench/raw.bin").url
        with httpx.Client(timeout=60) as client:
            started = time.perf_counter()
            with source.open("rb") as f:
                response = client.put(
                    up_url, content=iter(lambda: f.read(1 << 20), b""),
                    headers={"Content-Length": str(source.stat().st_size)},
                )  # fmt: skip
            response.raise_for_status()
            up = time.perf_counter() - started
            started = time.perf_counter()
            with client.stream("GET", down_url) as response, target.open("wb") as out:
                response.raise_for_status()
                for piece in response.iter_bytes():
                    out.write(piece)
            down = time.perf_counter() - started
    finally:
        ab.context.delete(context)
    return up, down


def pipelining(endpoint: str, key: str, tmp: Path, mib: int) -> dict[str, Any]:
    """MB/s of tool-path downloads with 1 and with READS_IN_FLIGHT ranged reads in flight."""
    rows: dict[str, Any] = {}
    depth = files.READS_IN_FLIGHT
    with AgentBay(api_key=key, endpoint=endpoint) as ab, ab.create().unwrap() as session:
        fs = session.file_system
        for size in sorted({10, mib}):
            source = tmp / f"pipe-{size}.bin"
            write_random(source, size)
            assert fs.upload_file(source, f"/tmp/pipe-{size}.bin").success
            for flavour in ("sync", "async"):
                row = {}
                for reads in (1, depth):
                    files.READS_IN_FLIGHT = reads
                    remote = f"/tmp/pipe-{size}.bin"
                    if flavour == "sync":
                        seconds = timed(lambda r=remote: fs.download_file(r, tmp / "p.bin", via="tool"))
                    else:
                        seconds = asyncio.run(_async_download(endpoint, key, session.session_id, remote, tmp))
                    assert same(source, tmp / "p.bin")
                    row[f"{reads}_mb_s"] = size * 1.048576 / seconds
                files.READS_IN_FLIGHT = depth
                row["gain"] = row[f"{depth}_mb_s"] / row["1_mb_s"]
                rows[f"{flavour}_{size}mib"] = row
    return rows


async def _async_download(endpoint: str, key: str, session_id: str, remote: str, tmp: Path) -> float:
    async with AsyncAgentBay(api_key=key, endpoint=endpoint) as ab:
        fs = (await ab.get(session_id)).unwrap().file_system
        started = time.perf_counter()
        result = await fs.download_file(remote, tmp / "p.bin", via="tool")
        assert result.success, result.error_message
        return time.perf_counter() - started


def main(endpoint: str, key: str, mib: int) -> None:
    size_mb = mib * 1.048576
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        source, target = tmp / "up.bin", tmp / "down.bin"
        write_random(source, mib)
        report: dict[str, Any] = {"mib": mib}
        with AgentBay(api_key=key, endpoint=endpoint) as ab, ab.create().unwrap() as session:
            fs = session.file_system
            (tmp / "warm.bin").write_bytes(b"warm")
            assert fs.upload_file(tmp / "warm.bin", "/tmp/warm", via="url").success  # the context, the pool
            # Best of ROUNDS for ours and the baseline, interleaved, so both meet the same noise of this
            # shared machine; the RSS growth is over all of our rounds.
            ups, downs, raw_ups, raw_downs = [], [], [], []
            before = hwm_mb()
            for _ in range(ROUNDS):
                ups.append(timed(lambda: fs.upload_file(source, "/tmp/blob.bin", via="url")))
                downs.append(timed(lambda: fs.download_file("/tmp/blob.bin", target, via="url")))
                assert same(source, target)
                target.unlink()
                raw_up, raw_down = raw_put_get(ab, source, target)
                raw_ups.append(raw_up)
                raw_downs.append(raw_down)
                assert same(source, target)
            growth = hwm_mb() - before
            report["rounds"] = ROUNDS
            report["url"] = {
                "up_mb_s": size_mb / min(ups),
                "down_mb_s": size_mb / min(downs),
                "rss_growth_mb": growth,
            }
            report["raw"] = {"up_mb_s": size_mb / min(raw_ups), "down_mb_s": size_mb / min(raw_downs)}
            up = timed(lambda: fs.upload_file(source, "/tmp/tool.bin", via="tool"))
            down = timed(lambda: fs.download_file("/tmp/tool.bin", target, via="tool"))
            assert same(source, target)
            report["tool"] = {"up_mb_s": size_mb / up, "down_mb_s": size_mb / down}
        report["pipelining"] = pipelining(endpoint, key, tmp, mib)
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
