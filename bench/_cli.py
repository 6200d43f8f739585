"""The `agentbay` command's cost: wall time per command, each beside its baseline in the same run.

- `agentbay --version`: the command's start-up (click, our root group) vs a bare `python -c pass`;
- `agentbay session list -o json`, `agentbay exec ID -- true`, `agentbay fs cat ID FILE`: the whole
  program vs a `python -c` doing the same call with the SDK (so the difference is the CLI's own
  overhead: click, the subcommand's module, the output);
- `import agentbay` in a fresh virtualenv with the `[cli]` extra vs the base install: click and rich
  installed must not make the library heavier (httpx would import its own CLI through them).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

RUNS = 9


def _wall(argv: list[str], env: dict[str, str], runs: int = RUNS) -> float:
    """Median wall time of `argv` in seconds (each must exit 0)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def commands(endpoint: str, key: str, python: str) -> dict[str, Any]:
    """Wall times of CLI commands against `endpoint`, with the environment's `agentbay` program."""
    program = str(Path(python).parent / "agentbay")
    env = {**os.environ, "AGENTBAY_ENDPOINT": endpoint, "AGENTBAY_API_KEY": key}
    sdk = "from agentbay import AgentBay, CreateSessionParams\n"
    created = subprocess.run(
        [python, "-c", sdk + "s = AgentBay().create(CreateSessionParams(image_id='code_latest')).unwrap();"
         "s.file_system.write_file('/tmp/f.txt', 'x' * 10_000).raise_for_error(); print(s.session_id)"],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    sid = created.stdout.strip()
    try:
        rows = {
            "version": {
                "cli": _wall([program, "--version"], env),
                "baseline": _wall([python, "-c", "pass"], env),
            },
            "session_list": {
                "cli": _wall([program, "session", "list", "-o", "json"], env),
                "baseline": _wall([python, "-c", sdk + "list(AgentBay().list_all())"], env),
            },
            "exec_true": {
                "cli": _wall([program, "exec", sid, "--", "true"], env),
                "baseline": _wall(
                    [python, "-c", sdk + f"AgentBay().get({sid!r}).unwrap().command.execute_command('true')"],
                    env,
                ),
            },
            "fs_cat_10kb": {
                "cli": _wall([program, "fs", "cat", sid, "/tmp/f.txt"], env),
                "baseline": _wall(
                    [
                        python,
                        "-c",
                        sdk + f"AgentBay().get({sid!r}).unwrap().file_system.read_file('/tmp/f.txt')",
                    ],
                    env,
                ),
            },
        }
    finally:
        subprocess.run([program, "session", "delete", "-y", sid], env=env, capture_output=True)
    for row in rows.values():
        row["overhead_ms"] = (row["cli"] - row["baseline"]) * 1000
    return rows


def rows(r: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    names = {
        "version": ("agentbay --version, ms", "python -c pass"),
        "session_list": ("agentbay session list -o json, ms", "the same call in python -c"),
        "exec_true": ("agentbay exec ID -- true, ms", "the same call in python -c"),
        "fs_cat_10kb": ("agentbay fs cat (10 kB), ms", "the same call in python -c"),
    }
    out = []
    for key, (title, baseline) in names.items():
        row = r[key]
        out.append(
            (title, f"{row['cli'] * 1000:.0f}", f"{baseline} {row['baseline'] * 1000:.0f}",
             f"+{row['overhead_ms']:.0f} ms", "")
        )  # fmt: skip
    return out
