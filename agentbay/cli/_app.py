"""The root `agentbay` group: global options, the state commands share, error handling, exit codes.

Settings come as in the SDK: a flag, else the environment (`AGENTBAY_API_KEY`, `AGENTBAY_ENDPOINT`,
...), else the default; the SDK resolves them, so the command and the library never disagree.
`-o/--output` and `-v/--verbose` are accepted before the command and after it
(`agentbay -o json session list` and `agentbay session list -o json`).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .._exceptions import AgentBayError
from .._version import __version__
from ._output import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, emit, error_line, exit_code_for, reader_may_leave

if TYPE_CHECKING:
    from .._sync._client import AgentBay
    from .._sync._session import Session

__all__ = ["State", "common_options", "output_option", "pass_state", "run", "verbose_option"]

F = TypeVar("F", bound=Callable[..., Any])

#: Subcommands: name -> (module, attribute). Imported only when used, so `agentbay exec` does not pay
#: for rich or the local server.
COMMANDS: dict[str, tuple[str, str]] = {
    "session": ("agentbay.cli._sessions", "session"),
    "exec": ("agentbay.cli._exec", "exec_command"),
    "fs": ("agentbay.cli._fs", "fs"),
    "context": ("agentbay.cli._contexts", "context"),
    "screenshot": ("agentbay.cli._desktop", "screenshot"),
    "browser": ("agentbay.cli._desktop", "browser"),
    "tools": ("agentbay.cli._tools", "tools"),
    "demo": ("agentbay.cli._local", "demo"),
    "local": ("agentbay.cli._local", "local"),
}


class State:
    """What every command shares: the settings given, the output format, and one client, closed at exit."""

    def __init__(self) -> None:
        self.api_key: str | None = None
        self.endpoint: str | None = None
        self.region_id: str | None = None
        self.timeout: float | None = None
        self.output = "table"
        self.verbose = False
        self._client: AgentBay | None = None

    def client(self) -> AgentBay:
        """The SDK client for these settings (made once; closed when the command ends)."""
        if self._client is None:
            from .._sync._client import AgentBay

            if self.verbose:
                _log_requests()
            self._client = AgentBay(
                self.api_key, endpoint=self.endpoint, region_id=self.region_id, timeout=self.timeout
            )
            click.get_current_context().find_root().call_on_close(self._client.close)
        return self._client

    def session(self, session_id: str) -> Session:
        """The session `session_id` (GetSession); raises `NotFoundError` when there is none."""
        return self.client().get(session_id).unwrap()

    def emit(self, document: Any, **kwargs: Any) -> None:
        """Print `document` as JSON with `-o json`, else for people (see `_output.emit`)."""
        emit(self.output, document, **kwargs)

    @property
    def json(self) -> bool:
        return self.output == "json"


pass_state = click.make_pass_decorator(State, ensure=True)


class _RequestLog(logging.Handler):
    """Writes the SDK's request lines to the current `sys.stderr` (so stdout stays the output)."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(f"agentbay: {record.getMessage()}\n")


def _log_requests() -> None:
    # `-v`: the SDK's debug log has one line per request, with its action, status and request id (and
    # never the key). Removed again when the command ends, for callers that run several in-process.
    logger = logging.getLogger("agentbay")
    handler, level = _RequestLog(logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)

    def remove() -> None:
        logger.removeHandler(handler)
        logger.setLevel(level)

    click.get_current_context().find_root().call_on_close(remove)


def _set_output(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(State).output = value


def _set_verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(State).verbose = True


def output_option(*names: str) -> Callable[[F], F]:
    """The output format option under `names` (`-o`/`--output` by default: `screenshot` keeps `-o` for
    its file)."""
    return click.option(
        *(names or ("-o", "--output")),
        type=click.Choice(["table", "json"]),
        default=None,
        expose_value=False,
        callback=_set_output,
        is_eager=True,
        help="table (default) or json: one JSON document on stdout, for scripts.",
    )


verbose_option = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    default=False,
    expose_value=False,
    callback=_set_verbose,
    is_eager=True,
    help="Print each request's action, status and request id on stderr.",
)


def common_options(command: F) -> F:
    """`-o/--output` and `-v/--verbose`, for the root group and every command."""
    return verbose_option(output_option()(command))


class _LazyGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        with reader_may_leave():
            return super().invoke(ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*self.commands, *COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module}.{attribute} is not a click command")
        return command


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="agentbay", message="%(prog)s %(version)s")
@click.option(
    "--endpoint",
    metavar="URL",
    help="The AgentBay endpoint, e.g. http://127.0.0.1:9000 [default: $AGENTBAY_ENDPOINT, else the region's].",
)
@click.option(
    "--region", "region_id", metavar="ID", help="The region [default: $AGENTBAY_REGION_ID, else cn-hangzhou]."
)
@click.option(
    "--api-key",
    metavar="KEY",
    help="The API key [default: $AGENTBAY_API_KEY]. The environment is safer: a flag shows in `ps`.",
)
@click.option(
    "--timeout",
    type=float,
    metavar="SECONDS",
    help="Seconds per request [default: $AGENTBAY_TIMEOUT, else 60].",
)
@common_options
@click.pass_context
def cli(
    ctx: click.Context,
    endpoint: str | None,
    region_id: str | None,
    api_key: str | None,
    timeout: float | None,
) -> None:
    """Wuying AgentBay from the command line: sessions, commands, files, contexts, desktops, browsers.

    Exit codes: 0 success, 2 bad arguments, 3 authentication, 4 not found, 5 refused argument,
    6 throttled, 7 service failure, 8 unreachable or timed out, 9 tool failure, 10 context sync,
    11 browser, 124 command timeout, 130 interrupted, 1 anything else; `exec` exits with the
    command's own code.
    """
    state = ctx.ensure_object(State)
    state.endpoint, state.region_id, state.api_key, state.timeout = endpoint, region_id, api_key, timeout


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv` (default: `sys.argv[1:]`); return the exit code, never raise."""
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None, prog_name="agentbay", standalone_mode=False
        )
    except click.exceptions.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        # click turns Ctrl-C (and EOF at a prompt) into Abort; the command's own handlers have
        # cleaned up by the time it gets here.
        print("agentbay: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("agentbay: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except AgentBayError as exc:
        print(error_line(exc), file=sys.stderr)
        return exit_code_for(exc)
    except BrokenPipeError:
        # The reader went away (`| head`): say nothing more, and exit as a process killed by SIGPIPE.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return result if isinstance(result, int) else 0
