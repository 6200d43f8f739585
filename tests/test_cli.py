"""The `agentbay` command, in-process."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agentbay._cli import main


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
    with pytest.raises(SystemExit) as exit_info:
        main(["local", "serve", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--state-dir", "--api-key"):
        assert option in out
