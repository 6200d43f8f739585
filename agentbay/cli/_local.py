"""`agentbay demo` and `agentbay local serve`: the local server, started through its own package.

`local serve` asks for the `[local]` extra only when it is used.
"""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from .._constants import ENV_API_KEY
from .._exceptions import AgentBayError

__all__ = ["demo", "local", "run_quickstart"]

T = TypeVar("T")
LOCAL_EXTRA_HINT = "the local server needs the [local] extra: pip install 'agentbay-python[local]'"


def _default_state_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "agentbay" / "local"


def _import_local() -> Any:
    try:
        import agentbay_local
    except ImportError as exc:  # starlette/uvicorn missing
        raise SystemExit(f"agentbay: {LOCAL_EXTRA_HINT} ({exc})") from None
    return agentbay_local


def _print_ready(server: Any) -> None:
    # The key itself is never printed: the banner names the file that holds it, so the command below
    # can be pasted as is without the secret landing in a terminal's scrollback or a CI log.
    print(f"AgentBay local server at {server.endpoint} (state in {server.state_dir}); Ctrl-C stops.")
    # OSS_ENDPOINT: the local object store, for the user's own oss2 programs (README, object storage).
    endpoint = (
        f"export AGENTBAY_ENDPOINT={shlex.quote(server.endpoint)}"
        f" OSS_ENDPOINT={shlex.quote(server.oss_endpoint)}"
    )
    if server.generated_key is not None:
        key_file = shlex.quote(str(Path(server.state_dir).resolve() / "api_key"))
        print(f'Connect with:\n  {endpoint} AGENTBAY_API_KEY="$(cat {key_file})"', flush=True)
    else:
        print(f"Connect with (AGENTBAY_API_KEY: one of the --api-key values):\n  {endpoint}", flush=True)
    # Below the command to paste, so that it stays the banner's third line.
    print(
        f"Object storage (OSS API, for oss2; the secret is an API key) at {server.oss_endpoint}",
        flush=True,
    )


