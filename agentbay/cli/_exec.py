"""`agentbay exec ID -- CMD...`: run a shell command in a session, as if it ran here."""

from __future__ import annotations

import shlex
import sys
from typing import TextIO

import click

from ._app import State, common_options, pass_state
from ._output import write_all

__all__ = ["exec_command"]

#: The SDK's default (`execute_command(timeout_ms=50000)`, the official SDK's) and the service's limit.
DEFAULT_TIMEOUT_S = 50.0
MAX_TIMEOUT_S = 3600.0


def parse_env(values: tuple[str, ...]) -> dict[str, str]:
    """`K=V` options as a dict (a later K wins); a value may hold `=` and may be empty."""
    envs: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="'--env'")
        envs[name] = value
    return envs


def command_line(words: tuple[str, ...]) -> str:
    """One word is a shell string as typed (`'ls | wc -l'`); several are quoted word by word."""
    return words[0] if len(words) == 1 else shlex.join(words)


def write_raw(stream: TextIO, text: str) -> None:
    """`text` exactly as the command wrote it (UTF-8, whatever the locale), with no newline added."""
    if not text:
        return
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
    else:
        # The service decoded the output as UTF-8 (undecodable bytes became U+FFFD): encode it back
        # the same way, rather than through the terminal's encoding, which may not hold every character.
        try:
            data = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a lone surrogate from a JSON escape: not a byte anyone wrote
            data = text.encode("utf-8", "replace")
        stream.flush()
        write_all(buffer, data)
    stream.flush()


def exit_status(code: int) -> int:
    """A remote exit code as this process can exit with it: 0..255, a signal as the shell's 128+N."""
    if code < 0:
        return min(128 - code, 255)
    return code if code <= 255 else 1


@click.command(
    "exec",
    context_settings={"help_option_names": ["-h", "--help"]},
    short_help="Run a shell command in a session and exit with its code.",
)
@click.argument("session_id", metavar="ID")
@click.argument("words", metavar="-- CMD...", nargs=-1, required=True)
@click.option("--cwd", metavar="DIR", help="Working directory in the session [default: its home].")
@click.option("--env", "env", metavar="K=V", multiple=True, help="An environment variable; repeatable.")
@click.option(
    "--timeout",
    type=click.FloatRange(0.001, MAX_TIMEOUT_S),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    metavar="SECONDS",
    help="Stop the command after this long (then exit 124, as timeout(1)).",
)
@common_options
@pass_state
def exec_command(
    state: State,
    session_id: str,
    words: tuple[str, ...],
    cwd: str | None,
    env: tuple[str, ...],
    timeout: float,
) -> int:
    """Run CMD with /bin/sh in session ID; print its stdout and stderr here and exit with its code.

    One CMD word is a shell line as typed, pipes and all; several words are quoted one by one, so
    spaces in them survive. Put options before `--`:

    \b
        agentbay exec ID -- 'ls /tmp | wc -l'
        agentbay exec ID --cwd /tmp --env DEBUG=1 -- ls -la "my dir"
        agentbay exec ID -o json -- python3 -c 'print(42)'

    A command that runs past --timeout exits 124. When the service capped the output, a line on
    stderr says so. With -o json, one document on stdout: exit_code, stdout, stderr, truncated,
    stdout_bytes, stderr_bytes (what the command really wrote) and request_id.
    """
    envs = parse_env(env)
    session = state.session(session_id)
    result = session.command.execute_command(
        command_line(words), timeout_ms=max(1, round(timeout * 1000)), cwd=cwd, envs=envs or None
    )
    if result.exit_code is None:
        # It did not finish: a timeout (CommandTimeoutError, exit 124) or a failed call. `run()` prints
        # the one line and picks the exit code.
        result.raise_for_error()
        raise click.ClickException("the command did not report an exit code")  # pragma: no cover
    if state.json:
        state.emit(
            {
                "exit_code": result.exit_code,
                "stdout": result.stdout,
                "stderr": result.stderr,
                "truncated": result.truncated,
                "stdout_bytes": result.stdout_bytes,
                "stderr_bytes": result.stderr_bytes,
                "request_id": result.request_id,
            }
        )
    else:
        write_raw(sys.stdout, result.stdout)
    if not state.json:
        write_raw(sys.stderr, result.stderr)
    if result.truncated:
        sizes = f"stdout {_size(result.stdout_bytes)}, stderr {_size(result.stderr_bytes)}"
        # On a line of its own, even after a stderr that did not end in one.
        start = "\n" if not state.json and result.stderr and not result.stderr.endswith("\n") else ""
        print(
            f"{start}agentbay: the service truncated the output (the command wrote {sizes})", file=sys.stderr
        )
    return exit_status(result.exit_code)


def _size(count: int | None) -> str:
    return "an unknown number of bytes" if count is None else f"{count} bytes"
