"""The README is true: its commands are the ones CI runs, and every Python example runs as written.

Each ```python block of the README is a complete program. It runs in a fresh interpreter, in an empty
folder, with AGENTBAY_ENDPOINT and AGENTBAY_API_KEY pointing at a local server, as a user who pasted
it into a file would run it. A block that defines `test_*` functions is a pytest module and runs under
pytest; it also passes `mypy --strict`, as users' own typed tests would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentbay_local import LocalServer

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
KEY = "akm-readme-examples"


def readme_commands() -> list[str]:
    block = README.split("```bash", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip() and not line.startswith("#")]


def python_blocks() -> list[tuple[int, str]]:
    """(line number, code) of every ```python block."""
    blocks = []
    for match in re.finditer(r"^```python\n(.*?)^```", README, re.MULTILINE | re.DOTALL):
        blocks.append((README.count("\n", 0, match.start()) + 1, match.group(1)))
    return blocks


def test_ci_runs_exactly_the_readme_test_command() -> None:
    demo, test = readme_commands()
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test in ci
    assert "agentbay demo" in demo


def test_the_readme_has_examples_to_check() -> None:
    blocks = python_blocks()
    assert len(blocks) >= 4
    assert any("asyncio.run(" in code for _, code in blocks)
    assert any(re.search(r"^def test_", code, re.MULTILINE) for _, code in blocks)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    with LocalServer(tmp_path_factory.mktemp("readme-server"), api_keys=[KEY]) as running:
        yield running


def _env(server: LocalServer) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTBAY_")}
    return env | {
        "AGENTBAY_ENDPOINT": server.endpoint,
        "AGENTBAY_API_KEY": KEY,
        "OSS_ENDPOINT": server.oss_endpoint,  # the object storage example's own program uses it
        "PYTHONPATH": str(ROOT),
    }


@pytest.mark.parametrize(
    ("line", "code"), python_blocks(), ids=[f"README.md:{n}" for n, _ in python_blocks()]
)
def test_readme_example_runs_as_written(server: LocalServer, tmp_path: Path, line: int, code: str) -> None:
    is_test_module = re.search(r"^def test_", code, re.MULTILINE) is not None
    example = tmp_path / ("test_example.py" if is_test_module else "example.py")
    example.write_text(code)
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(example)] if is_test_module else [
        sys.executable, str(example)
    ]  # fmt: skip
    ran = subprocess.run(argv, cwd=tmp_path, env=_env(server), capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, f"README.md:{line} failed:\n{ran.stdout[-4000:]}\n{ran.stderr[-4000:]}"
    assert KEY not in ran.stdout + ran.stderr


@pytest.mark.skipif(shutil.which("mypy", path=str(Path(sys.executable).parent)) is None, reason="needs mypy")
def test_readme_test_example_passes_mypy_strict(tmp_path: Path) -> None:
    (code,) = [code for _, code in python_blocks() if re.search(r"^def test_", code, re.MULTILINE)]
    example = tmp_path / "test_example.py"
    example.write_text(code)
    mypy = str(Path(sys.executable).parent / "mypy")
    ran = subprocess.run(
        [mypy, "--strict", "--no-incremental", "--python-version", "3.11", str(example)],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr


def shell_blocks() -> list[tuple[int, str]]:
    """(line number, script) of every ```sh block: command-line walk-throughs, run as written."""
    return [
        (README.count("\n", 0, m.start()) + 1, m.group(1))
        for m in re.finditer(r"^```sh\n(.*?)^```", README, re.MULTILINE | re.DOTALL)
    ]


@pytest.mark.parametrize(
    ("line", "script"), shell_blocks(), ids=[f"README.md:{n}" for n, _ in shell_blocks()]
)
def test_readme_command_line_walk_through_runs(
    server: LocalServer, tmp_path: Path, line: int, script: str
) -> None:
    # The installed `agentbay` program of this environment, first on the PATH, as after `pip install`.
    env = _env(server) | {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    ran = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, f"README.md:{line} failed:\n{ran.stdout[-4000:]}\n{ran.stderr[-4000:]}"
    assert KEY not in ran.stdout + ran.stderr


def test_the_readme_has_a_command_line_walk_through() -> None:
    assert any("agentbay session create" in script for _, script in shell_blocks())


def test_the_readme_exit_code_table_is_the_commands() -> None:
    from agentbay.cli._output import EXIT_CODES

    table = README.split("| exit code |", 1)[1].split("\n\n", 1)[0]
    documented = {
        name: int(code)
        for code, names in re.findall(r"^\| (\d+) +\| ([^|]+)\|", table, re.MULTILINE)
        for name in re.findall(r"`(\w+)`", names)
    }
    assert documented == {kind.__name__: code for kind, code, _ in EXIT_CODES}
