"""The local server's file tools where they follow the reference MCP filesystem server
(modelcontextprotocol/servers, src/filesystem): search_files' matching and exclusions, and
read_multiple_files' per-file errors; called directly on a session directory."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from agentbay_local.sandbox import TOOLS
from agentbay_local.sandbox._files import _exclude_matcher, _Glob

# minimatch 10.2.5's answers to `minimatch(path, glob, {dot: true})`, which the reference server
# uses for `excludePatterns` (computed with node; a glob is matched against the relative path).
MINIMATCH = [
    ("a", "a/**", False),
    ("a/b", "a/**", True),
    ("a/b", "a/**/b", True),
    ("x", "**/x", True),
    ("x", "**", True),
    (".x", "**", True),
    ("a/.x", "a/*", True),
    ("a", "**/a/**", False),
    ("b/a", "**/a/**", False),
    ("b/a/c", "**/a/**", True),
    ("a/b/c", "a/**/**", True),
    ("a/b", "a/**/**", True),
    ("a", "a/**/**", False),
    ("A.log", "*.log", True),
    ("ab", "a*b*", True),
    ("a/b/c", "*/c", False),
    ("a/b/c", "**/c", True),
    ("node_modules/x/y", "**/node_modules/**", True),
    ("x.log", "x.log", True),
    ("d/x.log", "x.log", False),
    ("a1", "a[1]", True),
    ("a/b", "a/?", True),
    ("logs/a.log", "*.log", False),
    ("logs/a.log", "**/*.log", True),
    ("a.LOG", "*.log", False),
    ("src/x/y.py", "src/**/*.py", True),
    ("src/y.py", "src/**/*.py", True),
    ("src", "src/**", False),
    ("a/b/c/d", "a/**/c/**", True),
    ("a/c", "a/**/c/**", False),
    ("a/b/c", "**/b/**", True),
    ("x/.git/y", "**/.git/**", True),
    ("ab/cd", "a*/c*", True),
    ("abc", "a?c", True),
    ("a/b/c", "a/*/c", True),
    ("a/b/b/c", "a/*/c", False),
]


@pytest.mark.parametrize(("path", "glob", "expected"), MINIMATCH)
def test_globs_match_as_minimatch_does(path: str, glob: str, expected: bool) -> None:
    assert _Glob(glob).matches(path.split("/")) is expected


def test_a_plain_exclude_leaves_out_what_is_below_a_directory_of_that_name() -> None:
    excluded = _exclude_matcher(["node_modules"])
    assert not excluded("node_modules") and not excluded("a/node_modules")
    assert excluded("node_modules/x") and excluded("a/node_modules/b/c.js")
    assert not excluded("node_modules_old/x")


def test_many_globstars_stay_fast() -> None:
    # Tried by backtracking, this would take about 60^30 steps.
    assert not _Glob("**/a/" * 30 + "b").matches(["a"] * 60)
    assert _Glob("**/a/" * 30 + "**").matches(["a"] * 60)


@pytest.fixture
def session(tmp_path: Path) -> Path:
    """A session directory (its /home/wuying and /tmp are made by the first tool call)."""
    return tmp_path / "sessions" / "s1"


def ok(session: Path, tool: str, **args: Any) -> str:
    text, is_error = TOOLS[tool](session, args)
    assert not is_error, text
    return text


def fails(session: Path, tool: str, **args: Any) -> str:
    text, is_error = TOOLS[tool](session, args)
    assert is_error, text
    return text


@pytest.fixture
def tree(session: Path) -> Path:
    home = session / "home" / "wuying"
    for rel in ("Main.md", "docs/readme.MD", "docs/[draft].md", "logs/x.log", "deep/er/y.log", "a.log"):
        (home / rel).parent.mkdir(parents=True, exist_ok=True)
        (home / rel).write_text("x")
    return session


def search(session: Path, pattern: str, excludes: str | list[str] | None = None) -> list[str]:
    args: dict[str, object] = {"path": "/home/wuying", "pattern": pattern}
    if excludes is not None:
        args["excludePatterns"] = excludes
    text = ok(session, "search_files", **args)
    return [] if text == "No matches found" else [p.removeprefix("/home/wuying/") for p in text.splitlines()]


def test_an_empty_pattern_matches_every_name(tree: Path) -> None:
    assert search(tree, "") == [
        "Main.md",
        "a.log",
        "deep",
        "deep/er",
        "deep/er/y.log",
        "docs",
        "docs/[draft].md",
        "docs/readme.MD",
        "logs",
        "logs/x.log",
    ]


def test_a_plain_pattern_is_a_case_insensitive_part_of_the_name(tree: Path) -> None:
    assert search(tree, ".md") == ["Main.md", "docs/[draft].md", "docs/readme.MD"]
    # `[` is no glob: "[draft]" is found as text, as by the reference server.
    assert search(tree, "[DRAFT]") == ["docs/[draft].md"]
    assert search(tree, "zzz") == []


def test_excludes_follow_the_reference_server(tree: Path) -> None:
    assert search(tree, ".log", "*.log") == ["deep/er/y.log", "logs/x.log"]  # `*.log`: the top only
    assert search(tree, ".log", "**/*.log") == []
    assert search(tree, "", "deep,docs") == ["Main.md", "a.log", "deep", "docs", "logs", "logs/x.log"]
    assert search(tree, "", "*") == []
    # A list (SDK 0.8.0) works as the comma-joined string (0.9+) does.
    assert search(tree, "log", ["logs", "deep"]) == ["a.log", "logs"]


def test_read_multiple_files_reports_each_failure_in_its_section(session: Path) -> None:
    home = session / "home" / "wuying"
    home.mkdir(parents=True)
    (home / "a.txt").write_text("Error - this is text\n---\nstill a.txt")
    (home / "dir").mkdir()
    text = ok(
        session, "read_multiple_files", paths=["/home/wuying/a.txt", "/home/wuying/no", "/home/wuying/dir"]
    )
    assert text.split("\n---\n/home/wuying/") == [
        "/home/wuying/a.txt:\nError - this is text\n---\nstill a.txt\n",
        "no: Error - No such file or directory: /home/wuying/no",
        "dir: Error - Is a directory: /home/wuying/dir",
    ]


def test_binary_content_round_trips_through_write_and_read(session: Path) -> None:
    data = bytes(range(256)) * 3
    ok(
        session,
        "write_file",
        path="/tmp/b",
        content=base64.b64encode(data).decode(),
        mode="overwrite",
        format="binary",
    )
    assert base64.b64decode(ok(session, "read_file", path="/tmp/b", format="binary")) == data
    assert "format" in fails(session, "read_file", path="/tmp/b", format="bytes")
