"""What the command prints: JSON documents, tables, one-line errors, and the exit code of each error.

`-o json` prints one JSON document on stdout with stable keys (snake_case, always present, `null`
when unknown). Tables go to a terminal through rich; when stdout is not a terminal they are plain
columns (no colour, no box, no wrapping), so `grep` and `awk` see one row per line.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any, TextIO

import click

from .._exceptions import (
    AgentBayError,
    APIError,
    AuthenticationError,
    BrowserError,
    CommandTimeoutError,
    ContextSyncError,
    InvalidInputError,
    InvalidParameterError,
    NoSuchFileError,
    NotFoundError,
    RateLimitError,
    ServerError,
    SessionClosedError,
    ToolError,
    TransportError,
)

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_CODES",
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "confirm_deletion",
    "emit",
    "error_line",
    "exit_code_for",
    "is_terminal",
    "need_yes",
    "print_json",
    "print_table",
    "reader_may_leave",
    "stdin_is_terminal",
    "write_all",
]

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
#: A process killed by SIGPIPE, as a shell reports it: what `cmd | head` gives when head stops reading.
EXIT_BROKEN_PIPE = 141

#: Exit codes by error class, most specific first (the README's table is checked against this).
#: `exec` exits with the remote command's own code instead when the command ran.
EXIT_CODES: tuple[tuple[type[BaseException], int, str], ...] = (
    (InvalidInputError, EXIT_USAGE, "bad arguments (also click's usage errors)"),
    (AuthenticationError, 3, "the API key is missing, wrong or expired"),
    (NoSuchFileError, 4, "no such session, context or file"),
    (NotFoundError, 4, "no such session, context or file"),
    (InvalidParameterError, 5, "the service refused an argument"),
    (RateLimitError, 6, "throttled"),
    (ServerError, 7, "the service failed"),
    (APIError, 7, "the service failed"),
    (TransportError, 8, "could not reach the service, or it did not answer in time"),
    (CommandTimeoutError, 124, "a command ran past its timeout (as timeout(1))"),
    (ToolError, 9, "a tool in the session reported failure"),
    (ContextSyncError, 10, "a context sync failed or ran late"),
    (BrowserError, 11, "no browser, or it failed to start"),
    (SessionClosedError, 1, "any other error"),
    (AgentBayError, 1, "any other error"),
)


def write_all(out: IO[bytes], data: bytes) -> None:
    """All of `data` to `out`, then flushed.

    A buffered write that meets a closed pipe part-way returns the count it wrote instead of raising,
    and the rest would be dropped without a word (exit 0, output cut short): write again until
    everything is out, so the closed pipe raises `BrokenPipeError`.
    """
    view = memoryview(data)
    while view:
        view = view[out.write(view) :]
    out.flush()


@contextlib.contextmanager
def reader_may_leave() -> Iterator[None]:
    """Around a command (the root group wraps every one): a reader that went away (`| head`) ends it
    quietly with exit 141, as SIGPIPE ends a C program.

    click would take the `BrokenPipeError` itself (exit 1, even outside standalone mode), so it is
    turned into click's own `Exit` here. stdout is pointed at /dev/null first, so that the flush at
    interpreter exit has nowhere to fail and prints no "Exception ignored" message.
    """
    try:
        yield
    except BrokenPipeError:
        with contextlib.suppress(AttributeError, OSError, ValueError, io.UnsupportedOperation):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None


def exit_code_for(error: BaseException) -> int:
    for kind, code, _ in EXIT_CODES:
        if isinstance(error, kind):
            return code
    return 1


def error_line(error: BaseException) -> str:
    """One line for stderr: the error's class, its message and (for API errors) the request id.

    The SDK builds every message from a reply scrubbed of the API key, so the line holds no secret.
    """
    message = " ".join(str(error).split()) or repr(error)
    request_id = getattr(error, "request_id", "") or ""
    if request_id and request_id not in message:
        message = f"{message} (request_id={request_id})"
    return f"agentbay: {type(error).__name__}: {message}"


def is_terminal(stream: TextIO | None = None) -> bool:
    stream = sys.stdout if stream is None else stream
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def stdin_is_terminal() -> bool:
    # A function of its own so that tests can stand in a terminal for the confirmation prompt.
    return is_terminal(sys.stdin)


def need_yes(command: str) -> str:
    """What `command` (e.g. "session delete") says when it refuses to ask: it needs a terminal."""
    return f"agentbay: {command}: stdin is not a terminal, so it cannot ask; pass -y to delete without asking"


def confirm_deletion(command: str, heading: str, rows: Sequence[str]) -> int | None:
    """Ask on the terminal before `command` deletes what `rows` name (under `heading`).

    Returns None to go on, else the exit code to stop with: 2 when stdin is not a terminal to ask on
    (pass -y), 1 when the answer is no.
    """
    if not stdin_is_terminal():
        print(need_yes(command), file=sys.stderr)
        return EXIT_USAGE
    click.echo("\n".join([heading, *(f"  {row}" for row in rows)]), err=True)
    if click.confirm("Delete?", default=False, err=True):
        return None
    print("agentbay: nothing deleted", file=sys.stderr)
    return 1


def print_json(document: Any) -> None:
    """One JSON document on stdout (non-ASCII kept as is, keys in the order given)."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return ",".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ",".join(_cell(v) for v in value)
    return str(value)


def print_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *, title: str | None = None
) -> None:
    """`rows` as a table with `columns` (keys of each row; headers are the keys in upper case)."""
    headers = [c.upper().replace("_", " ") for c in columns]
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    if is_terminal():
        from rich import box
        from rich.console import Console
        from rich.table import Table

        table = Table(*headers, box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False)
        for line in cells:
            table.add_row(*line)
        Console(highlight=False).print(table)
        return
    widths = [max([len(h)] + [len(line[i]) for line in cells]) for i, h in enumerate(headers)]
    for line in [headers, *cells]:
        padded = [v.ljust(widths[i]) for i, v in enumerate(line[:-1])] + line[-1:]
        sys.stdout.write("  ".join(padded).rstrip() + "\n")
    sys.stdout.flush()


def print_fields(fields: Mapping[str, Any]) -> None:
    """One record as `key  value` lines."""
    print_table([{"field": k, "value": _cell(v)} for k, v in fields.items()], ["field", "value"])


def emit(
    output: str,
    document: Any,
    *,
    rows: Sequence[Mapping[str, Any]] | None = None,
    columns: Sequence[str] = (),
    text: str | None = None,
) -> None:
    """Print `document` as JSON, or for people: `text` as is, else `rows` as a table, else its fields."""
    if output == "json":
        print_json(document)
    elif text is not None:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
        sys.stdout.flush()
    elif rows is not None:
        print_table(rows, columns)
    elif isinstance(document, Mapping):
        print_fields(document)
    else:
        sys.stdout.write(f"{document}\n")
