"""The local server's MCP tools (`agentbay_local.sandbox`), called directly on a session directory.

Three things are checked: replies have the formats the official SDKs parse (compared with the
captures in shared/wire/tools and run through re-implementations of the SDK 0.8.0 parsers); every
path, `..` and symlink trick stays inside the session with nothing outside read, created or changed;
and `shell` runs in the same tree, in bubblewrap when it works here, with timeouts that kill the whole
process group and capped output.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import re
import shutil
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agentbay_local.sandbox import (
    TOOLS,
    SandboxWarning,
    _paths,
    _shell,
    _utf8,
    bwrap_executable,
    end_session,
    shell_structured,
)
from agentbay_local.sandbox._args import AccessDenied, ToolFailure

REPO = Path(__file__).resolve().parents[2]
WIRE = REPO.parent / "shared" / "wire"
if not WIRE.exists():  # a checkout beside shared/ is the norm; CI lays it out the same way
    WIRE = Path("/work/shared/wire")

HAVE_BWRAP = bwrap_executable() is not None
needs_bwrap = pytest.mark.skipif(not HAVE_BWRAP, reason="bubblewrap does not work on this machine")


# ---- fixtures and helpers -----------------------------------------------------------------------


def _host_dir_outside_session_paths() -> Iterator[Path]:
    # Not pytest's tmp_path: that is under /tmp, and a host path under /tmp is also a valid *session*
    # path (the session's own /tmp), so links and paths to it would be looked up in the session and
    # come back "No such file" instead of the "Access denied" these tests want to see.
    if not os.access("/var/tmp", os.W_OK):
        pytest.skip("/var/tmp is not writable")
    path = Path(tempfile.mkdtemp(dir="/var/tmp", prefix="agentbay-sandbox-test-"))
    try:
        yield path
    finally:
        shutil.rmtree(path)


@pytest.fixture
def base() -> Iterator[Path]:
    """A host directory whose paths share no prefix with a session path."""
    yield from _host_dir_outside_session_paths()


@pytest.fixture
def root(base: Path) -> Iterator[Path]:
    """A session directory, beside a sibling session and a host directory that must stay untouched.

    Commands' background processes outlive them; the session is ended afterwards to kill them.
    """
    (base / "outside").mkdir()
    (base / "outside" / "secret.txt").write_text("host secret")
    sibling = base / "sessions" / "s2" / "home" / "wuying"
    sibling.mkdir(parents=True)
    (sibling / "theirs.txt").write_text("sibling secret")
    session = base / "sessions" / "s1"
    session.mkdir(parents=True)
    try:
        yield session
    finally:
        end_session(session)


@pytest.fixture
def home(root: Path) -> Path:
    path = root / "home" / "wuying"
    path.mkdir(parents=True, exist_ok=True)
    (root / "tmp").mkdir(exist_ok=True)
    return path


def call(root: Path, tool: str, **args: Any) -> tuple[str, bool]:
    return TOOLS[tool](root, args)


def ok(root: Path, tool: str, **args: Any) -> str:
    text, is_error = call(root, tool, **args)
    assert not is_error, text
    return text


def fails(root: Path, tool: str, **args: Any) -> str:
    text, is_error = call(root, tool, **args)
    assert is_error, text
    return text


def snapshot(*trees: Path) -> dict[str, tuple[Any, ...]]:
    """Everything about the files under `trees` that a tool could change or create."""
    state: dict[str, tuple[Any, ...]] = {}
    for tree in trees:
        for dirpath, dirnames, filenames in os.walk(tree):
            for name in dirnames + filenames:
                path = os.path.join(dirpath, name)
                info = os.lstat(path)
                if os.path.islink(path):
                    body: Any = os.readlink(path)
                elif os.path.isfile(path):
                    body = hashlib.sha256(Path(path).read_bytes()).hexdigest()
                else:
                    body = None
                state[path] = (info.st_mode, info.st_size, info.st_mtime_ns, body)
    return state


def captured(tool: str) -> list[dict[str, Any]]:
    examples: list[dict[str, Any]] = json.loads((WIRE / "tools" / f"{tool}.json").read_text())["examples"]
    return examples


def captured_text(tool: str, sdk_call: str | None = None) -> str:
    for example in captured(tool):
        if sdk_call is None or example["sdk_call"] == sdk_call:
            text: str = example["response"]["body"]["Data"]["content"][0]["text"]
            return text
    raise LookupError(sdk_call)


# Re-implementations of the SDK 0.8.0 reply parsers (agentbay/filesystem/filesystem.py), so that a
# format change that the official SDK would misread fails here.


def sdk_parse_file_info(text: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for line in text.split("\n"):
        if ":" in line:
            key, raw = line.split(":", 1)
            value: Any = raw.strip()
            if value.lower() == "true":
                value = True
            elif value.lower() == "false":
                value = False
            try:
                if isinstance(value, str):
                    value = float(value) if "." in value else int(value)
            except ValueError:
                pass
            result[key.strip()] = value
    return result


def sdk_parse_listing(text: str) -> list[dict[str, Any]]:
    entries = []
    for line in (line.strip() for line in text.split("\n")):
        if line.startswith("[DIR]"):
            entries.append({"isDirectory": True, "name": line.replace("[DIR]", "").strip()})
        elif line.startswith("[FILE]"):
            entries.append({"isDirectory": False, "name": line.replace("[FILE]", "").strip()})
    return entries


def sdk_parse_multiple(text: str) -> dict[str, str]:
    result: dict[str, str] = {}
    current: str | None = None
    content: list[str] = []
    for line in text.split("\n"):
        if ":" in line and not current:
            end = line.find(":")
            current = line[:end].strip()
            rest = line[end + 1 :].strip()
            if rest:
                content.append(rest)
        elif line.strip() == "---":
            if current:
                result[current] = "\n".join(content).strip()
                current, content = None, []
        elif current is not None:
            content.append(line)
    if current:
        result[current] = "\n".join(content).strip()
    return result


def sdk_read_file(root: Path, path: str, chunk: int = 50 * 1024) -> str:
    """What SDK 0.8.0's `read_file` does: `get_file_info`, then byte ranges of `chunk`, joined."""
    size = sdk_parse_file_info(ok(root, "get_file_info", path=path))["size"]
    pieces, offset = [], 0
    while offset < size:
        length = min(chunk, size - offset)
        pieces.append(ok(root, "read_file", path=path, offset=offset, length=length))
        offset += length
    return "".join(pieces)


def sdk_write_file(root: Path, path: str, content: str, chunk: int = 50 * 1024) -> None:
    """What SDK 0.8.0's `write_file` does: character chunks, the first with `overwrite`."""
    ok(root, "write_file", path=path, content=content[:chunk], mode="overwrite")
    for start in range(chunk, len(content), chunk):
        ok(root, "write_file", path=path, content=content[start : start + chunk], mode="append")


# ---- replies in the captured formats ------------------------------------------------------------


