"""Desktop sessions on the local server, through our SDK; run by run.py.

Usage: python _desktop.py ENDPOINT KEY. Prints JSON:
- `create`: the time of `create()` for `linux_latest` (a desktop: Xvfb and a window manager start
  with the session) and for `code_latest` (none), medians of interleaved rounds, and the difference,
  which is what a desktop adds;
- `screenshot`: `computer.screenshot()` (the server grabs the 1024x768 screen, draws the pointer,
  encodes and stores the PNG; the reply is its URL) and `computer.screenshot_bytes()` (the same plus
  the download), p50 and p95 in ms, with an xmessage window open so the screen is not blank;
- `input`: p50 and p95 in ms of `move_mouse`, `click_mouse` and `input_text` of 20 characters (ASCII,
  and with non-ASCII ones, which go on spare keycodes first), each a full call: SDK, HTTP, the server,
  xdotool on the display.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from agentbay import AgentBay, CreateSessionParams


def timed(call: Callable[[], Any], runs: int, warm: int = 3) -> list[float]:
    """Seconds of each of `runs` calls (after `warm` untimed ones); every call must succeed."""
    for _ in range(warm):
        call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
        assert result.success, result.error_message
    return times


def percentiles_ms(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
        "runs": len(ordered),
    }


def create_cost(ab: AgentBay, rounds: int) -> dict[str, float]:
    """Median ms of create per image (each session deleted untimed), rounds interleaved so that drift
    hits both."""
    times: dict[str, list[float]] = {"linux_latest": [], "code_latest": []}
    for _ in range(rounds):
        for image in times:
            started = time.perf_counter()
            session = ab.create(CreateSessionParams(image_id=image)).unwrap()
            created = time.perf_counter() - started
            assert session.delete().success
            times[image].append(created)
    desktop = statistics.median(times["linux_latest"]) * 1000
    plain = statistics.median(times["code_latest"]) * 1000
    return {"linux_latest_ms": desktop, "code_latest_ms": plain, "desktop_adds_ms": desktop - plain}


def main(endpoint: str, key: str) -> None:
    results: dict[str, Any] = {}
    with AgentBay(api_key=key, endpoint=endpoint) as ab:
        results["create"] = create_cost(ab, rounds=10)
        with ab.create(CreateSessionParams(image_id="linux_latest")).unwrap() as session:
            session.command.execute_command("(setsid xmessage -center 'agentbay bench' >/dev/null 2>&1 &)")
            time.sleep(0.5)  # the window shows
            computer = session.computer
            results["screenshot"] = {
                "url": percentiles_ms(timed(computer.screenshot, 30)),
                "bytes": percentiles_ms(timed(computer.screenshot_bytes, 30)),
            }
            shot = computer.screenshot_bytes()
            assert shot.success, shot.error_message
            results["screenshot"]["size"] = [shot.width, shot.height]
            results["screenshot"]["png_kb"] = len(shot.content) / 1024
            points = iter([(100 + n % 800, 100 + n % 500) for n in range(10_000)])
            results["input"] = {
                "move_mouse": percentiles_ms(timed(lambda: computer.move_mouse(*next(points)), 100)),
                "click_mouse": percentiles_ms(timed(lambda: computer.click_mouse(5, 5), 100)),
                "input_text_20": percentiles_ms(
                    timed(lambda: computer.input_text("abcdefghij0123456789"), 50)
                ),
                # Off the keyboard map: put on spare keycodes first (agentbay_local.desktop._keymap).
                "input_text_20_unicode": percentiles_ms(
                    timed(lambda: computer.input_text("héllo wörld ✓ ünïcödé"[:20]), 50)
                ),
            }
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
