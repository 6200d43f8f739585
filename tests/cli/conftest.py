"""The `agentbay` command against a local server: in-process (`cli`) and as the installed program (`agentbay_cmd`)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from agentbay import AgentBay, CreateSessionParams
from agentbay.cli import main
from agentbay_local import LocalServer

KEY = "akm-cli-test-key-0001"


@pytest.fixture(scope="session")
def cli_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    with LocalServer(tmp_path_factory.mktemp("agentbay-cli"), api_keys=[KEY]) as running:
        yield running


@pytest.fixture
def cli_env(cli_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """AGENTBAY_* for the local server, set in this process (and returned, for subprocesses)."""
    env = {"AGENTBAY_API_KEY": KEY, "AGENTBAY_ENDPOINT": cli_server.endpoint, "AGENTBAY_MAX_RETRIES": "0"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def bay(cli_env: dict[str, str]) -> Iterator[AgentBay]:
    """An SDK client on the same server, to set up and check what the commands did."""
    with AgentBay() as client:
        yield client


@pytest.fixture
def session_id(bay: AgentBay) -> Iterator[str]:
    """A code_latest session (shell and files, no desktop), deleted after the test."""
    session = bay.create(CreateSessionParams(image_id="code_latest")).unwrap()
    yield session.session_id
    session.delete()


@dataclass
class Run:
    code: int
    out: str
    err: str
    out_bytes: bytes = b""

    def json(self) -> Any:
        import json

        return json.loads(self.out)


class _Stdout(io.TextIOWrapper):
    def isatty(self) -> bool:
        return False


@pytest.fixture
def cli(cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run `agentbay ARGS...` in this process: `cli("session", "list", "-o", "json", input=b"...")`.

    stdout and stderr are captured as bytes (and decoded), stdin is `input` (empty by default); none is
    a terminal.
    """

    def run(*args: str, input: bytes = b"", env: Mapping[str, str | None] | None = None) -> Run:
        for name, value in (env or {}).items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        out, err = io.BytesIO(), io.BytesIO()
        streams = {
            "stdin": io.TextIOWrapper(io.BytesIO(input), encoding="utf-8"),
            "stdout": _Stdout(out, encoding="utf-8", write_through=True),
            "stderr": _Stdout(err, encoding="utf-8", write_through=True),
        }
        saved = {name: getattr(sys, name) for name in streams}
        for name, stream in streams.items():
            setattr(sys, name, stream)
        try:
            code = main(list(args))
        finally:
            for name, stream in saved.items():
                getattr(sys, name).flush()
                setattr(sys, name, stream)
        return Run(
            code,
            out.getvalue().decode("utf-8", "replace"),
            err.getvalue().decode("utf-8", "replace"),
            out.getvalue(),
        )

    return run


def agentbay_program() -> list[str]:
    """The installed `agentbay` program of this environment (its console script)."""
    script = Path(sys.executable).parent / "agentbay"
    if script.exists():
        return [str(script)]
    found = shutil.which("agentbay")
    assert found, "the agentbay console script is not installed: pip install -e '.[test]'"
    return [found]


@pytest.fixture
def agentbay_cmd(cli_env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[bytes]]:
    """Run the installed `agentbay` program with the server's settings; returns the finished process."""

    def run(
        *args: str, input: bytes = b"", timeout: float = 120, **kwargs: Any
    ) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, **cli_env, **kwargs.pop("env", {})}
        return subprocess.run(
            [*agentbay_program(), *args],
            input=input,
            capture_output=True,
            env=env,
            timeout=timeout,
            check=False,
            **kwargs,
        )

    return run