def test_the_captured_file_flow_gives_the_captured_replies(root: Path) -> None:
    """The sequence of the captures, with their arguments; every reply equals the captured one."""
    assert ok(root, "create_directory", path="/home/wuying/d1") == captured_text("create_directory")
    write = {"path": "/home/wuying/d1/a.txt", "content": "hello\nworld", "mode": "overwrite"}
    assert ok(root, "write_file", **write) == captured_text("write_file")
    append = {"path": "/home/wuying/d1/a.txt", "content": "!", "mode": "append"}
    assert ok(root, "write_file", **append) == captured_text("write_file", "file_system.write_file(append)")
    assert ok(root, "read_file", path="/home/wuying/d1/a.txt", offset=0, length=12) == captured_text(
        "read_file"
    )
    assert ok(root, "list_directory", path="/home/wuying/d1") == captured_text("list_directory")
    edit = {
        "path": "/home/wuying/d1/a.txt",
        "edits": [{"oldText": "world", "newText": "there"}],
        "dryRun": False,
    }
    ok(root, "edit_file", **edit)
    move = {"source": "/home/wuying/d1/a.txt", "destination": "/home/wuying/d1/b.txt"}
    assert ok(root, "move_file", **move) == captured_text("move_file")
    for example in captured("search_files"):
        assert ok(root, "search_files", **example["args"]) == captured_text("search_files")
    assert ok(root, "read_multiple_files", paths=["/home/wuying/d1/b.txt"]) == captured_text(
        "read_multiple_files"
    )
    ok(root, "delete_file", path="/home/wuying/d1/b.txt")
    assert not (root / "home" / "wuying" / "d1" / "b.txt").exists()


def test_get_file_info_has_the_captured_keys_and_value_formats(root: Path) -> None:
    ok(root, "write_file", path="/home/wuying/a.txt", content="hello\nworld!", mode="overwrite")
    os.chmod(root / "home" / "wuying" / "a.txt", 0o644)
    text = ok(root, "get_file_info", path="/home/wuying/a.txt")
    expected = captured_text("get_file_info", "file_system.get_file_info")
    assert [line.split(":", 1)[0] for line in text.splitlines()] == [
        line.split(":", 1)[0] for line in expected.splitlines()
    ]
    date = re.compile(r"^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4}$")
    info = sdk_parse_file_info(text)
    for key in ("created", "modified", "accessed"):
        assert date.match(info[key]), info[key]
    sdk_result = next(
        e["sdk_result"] for e in captured("get_file_info") if e["sdk_call"].endswith("get_file_info")
    )
    for key in ("size", "isDirectory", "isFile", "permissions"):
        assert info[key] == sdk_result["file_info"][key]


def test_get_file_info_of_a_directory(home: Path) -> None:
    (home / "d").mkdir()
    info = sdk_parse_file_info(ok(home.parent.parent, "get_file_info", path="/home/wuying/d"))
    assert (info["isDirectory"], info["isFile"]) == (True, False)
    root_info = sdk_parse_file_info(ok(home.parent.parent, "get_file_info", path="/tmp"))
    assert root_info["isDirectory"] is True


def test_list_directory_parses_into_entries(home: Path) -> None:
    root = home.parent.parent
    (home / "b.txt").write_text("x")
    (home / "a_dir").mkdir()
    (home / "ünï 文件.txt").write_text("")
    text = ok(root, "list_directory", path="/home/wuying")
    assert text == "[DIR] a_dir\n[FILE] b.txt\n[FILE] ünï 文件.txt"
    assert sdk_parse_listing(text) == [
        {"isDirectory": True, "name": "a_dir"},
        {"isDirectory": False, "name": "b.txt"},
        {"isDirectory": False, "name": "ünï 文件.txt"},
    ]
    (home / "empty").mkdir()
    assert ok(root, "list_directory", path="/home/wuying/empty") == ""


def test_read_multiple_files_parses_per_file_including_errors(home: Path) -> None:
    root = home.parent.parent
    (home / "one.txt").write_text("first\nfile")
    (root / "tmp" / "two.txt").write_text("second")
    text = ok(
        root, "read_multiple_files", paths=["/home/wuying/one.txt", "/tmp/two.txt", "/home/wuying/nope"]
    )
    assert text == (
        "/home/wuying/one.txt:\nfirst\nfile\n\n---\n/tmp/two.txt:\nsecond\n\n---\n"
        "/home/wuying/nope: Error - No such file or directory: /home/wuying/nope"
    )
    parsed = sdk_parse_multiple(text)
    assert parsed["/home/wuying/one.txt"] == "first\nfile"
    assert parsed["/tmp/two.txt"] == "second"
    assert "No such file" in parsed["/home/wuying/nope"]


def test_read_multiple_files_refuses_paths_outside_per_file(root: Path, base: Path) -> None:
    text = ok(root, "read_multiple_files", paths=["/etc/passwd", str(base / "outside" / "secret.txt")])
    assert "root:" not in text and "host secret" not in text
    assert text.startswith("/etc/passwd: Error - Access denied: /etc/passwd is outside the session")


# ---- read and write ------------------------------------------------------------------------------


def test_unicode_round_trip_and_byte_sizes(root: Path) -> None:
    text = "héllo 世界 🎉\nzweite Zeile"
    ok(root, "write_file", path="/home/wuying/ü.txt", content=text, mode="overwrite")
    info = sdk_parse_file_info(ok(root, "get_file_info", path="ü.txt"))
    assert info["size"] == len(text.encode("utf-8"))
    assert ok(root, "read_file", path="/home/wuying/ü.txt") == text
    assert sdk_read_file(root, "/home/wuying/ü.txt") == text
    assert (root / "home" / "wuying" / "ü.txt").read_bytes() == text.encode("utf-8")


def test_empty_file(root: Path) -> None:
    ok(root, "write_file", path="/tmp/empty", content="", mode="overwrite")
    assert sdk_parse_file_info(ok(root, "get_file_info", path="/tmp/empty"))["size"] == 0
    assert ok(root, "read_file", path="/tmp/empty") == ""
    assert ok(root, "read_file", path="/tmp/empty", offset=0, length=10) == ""


def test_large_multibyte_file_in_sdk_chunks(root: Path) -> None:
    """5 MiB of 1- to 4-byte characters, written and read as the SDK does: 50 KiB pieces that cut
    characters in half at the byte level must still join up to exactly the original."""
    rng = random.Random(7)
    alphabet = "aZ9 \né߷世界€😀🎉\U0001f600"
    content = "".join(rng.choice(alphabet) for _ in range(2_400_000))
    assert len(content.encode("utf-8")) > 5 * 1024 * 1024
    sdk_write_file(root, "/home/wuying/big.txt", content)
    assert (root / "home" / "wuying" / "big.txt").read_bytes() == content.encode("utf-8")
    assert sdk_read_file(root, "/home/wuying/big.txt") == content
    assert ok(root, "read_file", path="/home/wuying/big.txt") == content


