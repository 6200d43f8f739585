"""Virtualenvs with the official SDK (wuying-agentbay-sdk), for compatibility tests and benchmarks.

The official SDK's import name is also `agentbay`, so it never shares a virtualenv with ours. Each
version gets its own venv under AGENTBAY_OFFICIAL_CACHE (default ~/.cache/agentbay-tests), built once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CACHE = Path(os.environ.get("AGENTBAY_OFFICIAL_CACHE", Path.home() / ".cache" / "agentbay-tests"))


def python_for(version: str) -> Path:
    """The interpreter of a venv holding wuying-agentbay-sdk==`version`, creating it if needed."""
    venv = CACHE / f"official-{version}"
    python = venv / "bin" / "python"
    marker = venv / ".complete"
    if not marker.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                f"wuying-agentbay-sdk=={version}",
            ],
            check=True,
        )
        marker.touch()
    return python


if __name__ == "__main__":
    for v in sys.argv[1:]:
        print(python_for(v))
