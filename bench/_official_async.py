"""Async throughput of the OFFICIAL SDK's AsyncAgentBay; run inside its own venv by bench/run.py.

Usage: python _official_async.py CONCURRENCY SECONDS  (AGENTBAY_ENDPOINT, AGENTBAY_API_KEY set)
Prints {"calls": N, "seconds": S, "errors": E} as JSON.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time

from agentbay import AsyncAgentBay


async def main(concurrency: int, seconds: float) -> None:
    ab = AsyncAgentBay(api_key=os.environ["AGENTBAY_API_KEY"])
    created = await ab.create()
    assert created.success, created.error_message
    session = created.session
    calls = errors = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal calls, errors
        while time.perf_counter() < deadline:
            result = await session.get_labels()
            calls += 1
            errors += not result.success

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    await session.delete()
    print(json.dumps({"calls": calls, "seconds": elapsed, "errors": errors}))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2])))
