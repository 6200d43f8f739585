"""The local object store's throughput, measured in a process of its own; run by run.py.

Usage: python _objectstore.py OSS_ENDPOINT KEY MIB. Prints one JSON object:

- `oss2`: a MIB-MiB file PUT (put_object_from_file) and GET (get_object_to_file) through oss2, the
  real OSS client library, with its defaults (CRC-64 checked on both ways);
- `raw`: the same bytes PUT to and GET from signed URLs of the same store with bare httpx, streamed
  from and to disk: the baseline (no client-side hashing).

MB/s are the median of ROUNDS rounds.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import oss2

ROUNDS = 3


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main(endpoint: str, key: str, mib: int) -> None:
    bucket = oss2.Bucket(oss2.Auth("bench", key), endpoint, f"bench-{os.getpid()}")
    bucket.create_bucket()
    size = mib * 1024 * 1024
    with tempfile.TemporaryDirectory() as tmp, httpx.Client(timeout=120) as client:
        source, target = Path(tmp) / "source", Path(tmp) / "target"
        with source.open("wb") as f:
            for _ in range(mib):
                f.write(os.urandom(1024 * 1024))

        def raw_put() -> None:
            url = bucket.sign_url("PUT", "raw", 300)
            with source.open("rb") as f:
                body = iter(lambda: f.read(1 << 20), b"")
                client.put(url, content=body, headers={"Content-Length": str(size)}).raise_for_status()

        def raw_get() -> None:
            with client.stream("GET", bucket.sign_url("GET", "raw", 300)) as response, target.open("wb") as f:
                response.raise_for_status()
                for chunk in response.iter_bytes(1 << 20):
                    f.write(chunk)

        times: dict[str, list[float]] = {"oss2_up": [], "oss2_down": [], "raw_up": [], "raw_down": []}
        for _ in range(ROUNDS):  # interleaved, so that drift hits both alike
            times["oss2_up"].append(timed(lambda: bucket.put_object_from_file("oss2", str(source))))
            times["oss2_down"].append(timed(lambda: bucket.get_object_to_file("oss2", str(target))))
            times["raw_up"].append(timed(raw_put))
            times["raw_down"].append(timed(raw_get))
        assert target.stat().st_size == size
    for name in ("oss2", "raw"):
        bucket.delete_object(name)
    bucket.delete_bucket()
    mb = size / 1e6
    rates = {name: mb / statistics.median(values) for name, values in times.items()}
    print(
        json.dumps(
            {
                "mib": mib,
                "oss2": {"up_mb_s": rates["oss2_up"], "down_mb_s": rates["oss2_down"]},
                "raw": {"up_mb_s": rates["raw_up"], "down_mb_s": rates["raw_down"]},
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
