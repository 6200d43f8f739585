"""Browser sessions on the local server, through our SDK and Playwright; run by run.py.

Usage: python _browser.py ENDPOINT KEY. Prints JSON:
- `connect`: the time from `create(browser_latest)` to a Playwright client connected over CDP, and
  its steps (create, `browser.initialize` which starts Chromium and waits for its DevTools endpoint,
  `get_endpoint_url`, `connect_over_cdp` through the server's link proxy), medians of rounds, each
  session deleted untimed; beside it the bare baseline: the system Chromium started on the host with
  the same flags until /json/version answers, then `connect_over_cdp` to it directly;
- `page_load`: p50 and p95 in ms of `page.goto` of a small page served by python3's http.server in
  the session (navigation until the load event: CDP messages both ways through the proxy), and the
  same page through a second client connected to the same browser directly (its DevTools port on
  loopback, no proxy): what the WebSocket forwarding adds.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Playwright, sync_playwright

from agentbay import AgentBay, BrowserOption, CreateSessionParams


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentiles_ms(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
        "runs": len(ordered),
    }


STEPS = ("create", "initialize", "endpoint", "connect")


def create_to_connected(ab: AgentBay, pw: Playwright, rounds: int) -> dict[str, float]:
    """Median ms of each step from create to a connected CDP client, and of the whole."""
    steps: dict[str, list[float]] = {name: [] for name in (*STEPS, "total")}
    for _ in range(rounds):
        marks = [time.perf_counter()]
        session = ab.create(CreateSessionParams(image_id="browser_latest")).unwrap()
        marks.append(time.perf_counter())
        assert session.browser.initialize(BrowserOption())
        marks.append(time.perf_counter())
        url = session.browser.get_endpoint_url()
        marks.append(time.perf_counter())
        browser = pw.chromium.connect_over_cdp(url)
        marks.append(time.perf_counter())
        browser.close()
        assert session.delete().success
        for name, start, end in zip(STEPS, marks[:-1], marks[1:], strict=True):
            steps[name].append(end - start)
        steps["total"].append(marks[-1] - marks[0])
    return {f"{name}_ms": statistics.median(times) * 1000 for name, times in steps.items()}


def bare_chromium(pw: Playwright, rounds: int) -> dict[str, float]:
    """Median ms of the same Chromium started on the host until /json/version answers, and the
    connect to it: what a browser costs without the server."""
    launch, connect = [], []
    for _ in range(rounds):
        port = free_port()
        with tempfile.TemporaryDirectory() as profile:
            started = time.perf_counter()
            proc = subprocess.Popen(
                ["chromium", "--headless=new", f"--remote-debugging-port={port}",
                 "--remote-debugging-address=127.0.0.1", f"--user-data-dir={profile}", "--no-sandbox",
                 "--no-first-run", "--no-default-browser-check", "about:blank"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            try:
                url = ""
                for _ in range(600):
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=1) as r:
                            url = json.load(r)["webSocketDebuggerUrl"]
                        break
                    except OSError:
                        time.sleep(0.01)
                up = time.perf_counter()
                browser = pw.chromium.connect_over_cdp(url)
                connect.append(time.perf_counter() - up)
                launch.append(up - started)
                browser.close()
            finally:
                proc.terminate()
                proc.wait(10)
    return {
        "launch_ms": statistics.median(launch) * 1000,
        "connect_ms": statistics.median(connect) * 1000,
        "total_ms": (statistics.median(launch) + statistics.median(connect)) * 1000,
    }


def direct_url(proxied: str) -> str:
    """The browser's own DevTools URL behind a proxied one (…/ports/<port>/devtools/browser/<id>)."""
    path = urlsplit(proxied).path
    port, rest = path.split("/ports/", 1)[1].split("/", 1)
    return f"ws://127.0.0.1:{port}/{rest}"


def timed(call: Callable[[], Any], runs: int, warm: int = 5) -> list[float]:
    for _ in range(warm):
        call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def page_load(ab: AgentBay, pw: Playwright, runs: int) -> dict[str, Any]:
    with ab.create(CreateSessionParams(image_id="browser_latest")).unwrap() as session:
        assert session.browser.initialize(BrowserOption())
        port = free_port()
        session.file_system.create_directory("/home/wuying/site").raise_for_error()
        page_html = "<title>bench</title><p>hello</p>"
        session.file_system.write_file("/home/wuying/site/index.html", page_html).raise_for_error()
        session.command.execute_command(
            f"nohup python3 -m http.server {port} --bind 127.0.0.1 >/tmp/http.log 2>&1 &",
            cwd="/home/wuying/site",
        ).raise_for_error()
        page_url = f"http://127.0.0.1:{port}/index.html"
        proxied_url = session.browser.get_endpoint_url()
        browsers = {"proxied": pw.chromium.connect_over_cdp(proxied_url)}
        browsers["direct"] = pw.chromium.connect_over_cdp(direct_url(proxied_url))
        try:
            pages = {name: browser.contexts[0].new_page() for name, browser in browsers.items()}
            for _ in range(100):  # the session's server is listening
                try:
                    pages["direct"].goto(page_url)
                    break
                except Exception:
                    time.sleep(0.1)
            # Rounds interleaved so that drift (other load) hits both alike.
            times: dict[str, list[float]] = {name: [] for name in pages}
            for _ in range(runs // 10):
                for name, page in pages.items():
                    times[name] += timed(lambda page=page: page.goto(page_url), 10, warm=1)
        finally:
            for browser in browsers.values():
                browser.close()
        results: dict[str, Any] = {name: percentiles_ms(t) for name, t in times.items()}
        results["proxy_adds_ms"] = results["proxied"]["p50_ms"] - results["direct"]["p50_ms"]
        return results


def main(endpoint: str, key: str) -> None:
    results: dict[str, Any] = {}
    with sync_playwright() as pw, AgentBay(api_key=key, endpoint=endpoint) as ab:
        results["connect"] = create_to_connected(ab, pw, rounds=5)
        results["bare_chromium"] = bare_chromium(pw, rounds=5)
        results["page_load"] = page_load(ab, pw, runs=50)
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
