"""The local server under load from commands and sessions; run by run.py (or alone: see below).

- `read_under_commands`: the latency of a small `read_file` in one session while N other sessions
  each run a long command (`sleep`), N in (0, 10, 50, 100). A command that holds a server thread for
  its whole run shows here as reads waiting for a thread.
- `burst`: S sessions at once, each doing create, `echo`, a 100 KB write and read, labels, delete;
  per step, the p50 and p95 of its latency. Driven from one client process, and from 4 (25 sessions
  each): one asyncio client at 100 concurrent requests spends most of its CPU in httpcore's pool
  bookkeeping (linear in its connections, per request), so on 2 cores it, not the server, sets the
  figure; 4 processes show the server's.

- `output_memory`: what a command writing 100 MiB to stdout costs the server (peak RSS growth, in its
  own process), the reply capped at 64 MiB; and how long the call takes end to end.

Usage: python bench/_capacity.py [ENDPOINT KEY SERVER_PID]; without them, starts a server of its own
(in another process, as run.py does). Prints JSON.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from agentbay import AsyncAgentBay, AsyncSession, CreateSessionParams

# Command and file capacity, measured on sessions without a desktop: a linux_latest session (the default
# image) also starts an X display, whose cost bench/_desktop.py measures apart.
NO_DESKTOP = CreateSessionParams(image_id="code_latest")

LONG_COMMAND_S = 8
READS = 20
LIMITS = httpx.Limits(max_connections=400, max_keepalive_connections=400)


def _client(endpoint: str, key: str) -> AsyncAgentBay:
    return AsyncAgentBay(
        api_key=key, endpoint=endpoint, timeout=120, http_client=httpx.AsyncClient(limits=LIMITS, timeout=120)
    )


async def _sessions(bay: AsyncAgentBay, n: int) -> list[AsyncSession]:
    sessions = [(await bay.create(NO_DESKTOP)).unwrap() for _ in range(n)]
    # The first command of a session sets up its sandbox: not what is measured.
    await asyncio.gather(*(s.command.execute_command("true") for s in sessions))
    return sessions


async def read_under_commands(endpoint: str, key: str, busy: int) -> dict[str, float]:
    """ms of a 1 KB read_file while `busy` other sessions each run `sleep LONG_COMMAND_S`."""
    async with _client(endpoint, key) as bay:
        reader, *others = await _sessions(bay, busy + 1)
        await reader.file_system.write_file("/tmp/small.txt", "x" * 1024)
        commands = [
            asyncio.ensure_future(s.command.execute_command(f"sleep {LONG_COMMAND_S}", timeout_ms=120_000))
            for s in others
        ]
        await asyncio.sleep(1.0 if busy else 0)  # let the commands start
        times = []
        for _ in range(READS):
            started = time.perf_counter()
            result = await reader.file_system.read_file("/tmp/small.txt")
            times.append(time.perf_counter() - started)
            assert result.success, result.error_message
        results = await asyncio.gather(*commands)
        failed = sum(not r.success for r in results)
        await asyncio.gather(*(s.delete() for s in [reader, *others]))
    return {
        "busy": busy,
        "first_ms": times[0] * 1000,
        "p50_ms": statistics.median(times) * 1000,
        "max_ms": max(times) * 1000,
        "commands_failed": failed,
    }


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
    }


STEPS = ("create", "exec", "write", "read", "labels", "delete", "total")


async def _burst_steps(endpoint: str, key: str, sessions: int) -> dict[str, list[float]]:
    """`sessions` clients at once: create, echo, 100 KB write and read, labels, delete; the latency of
    each step, in seconds, and the failures (under "failures")."""
    steps: dict[str, list[float]] = {name: [] for name in STEPS}
    content = "y" * 100_000
    failures: list[str] = []

    async def timed(name: str, call: Callable[[], Awaitable[Any]]) -> Any:
        started = time.perf_counter()
        result = await call()
        steps[name].append(time.perf_counter() - started)
        return result

    async def one(bay: AsyncAgentBay, index: int) -> None:
        started = time.perf_counter()
        session = (await timed("create", lambda: bay.create(NO_DESKTOP))).unwrap()
        results = [
            await timed("exec", lambda: session.command.execute_command(f"echo {index}")),
            await timed("write", lambda: session.file_system.write_file("/tmp/f.txt", content)),
            await timed("read", lambda: session.file_system.read_file("/tmp/f.txt")),
            await timed("labels", lambda: session.set_labels({"burst": str(index)})),
            await timed("delete", session.delete),
        ]
        steps["total"].append(time.perf_counter() - started)
        failures.extend(r.error_message for r in results if not r.success)

    async with _client(endpoint, key) as bay:
        await asyncio.gather(*(one(bay, i) for i in range(sessions)))
    return {**steps, "failures": [float(len(failures))]}


def burst(endpoint: str, key: str, sessions: int, processes: int = 1) -> dict[str, Any]:
    """`_burst_steps` for `sessions` sessions, split over `processes` client processes."""
    started = time.perf_counter()
    if processes == 1:
        parts = [asyncio.run(_burst_steps(endpoint, key, sessions))]
    else:
        workers = [
            subprocess.Popen(
                [sys.executable, __file__, "burst-worker", endpoint, key, str(sessions // processes)],
                stdout=subprocess.PIPE,
            )
            for _ in range(processes)
        ]
        parts = [json.loads(worker.communicate()[0]) for worker in workers]
    wall = time.perf_counter() - started
    return {
        "sessions": sessions,
        "client_processes": processes,
        "wall_s": wall,
        "failures": int(sum(sum(part["failures"]) for part in parts)),
        **{name: _percentiles([t for part in parts for t in part[name]]) for name in STEPS},
    }


def _hwm_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


async def output_memory(endpoint: str, key: str, server_pid: int, mib: int = 100) -> dict[str, float]:
    """The server's peak RSS growth while a command writes `mib` MiB to stdout (first, on a fresh server:
    the peak is the process's high-water mark)."""
    async with _client(endpoint, key) as bay:
        (session,) = await _sessions(bay, 1)
        before = _hwm_mb(server_pid)
        started = time.perf_counter()
        result = await session.command.execute_command(
            f"head -c {mib * 1024 * 1024} /dev/zero | tr '\\0' a", timeout_ms=120_000
        )
        seconds = time.perf_counter() - started
        assert result.success and result.truncated and result.stdout_bytes == mib * 1024 * 1024
        await session.delete()
    return {"output_mib": mib, "server_peak_rss_growth_mb": _hwm_mb(server_pid) - before, "seconds": seconds}