@pytest.mark.parametrize("chunk", [1, 2, 3, 4, 5, 7])
def test_every_byte_chunking_joins_exactly(root: Path, chunk: int) -> None:
    content = "a€b😀cé世\U0001f389" * 3
    ok(root, "write_file", path="f.txt", content=content, mode="overwrite")
    assert sdk_read_file(root, "/home/wuying/f.txt", chunk=chunk) == content


def test_byte_range_reads(root: Path) -> None:
    ok(root, "write_file", path="r.txt", content="é0123456789", mode="overwrite")  # é is 2 bytes
    assert ok(root, "read_file", path="r.txt", offset=2, length=3) == "012"
    assert ok(root, "read_file", path="r.txt", offset=1, length=3) == "01"  # starts inside é: skipped
    assert ok(root, "read_file", path="r.txt", offset=0, length=1) == "é"  # ends inside é: completed
    assert ok(root, "read_file", path="r.txt", offset=5) == "3456789"  # no length: to the end
    assert ok(root, "read_file", path="r.txt", offset=5, length=0) == "3456789"
    assert ok(root, "read_file", path="r.txt", offset=100, length=10) == ""
    assert "offset" in fails(root, "read_file", path="r.txt", offset=-1)
    assert "length" in fails(root, "read_file", path="r.txt", length="3")


def test_invalid_utf8_is_replaced_in_text_mode_and_exact_in_binary(home: Path) -> None:
    root = home.parent.parent
    raw = b"ok\xff\xfe\x80end"
    (home / "bin.dat").write_bytes(raw)
    assert ok(root, "read_file", path="bin.dat") == raw.decode("utf-8", errors="replace")
    assert base64.b64decode(ok(root, "read_file", path="bin.dat", format="binary")) == raw
    assert (
        base64.b64decode(ok(root, "read_file", path="bin.dat", offset=2, length=3, format="binary"))
        == raw[2:5]
    )


def test_binary_write(root: Path) -> None:
    data = bytes(range(256))
    payload = base64.b64encode(data).decode()
    ok(root, "write_file", path="/tmp/b", content=payload, mode="overwrite", format="binary")
    ok(root, "write_file", path="/tmp/b", content=payload, mode="append", format="binary")
    assert (root / "tmp" / "b").read_bytes() == data * 2
    assert "base64" in fails(
        root, "write_file", path="/tmp/b", content="not base64!", mode="append", format="binary"
    )
    assert "format" in fails(root, "write_file", path="/tmp/b", content="", mode="append", format="hex")


def test_append_creates_and_extends(root: Path) -> None:
    ok(root, "write_file", path="log.txt", content="one\n", mode="append")
    ok(root, "write_file", path="log.txt", content="two\n", mode="append")
    ok(root, "write_file", path="log.txt", content="three", mode="append")
    assert ok(root, "read_file", path="log.txt") == "one\ntwo\nthree"
    ok(root, "write_file", path="log.txt", content="new", mode="overwrite")
    assert ok(root, "read_file", path="log.txt") == "new"
    assert "mode" in fails(root, "write_file", path="log.txt", content="x", mode="replace")


def test_missing_files(root: Path) -> None:
    expected = "No such file or directory: /home/wuying/nope.txt"
    assert fails(root, "read_file", path="/home/wuying/nope.txt") == expected
    assert fails(root, "get_file_info", path="/home/wuying/nope.txt") == expected
    assert fails(root, "read_file", path="nope.txt") == expected
    assert fails(root, "delete_file", path="/home/wuying/nope.txt") == expected
    assert fails(root, "list_directory", path="/home/wuying/nope.txt") == expected
    assert "No such file" in fails(
        root, "edit_file", path="nope.txt", edits=[{"oldText": "a", "newText": "b"}]
    )
    assert "No such file" in fails(root, "move_file", source="nope.txt", destination="other.txt")
    text = fails(root, "write_file", path="/home/wuying/no/dir/x.txt", content="x", mode="overwrite")
    assert text.startswith("No such file or directory: /home/wuying/no/dir/x.txt")
    assert "parent directory" in text
    assert not (root / "home" / "wuying" / "no").exists()


def test_directory_and_file_confusion(home: Path) -> None:
    root = home.parent.parent
    (home / "d").mkdir()
    (home / "f").write_text("file")
    assert fails(root, "read_file", path="d") == "Is a directory: /home/wuying/d"
    assert fails(root, "write_file", path="d", content="x", mode="overwrite").startswith("Is a directory")
    assert fails(root, "list_directory", path="f") == "Not a directory: /home/wuying/f"
    assert "Not a directory" in fails(root, "create_directory", path="f")
    assert "Not a directory" in fails(root, "create_directory", path="f/sub")
    assert "Not a directory" in fails(root, "read_file", path="f/x")
    assert fails(root, "delete_file", path="d").startswith("Is a directory: /home/wuying/d")
    assert "Not a directory" in fails(root, "search_files", path="f", pattern="x")
    assert (home / "f").read_text() == "file" and (home / "d").is_dir()
    assert "Is a directory" in fails(root, "read_file", path="/tmp")
    assert "Is a directory" in fails(root, "delete_file", path="/home/wuying")


def test_fifo_is_refused_without_hanging(home: Path) -> None:
    root = home.parent.parent
    os.mkfifo(home / "pipe")
    assert fails(root, "read_file", path="pipe") == "Not a regular file: /home/wuying/pipe"
    assert fails(root, "write_file", path="pipe", content="x", mode="append").startswith("Not a regular file")
    assert "Not a regular file" in ok(root, "read_multiple_files", paths=["pipe"])
    assert "Not a regular file" in fails(
        root, "edit_file", path="pipe", edits=[{"oldText": "a", "newText": "b"}]
    )
    assert fails(root, "list_directory", path="pipe") == "Not a directory: /home/wuying/pipe"
    assert "Not a directory" in fails(root, "create_directory", path="pipe")
    assert "Not a directory" in fails(root, "shell", command="pwd", cwd="pipe")
    assert sdk_parse_file_info(ok(root, "get_file_info", path="pipe"))["isFile"] is False


def test_create_directory_makes_parents_and_accepts_existing(root: Path) -> None:
    ok(root, "create_directory", path="/home/wuying/a/b/c")
    ok(root, "create_directory", path="/home/wuying/a/b/c")
    ok(root, "create_directory", path="/tmp/x/y")
    assert (root / "home" / "wuying" / "a" / "b" / "c").is_dir()
    assert (root / "tmp" / "x" / "y").is_dir()


