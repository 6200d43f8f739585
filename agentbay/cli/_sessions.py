"""`agentbay session create|list|info|delete|labels|link`: sessions, through the public SDK facade.

Labels are given as `KEY=VALUE` (the value may itself contain `=`), contexts to mount as
`CONTEXT_ID:PATH`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import click

from .. import (
    AgentBayError,
    ContextSync,
    CreateSessionParams,
    InvalidInputError,
    NotFoundError,
    Session,
    SessionSummary,
)
from ._app import State, common_options, pass_state
from ._output import confirm_deletion, error_line, exit_code_for, need_yes

__all__ = ["ContextMountParam", "LabelParam", "labels_of", "session"]

#: What `session delete` says when it refuses to ask: it needs a terminal to ask on.
NEED_YES = need_yes("session delete")


if TYPE_CHECKING:
    _PairType = click.ParamType[tuple[str, str]]
    _MountType = click.ParamType[ContextSync]
else:  # older click's ParamType is not subscriptable (the [cli] extra allows click 8.1)
    _PairType = _MountType = click.ParamType


class LabelParam(_PairType):
    """`KEY=VALUE` -> `(key, value)`: the key must not be empty; the value may be, and may hold `=`."""

    name = "KEY=VALUE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, str]:
        if isinstance(value, tuple):  # already converted (a default)
            return value
        key, sep, label = str(value).partition("=")
        if not sep:
            self.fail(f"{value!r} is not KEY=VALUE (no '=')", param, ctx)
        if not key.strip():
            self.fail(f"{value!r} has an empty key", param, ctx)
        return key, label


class ContextMountParam(_MountType):
    """`CONTEXT_ID:PATH` -> a `ContextSync` (the service's default policy); split at the first `:`."""

    name = "ID:PATH"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> ContextSync:
        if isinstance(value, ContextSync):
            return value
        context_id, sep, path = str(value).partition(":")
        if not sep or not context_id or not path:
            self.fail(f"{value!r} is not CONTEXT_ID:PATH, e.g. SdkCtx-123:/home/wuying/data", param, ctx)
        try:
            return ContextSync.new(context_id, path)
        except InvalidInputError as exc:
            self.fail(f"{value!r}: {exc}", param, ctx)


def labels_of(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """`(key, value)` pairs as a dict; a key given twice keeps its last value."""
    return dict(pairs)


def _summary_row(summary: SessionSummary) -> dict[str, str | None]:
    # "" from the service means "not said": JSON shows it as null, the table as an empty cell.
    return {
        "session_id": summary.session_id,
        "status": summary.status or None,
        "image_id": summary.image_id or None,
        "app_instance_id": summary.app_instance_id or None,
    }


@click.group("session")
def session() -> None:
    """Create, list, inspect, label and delete sessions.

    \b
    Example:
      SID=$(agentbay session create -q --image code_latest)
      agentbay session info "$SID"
      agentbay session delete "$SID" -y
    """


@session.command("create")
@click.option(
    "--image", "image_id", metavar="ID", help="The image, e.g. code_latest [default: linux_latest]."
)
@click.option(
    "--label",
    "labels",
    type=LabelParam(),
    multiple=True,
    help="A label to put on the session, KEY=VALUE (repeatable).",
)
@click.option(
    "--context",
    "contexts",
    type=ContextMountParam(),
    multiple=True,
    help="Mount a context at PATH, CONTEXT_ID:PATH (repeatable); create waits for the download.",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Print only the new session's id (for scripts; wins over -o json)."
)
@common_options
@pass_state
def create(
    state: State,
    image_id: str | None,
    labels: Sequence[tuple[str, str]],
    contexts: Sequence[ContextSync],
    quiet: bool,
) -> None:
    """Create a session and print its id, image and resource URL.

    \b
    Example:
      agentbay session create --image code_latest --label project=demo --context SdkCtx-1:/home/wuying/data
      SID=$(agentbay session create -q --image code_latest)

    A session whose context download failed exists all the same: it is printed, kept (its id is on
    stderr, to delete it), and the command exits 10.
    """
    wanted = labels_of(labels)
    try:
        params = CreateSessionParams(
            image_id=image_id or None,
            labels=wanted or None,
            context_syncs=list(contexts) or None,
        )
    except InvalidInputError as exc:
        raise click.BadParameter(str(exc)) from None
    result = state.client().create(params)
    created = result.session
    if created is None:
        result.raise_for_error()
        raise AgentBayError("create succeeded but returned no session")  # pragma: no cover
    document = {
        "session_id": created.session_id,
        "image_id": created.image_id,
        "resource_url": created.resource_url or None,
        "labels": wanted,
        "request_id": result.request_id or None,
    }
    # Printed even when a context download failed: the session exists, and a script needs its id to
    # delete it (`| jq -r .session_id` works either way; the exit code says it failed).
    if quiet:
        # The id alone, and a newline: `SID=$(agentbay session create -q)` needs no jq.
        click.echo(created.session_id)
    else:
        state.emit(document)
    if not result.success:
        print(
            f"agentbay: session {created.session_id} was created, but its contexts did not download;"
            f" it is kept: delete it with `agentbay session delete {created.session_id} -y`",
            file=sys.stderr,
        )
        result.raise_for_error()


@session.command("list")
@click.option(
    "--label",
    "labels",
    type=LabelParam(),
    multiple=True,
    help="Only sessions that carry this label, KEY=VALUE (repeatable: all of them).",
)
@click.option("--status", metavar="S", help="Only sessions in this status, e.g. RUNNING (any case).")
@common_options
@pass_state
def list_sessions(state: State, labels: Sequence[tuple[str, str]], status: str | None) -> None:
    """List sessions (every page): id, status, image.

    \b
    Example:
      agentbay session list --label project=demo --status running
    """
    summaries = state.client().list_all(labels=labels_of(labels) or None)
    wanted = status.casefold() if status else None
    rows = [_summary_row(s) for s in summaries if wanted is None or s.status.casefold() == wanted]
    if not state.json and not rows:
        print("agentbay: no sessions", file=sys.stderr)
        return
    state.emit(
        {"sessions": rows, "count": len(rows)}, rows=rows, columns=["session_id", "status", "image_id"]
    )


@session.command("info")
@click.argument("session_id", metavar="ID")
@common_options
@pass_state
def info(state: State, session_id: str) -> None:
    """Show a session: id, image, resource URL, app and resource ids, labels.

    Credentials the service returns with it (auth_code, ticket) are never shown.
    """
    found = state.session(session_id)
    details = found.info()
    document = {
        "session_id": found.session_id,
        "image_id": found.image_id,
        "resource_url": details.resource_url or found.resource_url or None,
        "app_id": details.app_id or None,
        "resource_id": details.resource_id or None,
        "resource_type": details.resource_type or None,
        "labels": found.get_labels(),
    }
    state.emit(document)


def _targets(
    state: State, ids: Sequence[str], labels: Sequence[tuple[str, str]], every: bool
) -> list[dict[str, str | None]]:
    if ids:
        return [{"session_id": i, "status": None, "image_id": None} for i in dict.fromkeys(ids)]
    wanted = None if every else labels_of(labels)
    return [_summary_row(s) for s in state.client().list_all(labels=wanted)]


def _confirm(targets: Sequence[Mapping[str, str | None]]) -> int | None:
    noun = "session" if len(targets) == 1 else "sessions"
    rows = ["  ".join(str(t[k]) for k in ("session_id", "status", "image_id") if t.get(k)) for t in targets]
    return confirm_deletion("session delete", f"About to delete {len(targets)} {noun}:", rows)


def _delete_one(
    state: State, session_id: str, *, named: bool, missing_ok: bool, sync_context: bool
) -> tuple[dict[str, Any], AgentBayError | None]:
    """Delete one session; returns its JSON entry and the error that makes it count as failed."""
    entry: dict[str, Any] = {
        "session_id": session_id,
        "result": "deleted",
        "ok": True,
        "error": None,
        "request_id": None,
    }
    got = state.client().get(session_id)
    error: AgentBayError | None = got.error
    target: Session | None = got.session
    if target is not None:
        deleted = target.delete(sync_context=sync_context)
        entry["request_id"] = deleted.request_id or None
        error = deleted.error
    else:
        entry["request_id"] = got.request_id or None
    if error is None:
        return entry, None
    if isinstance(error, NotFoundError):
        entry["result"] = "not_found"
        # A session found by --label/--all that is gone by now was deleted elsewhere: what was wanted.
        # An id the user typed that does not exist is an error (a typo must not pass for success),
        # unless --missing-ok says it is fine, as `rm -f` does.
        if missing_ok or not named:
            return entry, None
    else:
        entry["result"] = "failed"
    entry["ok"] = False
    entry["error"] = f"{type(error).__name__}: {error}"
    return entry, error


@session.command("delete")
@click.argument("session_ids", metavar="[ID]...", nargs=-1)
@click.option(
    "--label",
    "labels",
    type=LabelParam(),
    multiple=True,
    help="Delete every session that carries this label, KEY=VALUE (repeatable: all of them).",
)
@click.option("--all", "every", is_flag=True, help="Delete every session of this API key.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask; needed when stdin is not a terminal.")
@click.option(
    "--sync-context",
    is_flag=True,
    help="Upload the sessions' mounted contexts first (a failed upload keeps the session).",
)
@click.option(
    "--missing-ok", is_flag=True, help="An ID that does not exist counts as deleted (exit 0), as `rm -f`."
)
@common_options
@pass_state
def delete(
    state: State,
    session_ids: Sequence[str],
    labels: Sequence[tuple[str, str]],
    every: bool,
    yes: bool,
    sync_context: bool,
    missing_ok: bool,
) -> int:
    """Delete sessions: by ID, every one with a --label, or --all. Asks first, unless -y.

    Prints one line per session. An ID that does not exist fails with NotFoundError (exit 4; the
    others are still deleted) unless --missing-ok. A session found by --label or --all that is gone
    by the time it is deleted counts as deleted. With several failures the exit code is the first's.

    \b
    Examples:
      agentbay session delete session-0123 session-4567
      agentbay session delete --label project=demo -y
    """
    chosen = sum([bool(session_ids), bool(labels), every])
    if chosen != 1:
        raise click.UsageError("give session IDs, --label KEY=VALUE or --all (exactly one of them)")
    targets = _targets(state, session_ids, labels, every)
    if not targets:
        if state.json:
            state.emit({"sessions": [], "deleted": 0, "failed": 0})
        else:
            print("agentbay: no sessions", file=sys.stderr)
        return 0
    if not yes:
        stop = _confirm(targets)
        if stop is not None:
            return stop
    entries: list[dict[str, Any]] = []
    first_error: AgentBayError | None = None
    for target in targets:
        session_id = str(target["session_id"])
        entry, error = _delete_one(
            state, session_id, named=bool(session_ids), missing_ok=missing_ok, sync_context=sync_context
        )
        entries.append(entry)
        if error is not None:
            print(error_line(error), file=sys.stderr)
            first_error = first_error or error
    failed = sum(1 for e in entries if not e["ok"])
    document = {"sessions": entries, "deleted": len(entries) - failed, "failed": failed}
    state.emit(document, rows=entries, columns=["session_id", "result"])
    return 0 if first_error is None else exit_code_for(first_error)


@session.command("labels")
@click.argument("session_id", metavar="ID")
@click.argument("pairs", metavar="[KEY=VALUE]...", nargs=-1, type=LabelParam())
@click.option("--remove", "removed", metavar="KEY", multiple=True, help="Remove this label (repeatable).")
@click.option(
    "--replace",
    is_flag=True,
    help="Make KEY=VALUE... the whole set: every other label is removed (alone: remove them all).",
)
@common_options
@pass_state
def labels_command(
    state: State, session_id: str, pairs: Sequence[tuple[str, str]], removed: Sequence[str], replace: bool
) -> None:
    """Show a session's labels, or change them: KEY=VALUE adds or updates, keeping the others.

    \b
    Examples:
      agentbay session labels session-0123                      # show
      agentbay session labels session-0123 stage=test           # add or update one
      agentbay session labels session-0123 --remove stage       # remove one
      agentbay session labels session-0123 --replace a=1 b=2    # exactly these

    The service stores the whole set at once (SetLabel), so adding reads the labels first: two
    changes at the same moment can lose one of them.
    """
    found = state.session(session_id)
    changes = labels_of(pairs)
    if changes or removed or replace:
        current = {} if replace else found.get_labels()
        current.update(changes)
        for key in removed:
            current.pop(key, None)
        found.set_labels(current).raise_for_error()
    current = found.get_labels()
    if not current and not state.json:
        print("agentbay: no labels", file=sys.stderr)
        return
    state.emit(
        {"session_id": found.session_id, "labels": current},
        rows=[{"key": k, "value": v} for k, v in current.items()],
        columns=["key", "value"],
    )


@session.command("link")
@click.argument("session_id", metavar="ID")
@click.option("--port", type=click.IntRange(1, 65535), help="A port inside the session, e.g. 30100.")
@click.option(
    "--protocol",
    type=click.Choice(["http", "https", "ws", "wss"], case_sensitive=False),
    help="The URL's scheme [default: the service's].",
)
@common_options
@pass_state
def link(state: State, session_id: str, port: int | None, protocol: str | None) -> None:
    """Print a URL that reaches the session, or a port inside it.

    \b
    Example:
      curl "$(agentbay session link session-0123 --port 30100)"
    """
    found = state.session(session_id)
    url = found.get_link(protocol_type=protocol.lower() if protocol else None, port=port)
    document = {"session_id": found.session_id, "url": url, "port": port, "protocol": protocol}
    state.emit(document, text=url)
