"""Benchmarks, each side by side with its baseline in the same run (`nox -s bench`).

- sequential `session.get_labels()`: our sync SDK vs the same request made with a bare httpx.Client;
- async throughput at concurrency 10 and 50: AsyncAgentBay vs a bare httpx.AsyncClient vs the official
  SDK 0.22.3's AsyncAgentBay;
- `import agentbay`: wall time and peak RSS, ours vs the official SDK; installed distributions;
- the local server's own capacity (bare httpx at high concurrency), to tell whether it bounds a figure;
- commands on the local server (`_capacity`): a file read while N sessions run long commands, a burst
  of 100 sessions (per-step p50/p95), the memory a 100 MiB output costs;
- file transfers (`_urls`): 64 MiB up and down through the URL path vs bare httpx PUT/GET to the same
  server's presigned URLs, vs the 50 KiB tool path, the client's RSS growth; tool-path downloads with
  one ranged read in flight vs four (sync and async clients);
- the local object store (`_objectstore`): 64 MiB PUT and GET through oss2 vs bare httpx PUT/GET to
  signed URLs of the same store;
- code and watching: `run_code` (python, javascript) vs the same program through `execute_command`;
  the time from a `write_file` to a directory watcher's callback (50 ms polls) vs one idle poll;
- desktop sessions (`_desktop`): screenshot latency (1024x768, the URL, and with the download), input
  latency (move_mouse, click_mouse, input_text of 20 characters), the time a desktop adds to create
  (linux_latest vs code_latest);
- browser sessions (`_browser`): the time from `create(browser_latest)` to a Playwright client
  connected over CDP vs the same Chromium started and connected on the host; a page load round trip
  (`page.goto` of a page served in the session) through the link proxy vs straight to the browser;
- the `agentbay` command (`_cli`): wall time of `--version`, `session list`, `exec`, `fs cat` vs the
  same call in a `python -c`; `import agentbay` with the `[cli]` extra installed vs without.

The server runs in its own process, so that it does not share a GIL with the clients measured.
Prints a table and writes JSON (--out). No figure here is asserted: targets are reported beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import _capacity  # noqa: E402  # bench/ is on sys.path: this file runs as a script
import _cli  # noqa: E402
import official_sdk  # noqa: E402

from agentbay import AgentBay, AsyncAgentBay  # noqa: E402

OFFICIAL = "0.22.3"
KEY = "akm-bench-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server_process(pids: list[int] | None = None, oss_port: int = 0) -> Iterator[str]:
    """A local server in a process of its own (its pid appended to `pids`); yields its endpoint."""
    port = free_port()
    with tempfile.TemporaryDirectory() as state:
        proc = subprocess.Popen(
            [sys.executable, "-m", "agentbay.cli", "local", "serve", "--port", str(port),
             "--oss-port", str(oss_port), "--state-dir", state, "--api-key", KEY],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        if pids is not None:
            pids.append(proc.pid)
        endpoint = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    httpx.post(endpoint + "/?Action=ListSession", timeout=0.5)
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
            yield endpoint
        finally:
            proc.terminate()
            proc.wait(10)


def raw_request(endpoint: str, session_id: str) -> tuple[str, dict[str, str]]:
    """The GetLabel request our SDK sends, built by hand (what a bare-httpx user would write)."""
    return endpoint + "/", {"Authorization": f"Bearer {KEY}", "SessionId": session_id}


def raw_params() -> dict[str, str]:
    return {
        "Action": "GetLabel", "Format": "json", "Version": "2025-05-06",
        "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "SignatureNonce": os.urandom(16).hex(),
    }  # fmt: skip


def sequential(endpoint: str, n: int) -> dict[str, Any]:
    with AgentBay(api_key=KEY, endpoint=endpoint) as ab, httpx.Client() as raw:
        session = ab.create().unwrap()
        url, form = raw_request(endpoint, session.session_id)

        def ours() -> None:
            session.get_labels()

        def bare() -> None:
            response = raw.post(url, params=raw_params(), data=form)
            response.raise_for_status()
            json.loads(response.content)["Data"]["Labels"]

        # Interleave rounds so that drift (other load, CPU frequency) hits both alike.
        times: dict[str, list[float]] = {"ours": [], "bare": []}
        for fn in (ours, bare):
            for _ in range(50):
                fn()
        rounds = 10
        for _ in range(rounds):
            for name, fn in (("ours", ours), ("bare", bare)):
                started = time.perf_counter()
                for _ in range(n // rounds):
                    fn()
                times[name].append((time.perf_counter() - started) / (n // rounds))
        session.delete()
    ours_us = statistics.median(times["ours"]) * 1e6
    bare_us = statistics.median(times["bare"]) * 1e6
    return {"calls": n, "ours_us": ours_us, "bare_us": bare_us, "ratio": ours_us / bare_us}


async def _throughput(call: Callable[[], Any], concurrency: int, seconds: float) -> float:
    calls = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal calls
        while time.perf_counter() < deadline:
            await call()
            calls += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return calls / (time.perf_counter() - started)


async def async_ours_and_bare(endpoint: str, concurrency: int, seconds: float) -> dict[str, float]:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with AsyncAgentBay(api_key=KEY, endpoint=endpoint) as ab, httpx.AsyncClient(limits=limits) as raw:
        session = (await ab.create()).unwrap()
        url, form = raw_request(endpoint, session.session_id)

        async def bare() -> None:
            response = await raw.post(url, params=raw_params(), data=form)
            response.raise_for_status()
            json.loads(response.content)["Data"]["Labels"]

        await _throughput(session.get_labels, concurrency, 0.5)  # warm the pools and the server
        await _throughput(bare, concurrency, 0.5)
        # Three interleaved rounds each, the median kept: one round of either meets the noise of this
        # shared machine (single rounds differed by 30% from one run to the next).
        ours, bare_rates = [], []
        for _ in range(3):
            ours.append(await _throughput(session.get_labels, concurrency, seconds))
            bare_rates.append(await _throughput(bare, concurrency, seconds))
        await session.delete()
    return {"ours": statistics.median(ours), "bare": statistics.median(bare_rates)}


async def raw_capacity(endpoint: str, concurrency: int, seconds: float) -> float:
    """GetLabel calls/s the server answers to a minimal keep-alive HTTP/1.1 client (no httpx), so that
    the figure is the server's, not a client's."""
    host, port = endpoint.removeprefix("http://").split(":")
    async with AsyncAgentBay(api_key=KEY, endpoint=endpoint) as ab:
        session = (await ab.create()).unwrap()
    body = f"Authorization=Bearer+{KEY}&SessionId={session.session_id}".encode()
    calls = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal calls
        reader, writer = await asyncio.open_connection(host, int(port))
        while time.perf_counter() < deadline:
            query = "&".join(f"{k}={v}" for k, v in raw_params().items()).replace(":", "%3A")
            head = (
                f"POST /?{query} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            )
            writer.write(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
            await writer.drain()
            headers = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(h.split(b":")[1])
                for h in headers.split(b"\r\n")
                if h.lower().startswith(b"content-length")
            )
            reply = await reader.readexactly(length)
            assert b'"Success": true' in reply or b'"Success":true' in reply, reply[:200]
            calls += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return calls / (time.perf_counter() - started)


def shell_latency(endpoint: str, calls: int) -> dict[str, float]:
    """Median ms of a sequential `execute_command("echo hi")`: ours, then the official SDK's."""
    with AgentBay(api_key=KEY, endpoint=endpoint) as ab:
        session = ab.create().unwrap()
        for _ in range(5):
            session.command.execute_command("echo hi")
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            result = session.command.execute_command("echo hi")
            times.append(time.perf_counter() - started)
            assert result.stdout == "hi\n", result
        session.delete()
    python = official_sdk.python_for(OFFICIAL)
    with tempfile.TemporaryDirectory() as cwd:
        out = subprocess.run(
            [str(python), str(ROOT / "bench" / "_official_shell.py"), str(calls)],
            env=official_env(endpoint), cwd=cwd, capture_output=True, text=True, check=True,
        )  # fmt: skip
    official = json.loads(out.stdout.strip().splitlines()[-1])["median_ms"]
    ours = statistics.median(times) * 1000
    return {"ours_ms": ours, "official_ms": official, "ratio": official / ours}


