"""`agentbay context ...`: contexts (named stores of files that outlive sessions) and their files.

A CONTEXT argument is a name or an id: it is looked up as a name first (GetContext by name), then as
an id, so a context named like another's id is found by its name. Files move through the context's
presigned URLs (`get_file_upload_url` / `get_file_download_url`) with a streamed HTTP PUT or GET: the
whole file is never held in memory.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from .._exceptions import (
    AgentBayError,
    APIConnectionError,
    NoSuchFileError,
    NotFoundError,
)
from .._transfer import url_error as _sdk_url_error
from .._transfer import url_transport_error
from ._app import State, common_options, pass_state
from ._output import confirm_deletion, error_line, exit_code_for, need_yes
from ._progress import Progress, transfer_progress

if TYPE_CHECKING:
    import httpx

    from .._contexts import Context
    from .._sync._client import AgentBay

__all__ = ["context"]

#: Bytes per piece of an upload's body and of a download's writes.
CHUNK = 1024 * 1024
#: Seconds per connect, read and write of a presigned-URL request when neither `--timeout` nor
#: $AGENTBAY_TIMEOUT says (the SDK's default per request).
DEFAULT_TIMEOUT = 60.0


@click.group("context")
def context() -> None:
    """Contexts: named stores of files that outlive sessions (mount one with `session create --context`).

    CONTEXT is a context's name or its id.

    \b
    agentbay context create my-project
    agentbay context put my-project ./notes.txt /data/notes.txt
    agentbay context ls my-project /data
    agentbay context get my-project /data/notes.txt - | less
    """


# ---- resolving CONTEXT ---------------------------------------------------------------------------


def resolve(client: AgentBay, ref: str) -> Context:
    """The context named `ref`, else the one whose id is `ref`; `NotFoundError` when neither exists."""
    if not ref:
        raise click.BadParameter("a context name or id cannot be empty", param_hint="CONTEXT")
    by_name = client.context.get(ref)
    if by_name.context is not None:
        return by_name.context
    if not isinstance(by_name.error, NotFoundError):
        by_name.raise_for_error()
    by_id = client.context.get(context_id=ref)
    if by_id.context is not None:
        return by_id.context
    if not isinstance(by_id.error, NotFoundError):
        by_id.raise_for_error()
    raise NotFoundError(
        f"No context named {ref!r} or with that id", code="InvalidContext.NotFound", action="GetContext"
    )


def _row(item: Context) -> dict[str, Any]:
    return {
        "context_id": item.id,
        "name": item.name,
        "state": item.state or None,
        "created_at": item.created_at or None,
        "last_used_at": item.last_used_at or None,
        "os_type": item.os_type or None,
    }


# ---- list, create, delete ------------------------------------------------------------------------


@context.command("list", short_help="List every context.")
@common_options
@pass_state
def list_contexts(state: State) -> None:
    """List every context (all pages): id, name, state, created, last used.

    JSON: {"contexts": [{"context_id", "name", "state", "created_at", "last_used_at", "os_type"}],
    "count"}.
    """
    rows = [_row(item) for item in state.client().context.list_all()]
    columns = ["context_id", "name", "state", "created_at", "last_used_at"]
    state.emit({"contexts": rows, "count": len(rows)}, rows=rows, columns=columns)


@context.command("create", short_help="Create a context; print its id.")
@click.argument("name")
@common_options
@pass_state
def create(state: State, name: str) -> None:
    """Create the context NAME and print its id (the existing one's if NAME is taken).

    \b
    CTX=$(agentbay context create my-project)
    """
    if not name.strip():
        raise click.BadParameter("a context name cannot be empty", param_hint="NAME")
    result = state.client().context.create(name)
    item = result.unwrap()
    state.emit({**_row(item), "request_id": result.request_id or None}, text=item.id)


#: What `context delete` says when it refuses to ask (as `session delete` does).
NEED_YES = need_yes("context delete")


@context.command("delete", short_help="Delete contexts and their files.")
@click.argument("contexts", metavar="CONTEXT...", nargs=-1, required=True)
@click.option("-y", "--yes", is_flag=True, help="Do not ask; needed when stdin is not a terminal.")
@common_options
@pass_state
def delete(state: State, contexts: tuple[str, ...], yes: bool) -> int:
    """Delete contexts and every file in them. Asks first, unless -y.

    Every CONTEXT is looked up first: an unknown one stops the command before anything is deleted
    (exit 4). One line (JSON: one entry) per context; the exit code is that of the first failure.

    \b
    agentbay context delete my-project old-project -y
    """
    client = state.client()
    targets: dict[str, Context] = {}
    for ref in contexts:
        item = resolve(client, ref)
        targets.setdefault(item.id, item)
    if not yes:
        noun = "context" if len(targets) == 1 else "contexts"
        heading = f"About to delete {len(targets)} {noun} and every file in them:"
        rows = [f"{item.id}  {item.name}" for item in targets.values()]
        stop = confirm_deletion("context delete", heading, rows)
        if stop is not None:
            return stop
    entries: list[dict[str, Any]] = []
    first_error: AgentBayError | None = None
    for item in targets.values():
        result = client.context.delete(item)
        entry: dict[str, Any] = {
            "context_id": item.id,
            "name": item.name,
            "result": "deleted",
            "ok": True,
            "error": None,
            "request_id": result.request_id or None,
        }
        if result.error is not None:
            entry.update(result="failed", ok=False, error=f"{type(result.error).__name__}: {result.error}")
            print(error_line(result.error), file=sys.stderr)
            first_error = first_error or result.error
        entries.append(entry)
    failed = sum(1 for e in entries if not e["ok"])
    document = {"contexts": entries, "deleted": len(entries) - failed, "failed": failed}
    state.emit(document, rows=entries, columns=["context_id", "name", "result"])
    return 0 if first_error is None else exit_code_for(first_error)


# ---- files ---------------------------------------------------------------------------------------


def _entry(raw: Any) -> dict[str, Any]:
    return {
        "name": raw.file_name,
        "path": raw.file_path,
        # "dir" as `agentbay fs ls` says it (the service says "folder").
        "type": {"folder": "dir", "file": "file"}.get(raw.file_type, raw.file_type or None),
        "size": raw.size if raw.file_type != "folder" else None,
        "modified": raw.gmt_modified or None,
    }


@context.command("ls", short_help="List the files under a folder of a context.")
@click.argument("ref", metavar="CONTEXT")
@click.argument("path", default="/")
@click.option("--page-size", type=click.IntRange(1, 100), default=50, show_default=True, hidden=True)
@common_options
@pass_state
def ls(state: State, ref: str, path: str, page_size: int) -> None:
    """List the files and folders under PATH (default /) in CONTEXT: name, type, size, modified.

    JSON: {"context_id", "path", "entries": [{"name", "path", "type", "size", "modified"}], "count"}.
    """
    client = state.client()
    item = resolve(client, ref)
    entries: list[dict[str, Any]] = []
    page = 1
    while True:
        result = client.context.list_files(item.id, path, page_number=page, page_size=page_size)
        result.raise_for_error()
        entries.extend(_entry(raw) for raw in result.entries)
        # `count` is the folder's total; a short or empty page also ends it (a folder that shrinks).
        if not result.entries or len(entries) >= result.count or len(result.entries) < page_size:
            break
        page += 1
    state.emit(
        {"context_id": item.id, "path": path, "entries": entries, "count": len(entries)},
        rows=entries,
        columns=["name", "type", "size", "modified"],
    )


@context.command("rm", short_help="Delete files of a context.")
@click.argument("ref", metavar="CONTEXT")
@click.argument("paths", metavar="PATH...", nargs=-1, required=True)
@common_options
@pass_state
def rm(state: State, ref: str, paths: tuple[str, ...]) -> None:
    """Delete files of CONTEXT (deleting a file that is not there succeeds, as in object storage)."""
    client = state.client()
    item = resolve(client, ref)
    done = []
    for path in paths:
        client.context.delete_file(item.id, path).raise_for_error()
        done.append(path)
        if not state.json:
            click.echo(f"deleted {path}")
    if state.json:
        state.emit({"context_id": item.id, "deleted": done})


def _timeout(state: State) -> httpx.Timeout:
    import httpx

    seconds = state.timeout
    if seconds is None:
        try:
            seconds = float(os.environ.get("AGENTBAY_TIMEOUT") or DEFAULT_TIMEOUT)
        except ValueError:
            seconds = DEFAULT_TIMEOUT
    # Per connect, read and write, not for the whole transfer: a large file may take longer.
    return httpx.Timeout(seconds, connect=min(seconds, 10.0))


def _url_client(state: State) -> httpx.Client:
    import httpx

    from .._version import __version__

    client = httpx.Client(timeout=_timeout(state), headers={"User-Agent": f"agentbay-cli/{__version__}"})
    click.get_current_context().call_on_close(client.close)
    return client


def url_error(method: str, status: int, body: bytes, path: str) -> AgentBayError:
    """The SDK's typed error of a refused presigned-URL request (the URL never quoted), except that a
    missing file is the context's, not a session's: a `NotFoundError` (exit 4) naming the context path."""
    error = _sdk_url_error(method, status, body, path)
    if isinstance(error, NoSuchFileError):
        return NotFoundError(
            f"No such file in the context: {path}", code="NoSuchKey", http_status=404, action="GET URL"
        )
    return error


class _Body:
    """An upload's body: `stream` a piece at a time, counted, with each step reported to `progress`."""

    def __init__(self, stream: IO[bytes], total: int, progress: Progress) -> None:
        self.stream, self.total, self.progress = stream, total, progress
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        while piece := self.stream.read(CHUNK):
            self.sent += len(piece)
            self.progress(self.sent, self.total)
            yield piece


@context.command("put", short_help="Upload a file (or stdin) to a context.")
@click.argument("ref", metavar="CONTEXT")
@click.argument("local", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=str))
@click.argument("path")
@common_options
@pass_state
def put(state: State, ref: str, local: str, path: str) -> None:
    """Upload the file LOCAL (`-`: stdin) to PATH in CONTEXT, streamed, with a progress bar on a terminal.

    A PATH ending in / gets LOCAL's name.

    \b
    agentbay context put my-project ./data.csv /data/
    tar c src | agentbay context put my-project - /backup/src.tar
    """
    import httpx

    if path.endswith("/"):
        if local == "-":
            raise click.BadParameter("name the file: stdin has no name to append", param_hint="PATH")
        path += Path(local).name
    if not path.strip("/"):
        raise click.BadParameter("a file path in the context is needed", param_hint="PATH")
    client = state.client()
    item = resolve(client, ref)
    url = client.context.get_file_upload_url(item.id, path)
    url.raise_for_error()
    http = _url_client(state)
    stream: IO[bytes]
    if local == "-":
        stream, total, headers = sys.stdin.buffer, -1, {}
    else:
        try:
            stream = open(local, "rb")  # noqa: SIM115 - closed in the finally below
        except OSError as exc:
            raise click.BadParameter(f"{local}: {exc.strerror}", param_hint="LOCAL") from None
        info = os.fstat(stream.fileno())
        if stat.S_ISREG(info.st_mode):
            total = info.st_size
            # A declared length lets the store refuse a body too big for it before any is sent.
            headers = {"Content-Length": str(total)}
        else:  # a FIFO such as `<(tar c src)`: its size is unknown, the body goes chunked
            total, headers = -1, {}
    try:
        with transfer_progress(f"put {path}", quiet=state.json) as progress:
            progress(0, total)
            body = _Body(stream, total, progress)
            try:
                response = http.put(url.url, content=iter(body), headers=headers)
            except httpx.TransportError as exc:
                raise url_transport_error(
                    exc, f"PUT of {path} through the context's presigned URL", url.url
                ) from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if response.status_code not in (200, 201, 204):
        raise url_error("PUT", response.status_code, response.content, path)
    document = {
        "context_id": item.id,
        "name": item.name,
        "path": path,
        "bytes": body.sent,
        "etag": (response.headers.get("etag") or "").strip('"') or None,
    }
    state.emit(document, text=f"uploaded {body.sent} bytes to {item.name}:{path}")