def _serve(host: str, port: int, oss_port: int, state_dir: Path, api_keys: list[str]) -> int:
    local = _import_local()
    try:
        # Returns on SIGINT or SIGTERM, after a clean stop.
        local.run(
            state_dir,
            api_keys or None,
            host,
            port,
            oss_port=oss_port,
            ready=_print_ready,
        )
    except OSError as exc:  # a port in use, an unwritable state directory: one line, no traceback
        where = f": {exc.filename}" if exc.filename else ""
        print(f"agentbay local serve: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    return 0


def _brief(result: object) -> str:
    if hasattr(result, "success"):
        return "ok" if result.success else f"failed: {getattr(result, 'error_message', '')}"
    return str(result)


class _Steps:
    """Prints one line per demo step: what ran, how long it took, what it returned."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(
        self, title: str, call: Callable[[], T], show: Callable[[T], str] = lambda r: _brief(r)
    ) -> T:
        started = time.perf_counter()
        value = call()
        elapsed = (time.perf_counter() - started) * 1000
        self.count += 1
        print(f"  {self.count:>2}. {title:<34} {elapsed:7.1f} ms  {show(value)}", flush=True)
        return value


def run_quickstart(agent_bay: Any) -> None:
    """The demo's steps, through the public SDK only."""
    from .._types import CreateSessionParams

    step = _Steps()
    labels = {"project": "agentbay-demo", "run": str(os.getpid())}
    result = step(
        "create session (labels)",
        lambda: agent_bay.create(CreateSessionParams(labels=labels, image_id="code_latest")),
        lambda r: r.session.session_id if r.success else r.error_message,
    )
    with result.unwrap() as session:
        step("info", session.info, lambda i: i.resource_url)
        step("get_link", session.get_link)
        step("get_link(port=30100)", lambda: session.get_link(port=30100))
        step(
            "set_labels (+stage=test)", lambda: session.set_labels({**labels, "stage": "test"})
        ).raise_for_error()
        step("get_labels", session.get_labels)
        found = step(
            "list(labels=project)",
            lambda: agent_bay.list(labels={"project": "agentbay-demo"}),
            lambda r: f"{len(r.session_ids)} session(s), total {r.total_count}",
        )
        found.raise_for_error()
        if session.session_id not in found.session_ids:
            raise AgentBayError(f"list did not find session {session.session_id}")
        tools = step("list_mcp_tools", session.list_mcp_tools, lambda r: f"{len(r.tools)} tools")
        tools.raise_for_error()
        ran = step(
            "command: echo, pwd",
            lambda: session.command.execute_command("echo hello from the session; pwd"),
            lambda r: r.stdout.strip().replace("\n", " | ") if r.success else r.error_message,
        )
        ran.raise_for_error()
        fs = session.file_system
        note = "written by agentbay demo: héllo ✓\n"
        step("file_system.write_file", lambda: fs.write_file("/home/wuying/demo.txt", note)).raise_for_error()
        read = step(
            "file_system.read_file", lambda: fs.read_file("/home/wuying/demo.txt"), lambda r: repr(r.content)
        )
        read.raise_for_error()
        if read.content != note:
            raise AgentBayError(f"read back {read.content!r}, wrote {note!r}")
        listed = step(
            "command: ls -l demo.txt",
            lambda: session.command.execute_command("ls -l demo.txt"),
            lambda r: r.stdout.strip() if r.success else r.error_message,
        )
        listed.raise_for_error()
        step(
            "delete", session.delete, lambda r: "deleted" if r.success else r.error_message
        ).raise_for_error()
    print(f"demo finished: {step.count} steps, all succeeded")


@contextmanager
def _embedded_server() -> Iterator[tuple[str, str]]:
    local = _import_local()
    key = "akm-demo-" + os.urandom(8).hex()
    with (
        tempfile.TemporaryDirectory(prefix="agentbay-demo-") as state_dir,
        local.LocalServer(state_dir, api_keys=[key]) as server,
    ):
        yield server.endpoint, key


def _demo(endpoint: str | None) -> int:
    from .._sync._client import AgentBay

    try:
        if endpoint:
            key = os.environ.get(ENV_API_KEY, "")
            if not key:
                print(f"agentbay demo: set {ENV_API_KEY} to run against {endpoint}", file=sys.stderr)
                return 2
            print(f"agentbay demo against {endpoint}")
            with AgentBay(api_key=key, endpoint=endpoint) as agent_bay:
                run_quickstart(agent_bay)
        else:
            with _embedded_server() as (endpoint, key):
                print(f"agentbay demo against an embedded local server at {endpoint}")
                with AgentBay(api_key=key, endpoint=endpoint) as agent_bay:
                    run_quickstart(agent_bay)
    except AgentBayError as exc:
        print(f"demo failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


class _StateDirOption(click.Option):
    """Shows the default state directory as it is when help is asked for (XDG_DATA_HOME can change)."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.show_default = str(_default_state_dir())
        return super().get_help_record(ctx)


@click.command()
@click.option(
    "--endpoint", metavar="URL", help=f"Run against this AgentBay endpoint instead (key from ${ENV_API_KEY})."
)
def demo(endpoint: str | None) -> int:
    """Run a quickstart against an embedded local server (or --endpoint)."""
    return _demo(endpoint)


@click.group()
def local() -> None:
    """The local AgentBay server."""


@local.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=int, default=9000, show_default=True, help="Port to bind (0 picks a free one).")
@click.option(
    "--oss-port",
    type=int,
    default=0,
    help="Port of the local object store, OSS's API for oss2 [default: 0, a free one, printed at start].",
)
@click.option(
    "--state-dir",
    type=click.Path(path_type=Path, file_okay=False),
    cls=_StateDirOption,
    default=_default_state_dir,
    help="Where sessions and keys are kept.",
)
@click.option(
    "--api-key",
    "api_keys",
    multiple=True,
    help="Accept this API key (repeatable) [default: a generated, stored key].",
)
def serve(host: str, port: int, oss_port: int, state_dir: Path, api_keys: tuple[str, ...]) -> int:
    """Serve the AgentBay API on this machine."""
    return _serve(host, port, oss_port, state_dir, list(api_keys))