def code_and_watch(endpoint: str, calls: int) -> dict[str, Any]:
    """Median ms of `run_code` (python, javascript) vs the same program through `execute_command`
    (`python3 -c` / `node -e`: the baseline), and how long after a `write_file` returns a directory
    watcher polling every 50 ms calls back, vs one idle `get_file_change` poll."""
    programs = {"python": ("print(6 * 7)", "python3 -c 'print(6 * 7)'"),
                "javascript": ("console.log(6 * 7)", "node -e 'console.log(6 * 7)'")}  # fmt: skip
    out: dict[str, Any] = {}
    with AgentBay(api_key=KEY, endpoint=endpoint) as ab, ab.create().unwrap() as session:
        for language, (code, command) in programs.items():
            runs, commands = [], []
            for i in range(calls + 3):
                started = time.perf_counter()
                result = session.code.run_code(code, language)
                took = time.perf_counter() - started
                assert result.result == "42\n", result
                started = time.perf_counter()
                baseline = session.command.execute_command(command)
                took_command = time.perf_counter() - started
                assert baseline.stdout == "42\n", baseline
                if i >= 3:  # the first runs warm the sandbox up
                    runs.append(took)
                    commands.append(took_command)
            out[language] = {"run_code_ms": statistics.median(runs) * 1000,
                             "command_ms": statistics.median(commands) * 1000}  # fmt: skip
        fs = session.file_system
        fs.create_directory("/tmp/watched")
        seen = threading.Event()
        with fs.watch_directory("/tmp/watched", lambda events: seen.set(), interval=0.05) as watcher:
            assert watcher.ready_event.wait(10)
            latencies = []
            for i in range(20):
                seen.clear()
                started = time.perf_counter()
                fs.write_file(f"/tmp/watched/f{i}.txt", "x")
                assert seen.wait(10)
                latencies.append(time.perf_counter() - started)
        polls = []
        for _ in range(20):
            started = time.perf_counter()
            session.file_system._get_file_change("/tmp/watched")
            polls.append(time.perf_counter() - started)
        out["watch"] = {"p50_ms": statistics.median(latencies) * 1000, "max_ms": max(latencies) * 1000,
                        "idle_poll_ms": statistics.median(polls) * 1000, "interval_ms": 50}  # fmt: skip
    return out


