"""The `agentbay` command, in-process."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from agentbay.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_demo_runs_every_step_against_an_embedded_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "embedded local server at http://127.0.0.1:" in out
    steps = re.findall(r"^\s+\d+\. (.+?)\s{2,}", out, re.MULTILINE)
    assert steps[0] == "create session (labels)" and steps[-1] == "delete"
    for needed in ("get_link", "list(labels=project)", "command: echo, pwd", "file_system.read_file"):
        assert needed in steps
    assert "hello from the session | /home/wuying" in out
    assert re.search(r"demo finished: \d+ steps, all succeeded", out)


def test_demo_against_an_endpoint_needs_a_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--endpoint", "http://127.0.0.1:9"]) == 2
    assert "AGENTBAY_API_KEY" in capsys.readouterr().err


def test_demo_reports_a_failure_and_exits_non_zero(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENTBAY_API_KEY", "akm-secret-never-shown")
    monkeypatch.setenv("AGENTBAY_MAX_RETRIES", "0")
    assert main(["demo", "--endpoint", "http://127.0.0.1:9"]) == 1  # nothing listens on port 9
    captured = capsys.readouterr()
    assert "demo failed: APIConnectionError" in captured.err
    assert "akm-secret-never-shown" not in captured.out + captured.err


def test_local_serve_help_lists_its_options(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["local", "serve", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--state-dir", "--api-key"):
        assert option in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from agentbay import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"agentbay {__version__}"


def test_local_serve_help_shows_the_default_state_dir(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert main(["local", "serve", "--help"]) == 0
    # Help is wrapped at the terminal's width, which may split a long path over lines.
    assert str(tmp_path / "xdg" / "agentbay" / "local") in "".join(capsys.readouterr().out.split())


def _serve(state: Path, port: int | str = 0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "agentbay.cli", "local", "serve", "--port", str(port), "--state-dir", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def _stop(proc: subprocess.Popen[str]) -> tuple[str, str]:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    return proc.communicate(timeout=30)


def test_local_serve_on_a_port_in_use_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _serve(tmp_path / "state", port)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert out == ""
    assert err.strip() == f"agentbay local serve: cannot listen on 127.0.0.1:{port}: Address already in use"
    assert not (tmp_path / "state").exists()


def test_local_serve_banner_is_a_command_to_paste_and_never_shows_the_key(tmp_path: Path) -> None:
    proc = _serve(tmp_path / "state dir")  # a space: the command must quote the path
    try:
        assert proc.stdout is not None
        banner = [proc.stdout.readline() for _ in range(3)]
        command = banner[2].strip()
        assert command.startswith("export AGENTBAY_ENDPOINT=http://127.0.0.1:")
        key = (tmp_path / "state dir" / "api_key").read_text().strip()
        assert key not in "".join(banner)
        # Pasted into a shell as is, it configures the SDK, which then reaches the server.
        check = (
            "import agentbay, os; ab = agentbay.AgentBay(); r = ab.list(); r.raise_for_error();"
            " print(r.total_count, os.environ['OSS_ENDPOINT'].startswith('http://127.0.0.1:'))"
        )
        ran = subprocess.run(
            ["bash", "-c", f"{command}\n{shlex.quote(sys.executable)} -c {shlex.quote(check)}"],
            capture_output=True,
            text=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("AGENTBAY_")} | {"PYTHONPATH": str(ROOT)},
            timeout=60,
        )  # fmt: skip
        assert (ran.returncode, ran.stdout.strip()) == (0, "0 True"), ran.stderr
    finally:
        _, err = _stop(proc)
    assert "Traceback" not in err