@context.command("get", short_help="Download a file of a context (or to stdout).")
@click.argument("ref", metavar="CONTEXT")
@click.argument("path")
@click.argument("local", type=click.Path(allow_dash=True, path_type=str))
@common_options
@pass_state
def get(state: State, ref: str, path: str, local: str) -> None:
    """Download PATH of CONTEXT to the file LOCAL (`-`: stdout), streamed, with a progress bar on a terminal.

    A LOCAL that is a folder gets PATH's name. The file lands whole or not at all: it is written
    beside LOCAL under a temporary name and renamed when complete (nothing is left on a failure or
    Ctrl-C). With `-`, stdout carries the bytes only (no summary, even with -o json).

    \b
    agentbay context get my-project /data/notes.txt .
    agentbay context get my-project /backup/src.tar - | tar x
    """
    import httpx

    target: Path | None = None
    if local != "-":
        target = Path(local)
        if target.is_dir():
            name = path.rstrip("/").rsplit("/", 1)[-1]
            if not name:
                raise click.BadParameter("PATH names no file", param_hint="PATH")
            target = target / name
    client = state.client()
    item = resolve(client, ref)
    url = client.context.get_file_download_url(item.id, path)
    url.raise_for_error()
    http = _url_client(state)
    try:
        # identity: the bytes as stored, never compressed on the way, so Content-Length counts them.
        with http.stream("GET", url.url, headers={"Accept-Encoding": "identity"}) as response:
            if response.status_code != 200:
                raise url_error("GET", response.status_code, response.read()[:2000], path)
            declared = response.headers.get("content-length", "")
            total = int(declared) if declared.isdigit() else -1
            with transfer_progress(f"get {path}", quiet=state.json and target is not None) as progress:
                progress(0, total)
                if target is None:
                    sys.stdout.flush()
                    size = _copy(response, sys.stdout.buffer, total, progress)
                    sys.stdout.buffer.flush()
                    return
                size = _save(response, target, total, progress)
    except httpx.TransportError as exc:
        raise url_transport_error(
            exc, f"GET of {path} through the context's presigned URL", url.url
        ) from None
    document = {"context_id": item.id, "name": item.name, "path": path, "file": str(target), "bytes": size}
    state.emit(document, text=f"downloaded {size} bytes to {target}")


def _copy(response: httpx.Response, out: IO[bytes], total: int, progress: Progress) -> int:
    done = 0
    for piece in response.iter_raw(CHUNK):
        out.write(piece)
        done += len(piece)
        progress(done, total)
    if total >= 0 and done != total:
        raise APIConnectionError(f"the download ended after {done} of its {total} bytes")
    return done


def _save(response: httpx.Response, target: Path, total: int, progress: Progress) -> int:
    """Write the body to a temporary file beside `target`, then rename it over `target`; on any
    failure, Ctrl-C included, remove the temporary file so no partial file is left."""
    try:
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise click.FileError(str(target), exc.strerror) from None
    try:
        with os.fdopen(fd, "wb") as out:
            size = _copy(response, out, total, progress)
        # mkstemp makes the file 0600; give it the mode a new file would have had.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(partial, 0o666 & ~umask)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return size