def test_edit_file(home: Path) -> None:
    root = home.parent.parent
    (home / "e.txt").write_text("alpha beta\ngamma beta\n")
    dry = ok(root, "edit_file", path="e.txt", edits=[{"oldText": "beta", "newText": "BETA"}], dryRun=True)
    assert dry.startswith("```diff\n") and "-alpha beta\n+alpha BETA\n" in dry
    assert (home / "e.txt").read_text() == "alpha beta\ngamma beta\n"
    edits = [{"oldText": "beta", "newText": "B"}, {"oldText": "alpha B", "newText": "first"}]
    ok(root, "edit_file", path="e.txt", edits=edits)  # in order: the second sees the first's result
    assert (home / "e.txt").read_text() == "first\ngamma beta\n"
    text = fails(
        root,
        "edit_file",
        path="e.txt",
        edits=[{"oldText": "gamma", "newText": "x"}, {"oldText": "zzz", "newText": "y"}],
    )
    assert text.startswith("Could not find exact match for edit 1") and "zzz" in text
    assert (home / "e.txt").read_text() == "first\ngamma beta\n"  # all or nothing
    assert "edits" in fails(root, "edit_file", path="e.txt", edits=[])
    assert "edits[0].newText" in fails(root, "edit_file", path="e.txt", edits=[{"oldText": "a"}])
    assert "edits[0]" in fails(root, "edit_file", path="e.txt", edits=["a"])
    assert "dryRun" in fails(
        root, "edit_file", path="e.txt", edits=[{"oldText": "a", "newText": "b"}], dryRun="no"
    )


def test_move_file(home: Path) -> None:
    root = home.parent.parent
    (home / "a.txt").write_text("A")
    (home / "b.txt").write_text("B")
    assert fails(root, "move_file", source="a.txt", destination="b.txt") == (
        "Destination already exists: /home/wuying/b.txt"
    )
    assert (home / "a.txt").read_text() == "A" and (home / "b.txt").read_text() == "B"
    ok(root, "move_file", source="/home/wuying/a.txt", destination="/tmp/a.txt")  # across the trees
    assert (root / "tmp" / "a.txt").read_text() == "A" and not (home / "a.txt").exists()
    (home / "d").mkdir()
    ok(root, "move_file", source="d", destination="d2")
    assert (home / "d2").is_dir()
    assert "into itself" in fails(root, "move_file", source="d2", destination="d2/inner")
    assert "session directory" in fails(root, "move_file", source="/tmp", destination="/home/wuying/t")
    assert "session directory" in fails(root, "move_file", source="b.txt", destination="/tmp")
    assert (home / "b.txt").exists()


def test_delete_file_removes_a_link_not_its_target(home: Path) -> None:
    root = home.parent.parent
    (home / "target.txt").write_text("keep")
    os.symlink("target.txt", home / "link")
    ok(root, "delete_file", path="link")
    assert not os.path.lexists(home / "link") and (home / "target.txt").read_text() == "keep"


def test_search_files(home: Path) -> None:
    root = home.parent.parent
    for rel in (
        "src/main.py",
        "src/util.PY",
        "src/notes.txt",
        "node_modules/pkg/main.py",
        "logs/a.log",
        "Main.md",
    ):
        (home / rel).parent.mkdir(parents=True, exist_ok=True)
        (home / rel).write_text("x")
    assert ok(root, "search_files", path="/home/wuying", pattern="main").splitlines() == [
        "/home/wuying/Main.md",
        "/home/wuying/node_modules/pkg/main.py",
        "/home/wuying/src/main.py",
    ]
    assert ok(
        root, "search_files", path="/home/wuying", pattern="*.py", excludePatterns=["node_modules"]
    ).splitlines() == [
        "/home/wuying/src/main.py",
        "/home/wuying/src/util.PY",
    ]
    assert ok(root, "search_files", path="src", pattern="**/*.txt") == "/home/wuying/src/notes.txt"
    # The reference server's excludes: `*.log` only at the top, `**/*.log` at any depth.
    both = ok(
        root, "search_files", path="/home/wuying", pattern="a", excludePatterns="*.log, node_modules,src"
    )
    assert both == "/home/wuying/Main.md\n/home/wuying/logs/a.log"
    deep = ok(root, "search_files", path="/home/wuying", pattern="a", excludePatterns="**/*.log,src,pkg")
    assert deep == "/home/wuying/Main.md"
    assert ok(root, "search_files", path="/home/wuying", pattern="zzz") == "No matches found"
    assert (
        ok(root, "search_files", path="/home/wuying", pattern="src") == "/home/wuying/src"
    )  # dirs match too
    everything = ok(root, "search_files", path="/home/wuying", pattern="").splitlines()
    assert len(everything) == 10  # an empty pattern: all 6 files and 4 directories
    assert "excludePatterns" in fails(
        root, "search_files", path="/home/wuying", pattern="a", excludePatterns=3
    )


def test_search_does_not_descend_into_symlinks(home: Path, base: Path) -> None:
    root = home.parent.parent
    os.symlink(base / "outside", home / "out")
    os.symlink(home, home / "loop")
    assert ok(root, "search_files", path="/home/wuying", pattern="secret") == "No matches found"
    assert ok(root, "search_files", path="/home/wuying", pattern="loop") == "/home/wuying/loop"


# ---- argument checks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tool", "args", "key"),
    [
        ("read_file", {}, "path"),
        ("read_file", {"path": 3}, "path"),
        ("write_file", {"path": "a"}, "content"),
        ("write_file", {"path": "a", "content": None}, "content"),
        ("write_file", {"path": ["a"], "content": "x"}, "path"),
        ("move_file", {"source": "a"}, "destination"),
        ("read_multiple_files", {"paths": "a"}, "paths"),
        ("read_multiple_files", {"paths": ["a", 1]}, "paths[1]"),
        ("read_multiple_files", {"paths": []}, "paths"),
        ("search_files", {"path": "/tmp"}, "pattern"),
        ("edit_file", {"path": "a"}, "edits"),
        ("shell", {"timeout_ms": 1000}, "command"),
        ("shell", {"command": "true", "timeout_ms": "1000"}, "timeout_ms"),
        ("shell", {"command": "true", "timeout_ms": True}, "timeout_ms"),
        ("shell", {"command": "true", "timeout_ms": 0}, "timeout_ms"),
        ("shell", {"command": "true", "envs": ["A=1"]}, "envs"),
        ("shell", {"command": "true", "envs": {"A": 1}}, "envs.A"),
        ("shell", {"command": "true", "envs": {"A=B": "1"}}, "envs"),
        ("shell", {"command": "true", "cwd": 7}, "cwd"),
        ("shell", {"command": "   "}, "command"),
    ],
)
def test_bad_arguments_name_the_key(root: Path, tool: str, args: dict[str, Any], key: str) -> None:
    text, is_error = TOOLS[tool](root, args)
    assert is_error
    assert f"'{key}'" in text


def test_args_that_are_not_an_object(root: Path) -> None:
    for tool in TOOLS:
        text, is_error = TOOLS[tool](root, ["not", "a", "dict"])  # type: ignore[arg-type]
        assert (text, is_error) == ("Args must be a JSON object", True)