def run_all(endpoint: str, key: str, server_pid: int) -> dict[str, Any]:
    return {
        "output_memory": asyncio.run(output_memory(endpoint, key, server_pid)),
        "read_under_commands": [
            asyncio.run(read_under_commands(endpoint, key, busy)) for busy in (0, 10, 50, 100)
        ],
        "burst_100": burst(endpoint, key, 100),
        "burst_100_4_clients": burst(endpoint, key, 100, processes=4),
    }


def rows(r: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Lines of run.py's table."""
    m = r["output_memory"]
    out = [(f"command writing {m['output_mib']} MiB: server peak RSS +MB", f"{m['server_peak_rss_growth_mb']:.0f}",
            "kept 64 MiB", f"{m['seconds']:.1f} s end to end", "")]  # fmt: skip
    idle = r["read_under_commands"][0]["p50_ms"]
    for row in r["read_under_commands"]:
        out.append((f"read_file while {row['busy']} sessions run sleep, ms", f"{row['p50_ms']:.1f}",
                    f"idle {idle:.1f}", f"first {row['first_ms']:.0f}, max {row['max_ms']:.0f}", ""))  # fmt: skip
    for b in (r["burst_100"], r["burst_100_4_clients"]):
        clients = f"{b['client_processes']} client process{'es' if b['client_processes'] > 1 else ''}"
        for step in STEPS:
            out.append((f"burst of {b['sessions']}, {clients}: {step}, ms p50", f"{b[step]['p50_ms']:.0f}",
                        f"p95 {b[step]['p95_ms']:.0f}", f"wall {b['wall_s']:.1f} s" if step == "total" else "",
                        ""))  # fmt: skip
    return out


if __name__ == "__main__":
    if sys.argv[1:2] == ["burst-worker"]:
        print(json.dumps(asyncio.run(_burst_steps(sys.argv[2], sys.argv[3], int(sys.argv[4])))))
    elif len(sys.argv) == 4:
        print(json.dumps(run_all(sys.argv[1], sys.argv[2], int(sys.argv[3])), indent=2))
    else:
        import run  # the sibling module (bench/ is on sys.path when this runs as a script)

        pids: list[int] = []
        with run.server_process(pids) as url:
            print(json.dumps(run_all(url, run.KEY, pids[0]), indent=2))
