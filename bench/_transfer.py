"""A 10 MiB upload plus download through our SDK's tool path, measuring speed and memory; run by run.py.

Usage: python _transfer.py ENDPOINT KEY MIB CHUNK_KIB. Prints JSON. Runs in its own process so that
its peak RSS (VmHWM) is its own.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from agentbay import AgentBay


def hwm_mb() -> float:
    with open("/proc/self/status") as f:
        line = next(line for line in f if line.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


def main(endpoint: str, key: str, mib: int, chunk_kib: int) -> None:
    size = mib * 1024 * 1024
    with tempfile.TemporaryDirectory() as tmp, AgentBay(api_key=key, endpoint=endpoint) as ab:
        source, target = Path(tmp) / "up.bin", Path(tmp) / "down.bin"
        with source.open("wb") as f:
            for _ in range(mib):
                f.write(os.urandom(1024 * 1024))
        session = ab.create().unwrap()
        fs = session.file_system
        fs.write_file("/tmp/warm", "x")
        chunk = chunk_kib * 1024

        def round_trip() -> tuple[float, float]:
            # The tool path in chunks of chunk_kib (auto would take the URL path: _urls.py measures that).
            started = time.perf_counter()
            up = fs.upload_file(source, "/tmp/blob.bin", chunk_size=chunk, via="tool")
            up_s = time.perf_counter() - started
            started = time.perf_counter()
            down = fs.download_file("/tmp/blob.bin", target, chunk_size=chunk, via="tool")
            down_s = time.perf_counter() - started
            assert up.success and down.success, (up.error_message, down.error_message)
            return up_s, down_s

        before = hwm_mb()
        up_s, down_s = round_trip()  # timed without tracemalloc, which slows allocations by about 40%
        rss_growth = hwm_mb() - before
        assert source.read_bytes() == target.read_bytes()
        tracemalloc.start()
        round_trip()  # again, for the peak of Python allocations only
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        session.delete()
    print(json.dumps({
        "mib": mib, "chunk_kib": chunk_kib,
        "upload_mb_s": size / up_s / 1e6, "download_mb_s": size / down_s / 1e6,
        "round_trip_mb_s": 2 * size / (up_s + down_s) / 1e6,
        "python_peak_alloc_mb": traced_peak / 1024 / 1024,
        "rss_growth_mb": rss_growth,
    }))  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