def test_unexpected_errors_become_replies(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("boom")

    with monkeypatch.context() as patched:  # undone before the fixtures' teardown needs scandir
        patched.setattr(os, "scandir", explode)
        text, is_error = TOOLS["list_directory"](root, {"path": "/tmp"})
    assert is_error and text == "Internal error in list_directory: RuntimeError: boom"


def test_session_dirs_are_created(base: Path) -> None:
    root = base / "fresh"
    assert ok(root, "list_directory", path="/home/wuying") == ""
    assert (root / "home" / "wuying").is_dir() and (root / "tmp").is_dir()


def test_a_session_dir_replaced_by_a_link_is_refused(root: Path, base: Path) -> None:
    (root / "home").mkdir()
    os.symlink(base / "outside", root / "home" / "wuying")
    assert "Session storage is corrupt" in fails(root, "list_directory", path="/home/wuying")


# ---- confinement --------------------------------------------------------------------------------

ESCAPES = [
    "/etc/passwd",
    "../../etc/passwd",
    "/home/wuying/../../etc/passwd",
    "/home/wuying/../../../../../../etc/passwd",
    "/tmp/../etc/passwd",
    "//etc/passwd",
    "/",
    "/home",
    "/home/wuying/..",
    "/home/other/x",
    "/home/wuying2/x",
    "/proc/self/environ",
    "/root",
    "..",
]


def every_tool_on(path: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("read_file", {"path": path}),
        ("write_file", {"path": path, "content": "pwned", "mode": "overwrite"}),
        ("write_file", {"path": path, "content": "pwned", "mode": "append"}),
        ("get_file_info", {"path": path}),
        ("list_directory", {"path": path}),
        ("create_directory", {"path": path}),
        ("edit_file", {"path": path, "edits": [{"oldText": "root", "newText": "pwned"}]}),
        ("delete_file", {"path": path}),
        ("move_file", {"source": path, "destination": "/home/wuying/stolen"}),
        ("move_file", {"source": "/home/wuying/mine.txt", "destination": path}),
        ("search_files", {"path": path, "pattern": "passwd"}),
        ("shell", {"command": "pwd", "timeout_ms": 5000, "cwd": path}),
    ]


@pytest.mark.parametrize("path", ESCAPES)
def test_paths_outside_the_session_are_denied_by_every_tool(home: Path, base: Path, path: str) -> None:
    root = home.parent.parent
    (home / "mine.txt").write_text("mine")
    before = snapshot(base, Path("/etc"))
    for tool, args in every_tool_on(path):
        text, is_error = TOOLS[tool](root, args)
        assert is_error, (tool, args, text)
        assert text == f"Access denied: {path} is outside the session", (tool, text)
    assert snapshot(base, Path("/etc")) == before
    assert not (home / "stolen").exists()


@pytest.fixture(params=["elsewhere", "under-tmp"])
def host_base(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """Where sessions live on the host: a directory sharing no prefix with a session path, or
    pytest's tmp_path under /tmp, whose host paths are session paths too (in the session's /tmp)."""
    if request.param == "under-tmp":
        yield tmp_path
    else:
        yield from _host_dir_outside_session_paths()


def test_host_paths_of_this_and_other_sessions_are_not_reachable(host_base: Path) -> None:
    """The session's own host path, a sibling's, and a host file given as paths. Each is denied, or,
    when the host path starts with /tmp, it names a path in the session's own /tmp: never the host's."""
    root = host_base / "sessions" / "s1"
    home = root / "home" / "wuying"
    home.mkdir(parents=True)
    (root / "tmp").mkdir()
    (home / "mine.txt").write_text("CONTENT-MINE")
    (host_base / "sessions" / "s2").mkdir()
    (host_base / "sessions" / "s2" / "theirs.txt").write_text("CONTENT-SIBLING")
    (host_base / "outside.txt").write_text("CONTENT-HOST")
    targets = [
        str(home / "mine.txt"),
        str(root),
        str(host_base / "sessions" / "s2" / "theirs.txt"),
        str(host_base / "outside.txt"),
    ]
    under_tmp = str(host_base).startswith("/tmp/")
    session_trees = (str(root / "tmp"), str(home))
    before = snapshot(host_base)
    try:
        for target in targets:
            for tool, args in every_tool_on(target):
                text, is_error = TOOLS[tool](root, args)
                assert "CONTENT-" not in text, (tool, text)
                if not under_tmp:
                    assert (text, is_error) == (f"Access denied: {target} is outside the session", True)
    finally:
        end_session(root)
    after = snapshot(host_base)
    # Under /tmp, tools may have made and moved things inside the session's own two trees (a target
    # names a path in its /tmp). Nothing else may differ.
    assert {p: v for p, v in after.items() if not p.startswith(session_trees)} == {
        p: v for p, v in before.items() if not p.startswith(session_trees)
    }
    assert under_tmp or after == before


def test_null_bytes_empty_and_overlong_paths(root: Path) -> None:
    assert "null byte" in fails(root, "read_file", path="/home/wuying/a\x00/etc/passwd")
    assert "null byte" in fails(root, "write_file", path="a\x00", content="x", mode="overwrite")
    assert "empty" in fails(root, "read_file", path="")
    long_path = "/home/wuying/" + "a/" * 3000
    text = fails(root, "write_file", path=long_path, content="x", mode="overwrite")
    assert text.startswith("File name too long") and len(text) < 400
    assert fails(root, "read_file", path="/home/wuying/" + "b" * 300).startswith("File name too long")
    assert "Unicode" in fails(root, "read_file", path="/home/wuying/\udcff")
    assert os.listdir(root / "home" / "wuying") == []


def test_dotdot_inside_the_session_is_fine(home: Path) -> None:
    root = home.parent.parent
    (home / "d1").mkdir()
    (home / "d1" / "a.txt").write_text("A")
    assert ok(root, "read_file", path="/home/wuying/d1/../d1/./a.txt") == "A"
    assert ok(root, "read_file", path="/tmp/../home/wuying/d1/a.txt") == "A"
    assert ok(root, "read_file", path="d1/../../wuying/d1/a.txt") == "A"


def test_symlink_to_etc_inside_home(home: Path) -> None:
    root = home.parent.parent
    os.symlink("/etc", home / "etc")
    before = snapshot(Path("/etc"))
    for tool, args in (
        every_tool_on("etc/passwd") + every_tool_on("etc") + every_tool_on("/home/wuying/etc/x")
    ):
        text, is_error = TOOLS[tool](root, args)
        assert is_error, (tool, args, text)
        assert text.startswith("Access denied"), (tool, args, text)
    assert snapshot(Path("/etc")) == before
    assert os.path.islink(home / "etc")
    assert ok(root, "list_directory", path="/home/wuying") == "[FILE] etc"  # the link is listed, not followed


def test_symlink_to_a_sibling_session(home: Path, base: Path) -> None:
    root = home.parent.parent
    sibling = base / "sessions" / "s2" / "home" / "wuying"
    os.symlink(sibling, home / "neighbour")
    os.symlink(sibling / "theirs.txt", home / "theirs")
    before = snapshot(base / "sessions" / "s2")
    for path in ("neighbour/theirs.txt", "theirs", "neighbour", "neighbour/new.txt"):
        for tool, args in every_tool_on(path):
            text, is_error = TOOLS[tool](root, args)
            assert is_error and text.startswith("Access denied"), (tool, args, text)
    assert snapshot(base / "sessions" / "s2") == before


def test_symlinked_parent_directory(home: Path, base: Path) -> None:
    root = home.parent.parent
    os.symlink(base / "outside", home / "sub")
    before = snapshot(base / "outside")
    for path in ("sub/new.txt", "sub/secret.txt", "/home/wuying/sub/deeper/x"):
        for tool, args in every_tool_on(path):
            text, is_error = TOOLS[tool](root, args)
            assert is_error and text.startswith("Access denied"), (tool, args, text)
    assert snapshot(base / "outside") == before


def test_dangling_link_pointing_outside_is_not_created_through(home: Path, base: Path) -> None:
    root = home.parent.parent
    os.symlink(base / "outside" / "created.txt", home / "dangling")
    assert fails(root, "write_file", path="dangling", content="x", mode="overwrite").startswith(
        "Access denied"
    )
    assert fails(root, "create_directory", path="dangling").startswith("Access denied")
    assert not os.path.lexists(base / "outside" / "created.txt")


def test_relative_links_that_climb_out(home: Path, base: Path) -> None:
    root = home.parent.parent
    (home / "d").mkdir()
    os.symlink("../../..", home / "d" / "up")  # /home/wuying/d/../../.. is /
    os.symlink("../../../outside", home / "hostrel")  # relative on the host would reach base/outside
    for path in ("d/up/etc/passwd", "d/up", "hostrel/secret.txt"):
        assert fails(root, "read_file", path=path).startswith("Access denied")
    assert fails(root, "write_file", path="hostrel/x", content="x", mode="overwrite").startswith(
        "Access denied"
    )
    assert not (base / "outside" / "x").exists()


def test_links_are_read_in_the_session_namespace(home: Path) -> None:
    """`ln -s /tmp/data` made inside the sandbox means the session's /tmp, for the file tools too."""
    root = home.parent.parent
    (root / "tmp" / "data").mkdir()
    (root / "tmp" / "data" / "x.txt").write_text("in session tmp")
    os.symlink("/tmp/data", home / "data")
    os.symlink("../wuying/data/x.txt", home / "rel")  # /home/wuying/../wuying/data/x.txt
    assert ok(root, "read_file", path="data/x.txt") == "in session tmp"
    assert ok(root, "read_file", path="rel") == "in session tmp"
    ok(root, "write_file", path="data/y.txt", content="via link", mode="overwrite")
    assert (root / "tmp" / "data" / "y.txt").read_text() == "via link"
    # `..` after a link is taken from the link's target, as the kernel does: /tmp/data/.. is /tmp.
    assert ok(root, "list_directory", path="/home/wuying/data/..") == "[DIR] data"


def test_links_to_dot_and_to_the_root(home: Path) -> None:
    root = home.parent.parent
    (home / "f.txt").write_text("F")
    os.symlink(".", home / "here")
    os.symlink("/", home / "top")
    assert ok(root, "read_file", path="here/here/f.txt") == "F"
    assert _paths.resolve(_paths.SessionFS.open(root), "here/f.txt").parts == ("f.txt",)
    assert fails(root, "list_directory", path="top") == "Access denied: top is outside the session"
    assert ok(root, "read_file", path="top/home/wuying/f.txt") == "F"  # /home/wuying/f.txt, via /


def test_symlink_loops(home: Path) -> None:
    root = home.parent.parent
    os.symlink("b", home / "a")
    os.symlink("a", home / "b")
    assert fails(root, "read_file", path="a").startswith("Too many levels of symbolic links")
    ok(root, "delete_file", path="a")  # the link itself can go


def test_moves_into_and_out_of_the_session(home: Path, base: Path) -> None:
    root = home.parent.parent
    (home / "mine.txt").write_text("mine")
    os.symlink(base / "outside", home / "out")
    before = snapshot(base)
    for source, destination in [
        ("/home/wuying/mine.txt", str(base / "outside" / "mine.txt")),
        ("/home/wuying/mine.txt", "/etc/mine.txt"),
        ("/home/wuying/mine.txt", "out/mine.txt"),
        ("/home/wuying/mine.txt", "../../../mine.txt"),
        ("out/secret.txt", "/home/wuying/secret.txt"),
        ("/etc/hostname", "/home/wuying/hostname"),
        ("out", "/home/wuying/moved-link"),
    ]:
        text = fails(root, "move_file", source=source, destination=destination)
        assert "Access denied" in text or "No such file" in text, text
    assert snapshot(base) == before


def test_a_directory_swapped_for_a_link_after_the_check_is_not_followed(home: Path, base: Path) -> None:
    """The race a session process could try: resolve() sees a real directory, then it becomes a link
    to the host before the tool opens it. The O_NOFOLLOW walk must refuse it."""
    (home / "d").mkdir()
    fs = _paths.SessionFS.open(home.parent.parent)
    location = _paths.resolve(fs, "/home/wuying/d/new.txt")
    os.rmdir(home / "d")
    os.symlink(base / "outside", home / "d")
    with pytest.raises(AccessDenied), _paths.parent_dir(location):
        pass
    dir_location = _paths.resolve(fs, "/tmp")
    os.close(_paths.open_dir(dir_location))  # sanity: the plain walk works
    with pytest.raises(OSError):  # ELOOP or ENOTDIR: both refuse the link
        _paths.open_dir(location, ("d",))
    assert not (base / "outside" / "new.txt").exists()


def test_resolve_units(home: Path) -> None:
    fs = _paths.SessionFS.open(home.parent.parent)
    assert _paths.resolve(fs, "a/b").session_path == "/home/wuying/a/b"
    assert _paths.resolve(fs, "/tmp").is_root
    with pytest.raises(ToolFailure, match="No such file"):
        _paths.resolve(fs, "/tmp/missing/../y")  # `..` after a missing component fails, as in the kernel
    with pytest.raises(AccessDenied):
        _paths.resolve(fs, "/home")
    location = _paths.resolve(fs, "/home/wuying/new/deeper")  # not there yet: fine for creation
    assert location.parts == ("new", "deeper") and location.host_path == os.path.join(
        fs.home, "new", "deeper"
    )


# ---- shell --------------------------------------------------------------------------------------


def shell(root: Path, command: str, **args: Any) -> tuple[str, bool]:
    return TOOLS["shell"](root, {"command": command, "timeout_ms": 10_000, **args})


def marker_processes(marker: str) -> list[int]:
    """Host pids whose command line contains `marker` (processes in a sandbox are host processes too)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path("/proc", entry, "cmdline").read_bytes()
                status = Path("/proc", entry, "stat").read_text()
            except OSError:
                continue
            if marker.encode() in cmdline and ") Z " not in status:  # zombies are already dead
                found.append(int(entry))
    return found


@pytest.fixture(params=["bwrap", "fallback"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a shell test under bubblewrap and in the host fallback (expecting its warning)."""
    if request.param == "bwrap":
        if not HAVE_BWRAP:
            pytest.skip("bubblewrap does not work on this machine")
        yield "bwrap"
        return
    monkeypatch.setattr(_shell, "bwrap_executable", lambda: None)
    monkeypatch.setattr(_shell, "_fallback_warned", False)
    with pytest.warns(SandboxWarning, match="NOT isolated"):
        yield "fallback"


def test_shell_captured_examples(root: Path, mode: str) -> None:
    for example in captured("shell"):
        expected = example["response"]["body"]["Data"]["content"][0]["text"]
        if expected == f"ran: {example['args']['command']}\n":
            continue  # the capture server's echo of a mobile (Android) command, not a Linux reply
        if mode == "fallback" and example["args"]["command"] == "pwd":
            expected = os.path.realpath(root / "home" / "wuying") + "\n"  # not isolated: the host path
        assert TOOLS["shell"](root, example["args"]) == (expected, False)


def test_shell_pwd_is_home(root: Path, mode: str) -> None:
    text, _ = shell(root, "pwd")
    expected = "/home/wuying" if mode == "bwrap" else os.path.realpath(root / "home" / "wuying")
    assert text == expected + "\n"


def test_shell_stdout_then_stderr(root: Path, mode: str) -> None:
    assert shell(root, "echo out; echo err >&2; echo more") == ("out\nmore\nerr\n", False)


def test_shell_nonzero_exit_is_a_failure_with_json(root: Path, mode: str) -> None:
    text, is_error = shell(root, "echo out; echo err >&2; exit 3")
    assert is_error
    assert json.loads(text) == {
        "stdout": "out\n",
        "stderr": "err\n",
        "exit_code": 3,
        "truncated": False,
        "stdout_bytes": 4,
        "stderr_bytes": 4,
    }
    text, is_error = shell(root, "kill -9 $$")
    assert is_error and json.loads(text)["exit_code"] == 137


def test_shell_structured_replies_json_always(root: Path, mode: str) -> None:
    text, is_error = shell_structured(root, {"command": "printf hi; echo err >&2", "timeout_ms": 5000})
    reply = {"stdout": "hi", "stderr": "err\n", "exit_code": 0}
    sizes = {"truncated": False, "stdout_bytes": 2, "stderr_bytes": 4}
    assert (json.loads(text), is_error) == ({**reply, **sizes}, False)
    text, is_error = shell_structured(root, {"command": "exit 2", "timeout_ms": 5000})
    assert (json.loads(text)["exit_code"], is_error) == (2, True)


def test_shell_envs_cwd_and_base_environment(root: Path, mode: str) -> None:
    ok(root, "create_directory", path="/tmp/work")
    text, is_error = shell(
        root, 'pwd; echo "$A|$B|$LANG|$USER"', cwd="/tmp/work", envs={"A": "1", "B": "two words"}
    )
    assert not is_error
    lines = text.splitlines()
    assert lines[1] == "1|two words|C.UTF-8|wuying"
    assert lines[0] == ("/tmp/work" if mode == "bwrap" else os.path.realpath(root / "tmp" / "work"))
    env_text, _ = shell(root, "env")
    names = {line.split("=", 1)[0] for line in env_text.splitlines()}
    assert (
        {"PATH", "HOME", "LANG", "USER"}
        <= names
        <= {"PATH", "HOME", "LANG", "USER", "TMPDIR", "PWD", "SHLVL", "_"}
    )
    assert "Not a directory" in fails(root, "shell", command="pwd", cwd="/home/wuying/missing")


def test_shell_sees_the_file_tools_tree(root: Path, mode: str) -> None:
    ok(
        root,
        "write_file",
        path="/home/wuying/from-tool.txt",
        content="written by write_file",
        mode="overwrite",
    )
    ok(root, "write_file", path="/tmp/t.txt", content="tmp too", mode="overwrite")
    cat = (
        "cat /home/wuying/from-tool.txt /tmp/t.txt"
        if mode == "bwrap"
        else "cat from-tool.txt ../../tmp/t.txt"
    )
    assert shell(root, cat) == ("written by write_filetmp too", False)
    shell(root, "echo 'made by shell' > made.txt; mkdir -p sub && touch sub/f")
    assert ok(root, "read_file", path="/home/wuying/made.txt") == "made by shell\n"
    assert ok(root, "list_directory", path="/home/wuying/sub") == "[FILE] f"


def test_shell_timeout_kills_the_process_group(root: Path, mode: str) -> None:
    marker = f"{random.randint(100, 999)}.{random.randint(100000, 999999)}"  # a unique sleep length
    result: list[tuple[str, bool]] = []
    runner = threading.Thread(
        target=lambda: result.append(
            shell(root, f"sleep {marker} & sleep {marker}; echo never", timeout_ms=1500)
        )
    )
    runner.start()
    deadline = time.monotonic() + 5
    while len(marker_processes(marker)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(marker_processes(marker)) >= 2  # both sleeps were running: the check below can fail
    runner.join(10)
    assert result and result[0] == ("Command timed out after 1500 ms", True)
    deadline = time.monotonic() + 2
    while marker_processes(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker_processes(marker) == []


def unique_marker() -> str:
    """A sleep length no other process uses, to find a test's processes in /proc."""
    return f"{random.randint(100, 999)}.{random.randint(100000, 999999)}"


def wait_for(check: Any, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.02)
    return bool(check())


def test_shell_background_processes_outlive_the_command(root: Path, mode: str) -> None:
    plain, detached = unique_marker(), unique_marker()
    started = time.monotonic()
    # The plain child keeps the command's stdout and stderr open: the reply must not wait for it.
    text, is_error = shell(root, f"sleep {plain} & setsid sleep {detached} >/dev/null 2>&1 & echo started")
    assert (text, is_error) == ("started\n", False)
    assert time.monotonic() - started < 2
    assert wait_for(lambda: marker_processes(plain) and marker_processes(detached))
    time.sleep(0.3)  # still there a while later: nothing kills them behind the reply
    assert marker_processes(plain) and marker_processes(detached)
    end_session(root)
    assert marker_processes(plain) == [] and marker_processes(detached) == []


def test_later_commands_see_and_stop_what_earlier_ones_left(root: Path, mode: str) -> None:
    marker = unique_marker()
    shell(root, f"sleep {marker} >/dev/null 2>&1 & echo $! > sleep.pid")
    assert wait_for(lambda: marker_processes(marker))
    if mode == "bwrap":  # one PID namespace per session: its processes, and no host process
        listing, _ = shell(root, "ps -eo args")
        assert f"sleep {marker}" in listing.splitlines()
        names, _ = shell(root, "ps -eo comm")
        assert set(names.split()[1:]) == {"bwrap", "sh", "sleep", "ps"}  # the session's holder, the rest
    assert shell(root, "kill $(cat sleep.pid) && echo stopped") == ("stopped\n", False)
    assert wait_for(lambda: not marker_processes(marker))


def test_ending_a_session_kills_only_its_processes(root: Path, base: Path, mode: str) -> None:
    other = base / "sessions" / "s2"
    mine, theirs = unique_marker(), unique_marker()
    try:
        shell(root, f"nohup sleep {mine} >/dev/null 2>&1 &")
        # Under bwrap even a daemon that left for / is found (its namespace); the fallback finds it by
        # its working directory.
        leave = "cd /; " if mode == "bwrap" else ""
        shell(other, f"({leave}setsid sleep {theirs} >/dev/null 2>&1 &)")
        assert wait_for(lambda: marker_processes(mine) and marker_processes(theirs))
        end_session(root)
        assert marker_processes(mine) == []
        assert marker_processes(theirs)
    finally:
        end_session(other)
    assert marker_processes(theirs) == []


def test_an_ended_session_runs_nothing_more(root: Path, mode: str) -> None:
    shell(root, "true")
    end_session(root)
    text, is_error = TOOLS["shell"](root, {"command": "echo no"})
    assert (text, is_error) == ("The session has been deleted", True)


def test_a_deletion_while_a_command_starts_kills_what_it_starts(
    root: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = unique_marker()
    ender = threading.Thread(target=end_session, args=(root,))
    original = _shell._start_command

    def start_while_ending(*args: Any, **options: Any) -> Any:
        ender.start()
        time.sleep(0.2)
        assert ender.is_alive()  # the deletion waits for the command to have started...
        return original(*args, **options)

    monkeypatch.setattr(_shell, "_start_command", start_while_ending)
    shell(root, f"setsid sleep {marker} >/dev/null 2>&1 & echo started")
    ender.join(10)
    assert not ender.is_alive()
    assert wait_for(lambda: not marker_processes(marker))  # ...and then kills what it started
    assert TOOLS["shell"](root, {"command": "echo no"}) == ("The session has been deleted", True)


def test_shell_output_is_capped(root: Path, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    cap = 1 << 20  # the real cap (64 MiB): tests/integration/test_tools.py
    monkeypatch.setattr(_shell, "MAX_OUTPUT_BYTES", cap)
    produce = "head -c 3000000 /dev/zero | tr '\\0' a; head -c 2000000 /dev/zero | tr '\\0' b >&2"
    text, is_error = shell(root, produce)
    assert not is_error
    mark = "\n[output truncated]"
    assert text == "a" * cap + mark + "b" * cap + mark
    text, is_error = shell_structured(root, {"command": produce, "timeout_ms": 10_000})
    assert json.loads(text) == {
        "stdout": "a" * cap + mark,
        "stderr": "b" * cap + mark,
        "exit_code": 0,
        "truncated": True,
        "stdout_bytes": 3_000_000,
        "stderr_bytes": 2_000_000,
    }
    small, _ = shell(root, "printf abc")
    assert small == "abc"


def test_shell_output_is_decoded_leniently(root: Path, mode: str) -> None:
    text, is_error = shell(root, "printf 'ok\\377\\n'; printf 'é'")
    assert (text, is_error) == ("ok\ufffd\né", False)


def test_shell_default_and_capped_timeout(root: Path, mode: str) -> None:
    assert TOOLS["shell"](root, {"command": "echo x"}) == ("x\n", False)  # no timeout_ms: 50 s default
    assert TOOLS["shell"](root, {"command": "echo y", "timeout_ms": 10**12}) == ("y\n", False)


@needs_bwrap
def test_bwrap_confines_the_shell_to_the_session(root: Path, base: Path) -> None:
    (root / "home" / "wuying").mkdir(parents=True, exist_ok=True)
    text, is_error = shell(root, f"ls {root}; cat {base / 'outside' / 'secret.txt'}; ls /work /root")
    assert is_error
    reply = json.loads(text)
    assert "host secret" not in reply["stdout"] and reply["stdout"] == ""
    assert "No such file or directory" in reply["stderr"]
    assert shell(root, "cat /etc/hostname")[1] is False  # the read-only system is there
    probe = Path("/etc/agentbay-sandbox-probe")
    try:
        text, is_error = shell(root, f"touch {probe}")
        assert is_error and "Read-only file system" in json.loads(text)["stderr"]
        assert not probe.exists()
    finally:
        if probe.exists():
            probe.unlink()
    top = set(shell(root, "ls /")[0].splitlines())
    assert {"dev", "etc", "home", "proc", "tmp", "usr"} <= top
    assert not top & {"root", "work", "var", "opt", "srv", "mnt"}
    assert shell(root, "ls /home")[0] == "wuying\n"
    assert shell(root, "echo $$")[0] != f"{os.getpid()}\n"


@needs_bwrap
def test_bwrap_processes_see_a_private_tmp(root: Path) -> None:
    marker = f"agentbay-{random.randint(0, 10**9)}"
    Path("/tmp", marker).write_text("host tmp")
    try:
        text, _ = shell(root, f"ls /tmp; test -e /tmp/{marker} && echo LEAK")
        assert "LEAK" not in text
    finally:
        Path("/tmp", marker).unlink()


def test_fallback_warns_once(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_shell, "bwrap_executable", lambda: None)
    monkeypatch.setattr(_shell, "_fallback_warned", False)
    with pytest.warns(SandboxWarning):
        assert shell(root, "echo a") == ("a\n", False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert shell(root, "echo b") == ("b\n", False)


def test_the_probe_rejects_a_bwrap_that_does_not_work(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(_shell, "_probe_done", False)
    monkeypatch.setattr(_shell, "_probe_result", None)
    monkeypatch.setattr(_shell, "_probe_problem", "")
    monkeypatch.setattr(shutil, "which", lambda name: str(fake))
    assert _shell.bwrap_executable() is None
    assert "No permissions to create new namespace" in _shell._probe_problem
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert _shell.bwrap_executable() is None  # cached: not probed again


@needs_bwrap
def test_the_probe_accepts_the_real_bwrap() -> None:
    assert bwrap_executable() is not None and os.path.basename(str(bwrap_executable())) == "bwrap"


# ---- utf-8 helpers ------------------------------------------------------------------------------


def test_next_boundary_and_trim() -> None:
    data = "a€😀".encode()  # 1 + 3 + 4 bytes
    assert [_utf8.next_boundary(data, pos) for pos in range(len(data) + 1)] == [0, 1, 4, 4, 4, 8, 8, 8, 8]
    assert _utf8.next_boundary(b"\x80\x80\x80\x80", 2) == 2  # not UTF-8: left alone
    assert _utf8.trim_partial_tail("a€".encode()[:-1]) == b"a"
    assert _utf8.trim_partial_tail("a€".encode()) == "a€".encode()
    assert _utf8.trim_partial_tail(b"") == b""