def transfer(endpoint: str, mib: int, chunk_kib: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "_transfer.py"), endpoint, KEY, str(mib), str(chunk_kib)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def url_transfer(endpoint: str, mib: int) -> dict[str, Any]:
    """The URL path vs raw httpx, the tool path, and the pipelining of tool-path reads (`_urls.py`)."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "_urls.py"), endpoint, KEY, str(mib)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def object_store(mib: int) -> dict[str, Any]:
    """oss2 vs bare httpx on the local object store (`_objectstore.py`), on a server of its own."""
    oss_port = free_port()
    with server_process(oss_port=oss_port):
        out = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "_objectstore.py"), f"http://127.0.0.1:{oss_port}", KEY, str(mib)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def desktop(endpoint: str) -> dict[str, Any]:
    """Screenshots, input and create with a desktop (`_desktop.py`); skipped without the X packages."""
    from agentbay_local.desktop import missing_packages

    missing = missing_packages()
    if missing:
        return {"skipped": f"install {' '.join(missing)}"}
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "_desktop.py"), endpoint, KEY],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def browser(endpoint: str) -> dict[str, Any]:
    """Create to a connected CDP client, a page load (`_browser.py`); skipped without Chromium or
    Playwright."""
    if not shutil.which("chromium"):
        return {"skipped": "install chromium"}
    if importlib.util.find_spec("playwright") is None:
        return {"skipped": "pip install playwright"}
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "_browser.py"), endpoint, KEY],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def official_env(endpoint: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTBAY_")}
    return {**env, "AGENTBAY_ENDPOINT": endpoint, "AGENTBAY_API_KEY": KEY}


def official_async(endpoint: str, concurrency: int, seconds: float) -> float:
    python = official_sdk.python_for(OFFICIAL)
    with tempfile.TemporaryDirectory() as cwd:  # no stray .env is picked up
        out = subprocess.run(
            [str(python), str(ROOT / "bench" / "_official_async.py"), str(concurrency), str(seconds)],
            env=official_env(endpoint), cwd=cwd, capture_output=True, text=True, check=True,
        )  # fmt: skip
    report = json.loads(out.stdout.strip().splitlines()[-1])
    return float(report["calls"] / report["seconds"])


# VmHWM, not ru_maxrss: a child's ru_maxrss keeps the high-water mark of the (bigger) parent it was
# forked from, while exec starts a new address space and so a new VmHWM.
HWM = "[int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0]"
IMPORT_PROBE = f"import time; t = time.perf_counter(); import agentbay; print(time.perf_counter() - t, {HWM})"
BARE_PROBE = f"print(0, {HWM})"


def import_cost(python: str, runs: int = 7, probe: str = IMPORT_PROBE) -> dict[str, float]:
    """Median wall time of `import agentbay` and peak RSS, each run in a fresh interpreter."""
    walls, rss = [], []
    with tempfile.TemporaryDirectory() as cwd:
        for _ in range(runs):
            out = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True, cwd=cwd)
            wall, kb = out.stdout.split()
            walls.append(float(wall))
            rss.append(int(kb) / 1024)
    return {"import_s": statistics.median(walls), "peak_rss_mb": statistics.median(rss)}


@contextmanager
def fresh_venv(spec: str) -> Iterator[tuple[str, int]]:
    """A new venv holding `pip install spec` and what it needs: its python, and how many distributions
    it holds (pip, setuptools and wheel not counted)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "venv", tmp], check=True)
        pip = [f"{tmp}/bin/python", "-m", "pip"]
        subprocess.run(
            [*pip, "install", "-q", "--disable-pip-version-check", spec], check=True, capture_output=True
        )
        listed = subprocess.run([*pip, "list", "--format=json"], capture_output=True, text=True, check=True)
        names = {d["name"].lower() for d in json.loads(listed.stdout)}
        yield f"{tmp}/bin/python", len(names - {"pip", "setuptools", "wheel"})


