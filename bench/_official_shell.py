"""Sequential `execute_command("echo hi")` latency with the OFFICIAL SDK; run in its venv by run.py.

Usage: python _official_shell.py CALLS  (AGENTBAY_ENDPOINT, AGENTBAY_API_KEY set). Prints JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

from agentbay import AgentBay


def main(calls: int) -> None:
    ab = AgentBay(api_key=os.environ["AGENTBAY_API_KEY"])
    session = ab.create().session
    for _ in range(5):
        session.command.execute_command("echo hi")
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        result = session.command.execute_command("echo hi")
        times.append(time.perf_counter() - started)
        assert result.success and result.output.strip() == "hi", result
    session.delete()
    print(json.dumps({"median_ms": statistics.median(times) * 1000, "calls": calls}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
