"""Project tasks. `nox` with no arguments runs what CI runs (see README and .ci/run)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import nox

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT / "scripts"))
import generate as gen  # noqa: E402

nox.options.sessions = ["check_generated", "unasync", "lint", "typecheck", "tests", "fuzz"]
nox.options.error_on_missing_interpreters = True

# The interpreter nox itself runs on (any supported Python: 3.11, 3.12, 3.13), so the README's test
# command works with whichever `python3` is on the PATH. The base interpreter, not nox's virtualenv.
PYTHON = getattr(sys, "_base_executable", sys.executable)
LINT_DEPS = ["ruff==0.17.6"]
TYPE_DEPS = ["mypy==2.4.1", "types-PyYAML"]
SOURCES = ["agentbay", "agentbay_local", "tests", "scripts", "bench", "noxfile.py"]


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate agentbay/_api (the generated low-level client) from spec/agentbay.yaml."""
    session.install(*gen.GENERATOR_DEPS)
    session.run("python", "scripts/generate.py")


@nox.session(python=PYTHON)
def check_generated(session: nox.Session) -> None:
    """Fail if agentbay/_api differs from what the spec, config and templates produce."""
    session.install(*gen.GENERATOR_DEPS)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / gen.PACKAGE
        session.run("python", "scripts/generate.py", "--out", str(fresh))
        diff = gen.diff_trees(gen.OUT, fresh)
        count = len(gen.files(fresh))
    if diff:
        session.log("".join(diff[:400]))
        session.error("agentbay/_api is stale or hand-edited: run `nox -s generate` and commit")
    session.log(f"agentbay/_api matches the spec ({count} files)")


@nox.session(python=PYTHON)
def unasync(session: nox.Session) -> None:
    """Fail if agentbay/_sync (written from agentbay/_async) has drifted; `-- --write` rewrites it."""
    session.run("python", "scripts/unasync.py", *(session.posargs or ["--check"]))


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff format --check and ruff check."""
    session.install(*LINT_DEPS)
    session.run("ruff", "format", "--check", *SOURCES)
    session.run("ruff", "check", *SOURCES)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the facade, and an import smoke test."""
    # pytest: agentbay.testing (the pytest plugin) is type-checked with the rest.
    session.install(*TYPE_DEPS, "pytest>=8", "-e", ".[local]")
    session.run("mypy")
    session.run("python", "-c", "import agentbay, agentbay._api")


#: Programs the local server needs from the system, with their Debian package: bubblewrap sandboxes
#: commands; the rest run the desktop of linux_latest sessions (agentbay_local/desktop) and its test
#: app (xterm); node runs run_code's JavaScript.
SYSTEM_PACKAGES = {
    "bwrap": "bubblewrap",
    "Xvfb": "xvfb",
    "jwm": "jwm",
    "xdotool": "xdotool",
    "wmctrl": "wmctrl",
    "xprop": "x11-utils",
    "xwininfo": "x11-utils",
    "xwd": "x11-apps",
    "xterm": "xterm",
    "node": "nodejs",
    "chromium": "chromium",
}


def _ensure_system_packages(session: nox.Session) -> None:
    # CI (root, Debian) installs the missing ones like any dependency: one update, one install.
    missing = sorted({package for program, package in SYSTEM_PACKAGES.items() if not shutil.which(program)})
    if not missing or not shutil.which("apt-get") or os.geteuid() != 0:
        return
    session.run("apt-get", "update", "-qq", external=True)
    # noninteractive: CI has no standard input for a debconf question (xkb-data, fonts).
    session.run(
        "apt-get", "install", "-y", "-qq", *missing, external=True, env={"DEBIAN_FRONTEND": "noninteractive"}
    )


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite with coverage (unit, contract, integration against the local server)."""
    _ensure_system_packages(session)
    # The generator is needed by the test that proves the contract tests catch a spec change.
    # mypy: the README's test example must pass `mypy --strict` (tests/test_readme.py).
    session.install("-e", ".[test]", *gen.GENERATOR_DEPS, *TYPE_DEPS)
    session.run("pytest", "--cov", "--cov-report=term", *session.posargs)


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """schemathesis against a running local server, from the spec: no 5xx, replies conform."""
    session.install("-e", ".[local]", "schemathesis==4.32.5")
    session.run("python", "scripts/fuzz_server.py", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks against the local server, side by side with raw httpx and the official SDK."""
    _ensure_system_packages(session)
    # playwright: the CDP client of the browser-session figures (it needs no downloaded browser).
    session.install("-e", ".[local]", "playwright")
    session.run("python", "bench/run.py", *session.posargs)