def official_distributions() -> int:
    python = official_sdk.python_for(OFFICIAL)
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"], capture_output=True, text=True
    )
    names = {d["name"].lower() for d in json.loads(listed.stdout)}
    return len(names - {"pip", "setuptools", "wheel"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    results: dict[str, Any] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}

    with server_process() as endpoint:
        results["sequential_get_labels"] = sequential(endpoint, args.calls)
        for c in (10, 50):
            row = asyncio.run(async_ours_and_bare(endpoint, c, args.seconds))
            row["official"] = official_async(endpoint, c, args.seconds)
            row["ours_vs_bare"] = row["ours"] / row["bare"]
            row["ours_vs_official"] = row["ours"] / row["official"]
            results[f"async_c{c}"] = row
        results["server_capacity_calls_s"] = asyncio.run(raw_capacity(endpoint, 50, args.seconds))
        results["shell_echo"] = shell_latency(endpoint, 100)
        results["transfer_10mib"] = {f"chunk_{k}k": transfer(endpoint, 10, k) for k in (50, 1024)}
        results["url_transfer"] = url_transfer(endpoint, 64)
        results["desktop"] = desktop(endpoint)
        results["browser"] = browser(endpoint)
        results["code_and_watch"] = code_and_watch(endpoint, 30)
        results["cli"] = _cli.commands(endpoint, KEY, sys.executable)
    # Commands and bursts on a server of their own: long commands, and the memory peak, are theirs.
    pids: list[int] = []
    with server_process(pids) as endpoint:
        results["capacity"] = _capacity.run_all(endpoint, KEY, pids[0])
    results["object_store"] = object_store(64)

    # Our import is measured where a user has it: a fresh venv with `pip install agentbay` alone.
    with fresh_venv(str(ROOT)) as (python, count):
        ours_import = import_cost(python)
        bare = import_cost(python, probe=BARE_PROBE)["peak_rss_mb"]
    # The same with the [cli] extra: click and rich installed must not make `import agentbay` heavier.
    with fresh_venv(f"{ROOT}[cli]") as (python, _):
        cli_import = import_cost(python)
    official_import = import_cost(str(official_sdk.python_for(OFFICIAL)))
    results["import"] = {
        "ours": ours_import,
        "ours_with_cli": cli_import,
        "official": official_import,
        "bare_python_rss_mb": bare,
    }
    results["distributions"] = {"ours": count, "official": official_distributions()}

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print_table(results)
    print(f"\nwritten to {args.out}")


def print_table(r: dict[str, Any]) -> None:
    s = r["sequential_get_labels"]
    rows = [
        ("sequential get_labels, µs/call", f"{s['ours_us']:.0f}", f"bare httpx {s['bare_us']:.0f}",
         f"ratio {s['ratio']:.2f}", "≤ 1.15"),
    ]  # fmt: skip
    for c in (10, 50):
        a = r[f"async_c{c}"]
        rows.append((f"async get_labels c={c}, calls/s", f"{a['ours']:.0f}", f"bare httpx {a['bare']:.0f}",
                     f"ratio {a['ours_vs_bare']:.2f}", "≥ 0.9"))  # fmt: skip
        rows.append((f"  vs official {OFFICIAL} c={c}", f"{a['ours']:.0f}", f"official {a['official']:.1f}",
                     f"x {a['ours_vs_official']:.1f}", "≥ 10x"))  # fmt: skip
    rows.append(
        ("local server capacity, calls/s", f"{r['server_capacity_calls_s']:.0f}", "raw client c=50", "", "")
    )
    e = r["shell_echo"]
    rows.append(("shell echo, ms/call", f"{e['ours_ms']:.1f}", f"official {e['official_ms']:.1f}",
                 f"official/ours {e['ratio']:.2f}", ""))  # fmt: skip
    for key, t in r["transfer_10mib"].items():
        rows.append((f"10 MiB up+down ({key}), MB/s", f"{t['round_trip_mb_s']:.0f}",
                     f"up {t['upload_mb_s']:.0f}, down {t['download_mb_s']:.0f}",
                     f"RSS +{t['rss_growth_mb']:.0f} MB", "≥ 50"))  # fmt: skip
    rows.extend(url_rows(r["url_transfer"]))
    o = r["object_store"]
    for way in ("up", "down"):
        rows.append((f"{o['mib']} MiB {way}, object store via oss2, MB/s", f"{o['oss2'][f'{way}_mb_s']:.0f}",
                     f"raw httpx {o['raw'][f'{way}_mb_s']:.0f}",
                     f"ratio {o['oss2'][f'{way}_mb_s'] / o['raw'][f'{way}_mb_s']:.2f}", ""))  # fmt: skip
    c = r["code_and_watch"]
    for language in ("python", "javascript"):
        rows.append((f"run_code {language}, ms p50", f"{c[language]['run_code_ms']:.1f}",
                     f"execute_command {c[language]['command_ms']:.1f}", "", ""))  # fmt: skip
    w = c["watch"]
    rows.append(("watch: write_file to callback, ms p50", f"{w['p50_ms']:.0f}",
                 f"idle poll {w['idle_poll_ms']:.1f}", f"interval {w['interval_ms']}, max {w['max_ms']:.0f}", ""))  # fmt: skip
    rows.extend(desktop_rows(r["desktop"]))
    rows.extend(browser_rows(r["browser"]))
    rows.extend(_cli.rows(r["cli"]))
    i = r["import"]
    rows.append(("import agentbay, s", f"{i['ours']['import_s']:.3f}", f"official {i['official']['import_s']:.3f}",
                 "", "≤ 0.15"))  # fmt: skip
    rows.append(("  with the [cli] extra installed, s", f"{i['ours_with_cli']['import_s']:.3f}",
                 f"base install {i['ours']['import_s']:.3f}", "", "no heavier"))  # fmt: skip
    rows.append(("peak RSS after import, MB", f"{i['ours']['peak_rss_mb']:.1f}",
                 f"official {i['official']['peak_rss_mb']:.1f}", f"bare python {i['bare_python_rss_mb']:.1f}",
                 "≤ 35"))  # fmt: skip
    d = r["distributions"]
    rows.append(("installed distributions", str(d["ours"]), f"official {d['official']}", "", ""))
    rows.extend(_capacity.rows(r["capacity"]))
    widths = [max(len(row[k]) for row in rows) for k in range(5)]
    header = ("measure", "ours", "baseline", "comparison", "target")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    for row in (header, *rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def desktop_rows(d: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Rows of `desktop`: screenshot and input latency, what a desktop adds to create."""
    if "skipped" in d:
        return [("desktop sessions", "skipped", d["skipped"], "", "")]
    shot, size = d["screenshot"], "x".join(map(str, d["screenshot"]["size"]))
    rows = [
        (f"screenshot {size} (URL), ms p50", f"{shot['url']['p50_ms']:.1f}", f"p95 {shot['url']['p95_ms']:.1f}",
         f"PNG {shot['png_kb']:.0f} KB", "< 100"),
        ("  + download (screenshot_bytes), ms p50", f"{shot['bytes']['p50_ms']:.1f}",
         f"p95 {shot['bytes']['p95_ms']:.1f}", "", ""),
    ]  # fmt: skip
    for name, label in (("move_mouse", "move_mouse"), ("click_mouse", "click_mouse"),
                        ("input_text_20", "input_text (20 chars)"),
                        ("input_text_20_unicode", "input_text (20 chars, non-ASCII)")):  # fmt: skip
        t = d["input"][name]
        rows.append((f"{label}, ms p50", f"{t['p50_ms']:.1f}", f"p95 {t['p95_ms']:.1f}", "", ""))
    c = d["create"]
    rows.append(("create linux_latest (desktop), ms", f"{c['linux_latest_ms']:.0f}",
                 f"code_latest {c['code_latest_ms']:.0f}", f"desktop adds {c['desktop_adds_ms']:.0f} ms", ""))  # fmt: skip
    return rows


def browser_rows(b: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Rows of `browser`: create to a connected CDP client, a page load through the proxy."""
    if "skipped" in b:
        return [("browser sessions", "skipped", b["skipped"], "", "")]
    c, bare, p = b["connect"], b["bare_chromium"], b["page_load"]
    steps = ", ".join(
        f"{k[:-3]} {c[k]:.0f}" for k in ("create_ms", "initialize_ms", "endpoint_ms", "connect_ms")
    )
    return [
        ("create browser_latest to CDP connected, ms", f"{c['total_ms']:.0f}",
         f"bare chromium {bare['total_ms']:.0f}", steps, ""),
        ("page load (goto) via link proxy, ms p50", f"{p['proxied']['p50_ms']:.1f}",
         f"direct {p['direct']['p50_ms']:.1f}",
         f"proxy adds {p['proxy_adds_ms']:.1f}, p95 {p['proxied']['p95_ms']:.1f}", ""),
    ]  # fmt: skip


def url_rows(u: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Rows of `url_transfer`: URL path vs raw httpx and vs the tool path; the pipelining gain."""
    url, raw, tool, mib = u["url"], u["raw"], u["tool"], u["mib"]
    rows = []
    for way in ("up", "down"):
        ours = url[f"{way}_mb_s"]
        rows.append((f"{mib} MiB {way}, URL path, MB/s", f"{ours:.0f}", f"raw httpx {raw[f'{way}_mb_s']:.0f}",
                     f"ratio {ours / raw[f'{way}_mb_s']:.2f}", "≥ 0.8"))  # fmt: skip
        rows.append(("  vs tool path (50 KiB calls), MB/s", f"{ours:.0f}", f"tool {tool[f'{way}_mb_s']:.1f}",
                     f"x {ours / tool[f'{way}_mb_s']:.0f}", "≥ 10x"))  # fmt: skip
    rows.append(
        (f"{mib} MiB up+down, URL path, RSS growth MB", f"{url['rss_growth_mb']:.1f}", "", "", "≤ 16")
    )
    for name, p in u["pipelining"].items():
        rows.append((f"tool-path download {name}, MB/s", f"{p['4_mb_s']:.1f}", f"sequential {p['1_mb_s']:.1f}",
                     f"x {p['gain']:.2f}", ""))  # fmt: skip
    return rows


if __name__ == "__main__":
    main()
