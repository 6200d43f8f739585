"""`agentbay session create|list|info|delete|labels|link` against a local server."""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from collections.abc import Callable, Iterator

import click
import pytest

from agentbay import (
    AgentBay,
    ContextSync,
    CreateSessionParams,
    DeleteResult,
    NotFoundError,
    ServerError,
    Session,
    SessionInfo,
)
from agentbay.cli import _output, _sessions
from agentbay_local import LocalServer

from .conftest import KEY, Run

CliRun = Callable[..., Run]
REQUEST_ID = re.compile(r"request_id=[0-9A-F-]{36}")


@pytest.fixture
def tag() -> str:
    """A label value of this test only: the server is shared by the test session."""
    return uuid.uuid4().hex[:12]


@pytest.fixture
def make_session(bay: AgentBay) -> Iterator[Callable[..., Session]]:
    """Create code_latest sessions (labels optional); whatever is left is deleted after the test."""
    made: list[Session] = []

    def make(**labels: str) -> Session:
        params = CreateSessionParams(image_id="code_latest", labels=labels or None)
        made.append(bay.create(params).unwrap())
        return made[-1]

    yield make
    for session in made:
        session.delete().raise_for_error()


@pytest.fixture
def forget(bay: AgentBay) -> Iterator[list[str]]:
    """Ids of sessions the command created: deleted after the test (already gone is fine)."""
    ids: list[str] = []
    yield ids
    for session_id in ids:
        got = bay.get(session_id)
        if got.session is not None:
            got.session.delete().raise_for_error()


def exists(bay: AgentBay, session_id: str) -> bool:
    got = bay.get(session_id)
    if got.error is not None and not isinstance(got.error, NotFoundError):
        raise got.error
    return got.success


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `session delete` see a terminal on stdin, so that it asks (the answer is the run's input)."""
    monkeypatch.setattr(_output, "stdin_is_terminal", lambda: True)


# --- KEY=VALUE and ID:PATH -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pair"),
    [("a=b", ("a", "b")), ("url=http://x/?q=1", ("url", "http://x/?q=1")), ("empty=", ("empty", ""))],
)
def test_label_param_splits_at_the_first_equals_sign(text: str, pair: tuple[str, str]) -> None:
    assert _sessions.LabelParam().convert(text, None, None) == pair


@pytest.mark.parametrize(("text", "why"), [("novalue", "no '='"), ("=v", "empty key"), ("  =v", "empty key")])
def test_label_param_refuses_a_missing_equals_sign_or_an_empty_key(text: str, why: str) -> None:
    with pytest.raises(click.BadParameter, match=why):
        _sessions.LabelParam().convert(text, None, None)


def test_context_param_makes_a_context_sync_split_at_the_first_colon() -> None:
    mount = _sessions.ContextMountParam().convert("SdkCtx-1:/home/wuying/a:b", None, None)
    assert mount == ContextSync.new("SdkCtx-1", "/home/wuying/a:b")


@pytest.mark.parametrize("text", ["SdkCtx-1", ":/home/wuying", "SdkCtx-1:"])
def test_context_param_refuses_what_is_not_id_colon_path(text: str) -> None:
    with pytest.raises(click.BadParameter, match="CONTEXT_ID:PATH"):
        _sessions.ContextMountParam().convert(text, None, None)


@pytest.mark.parametrize(
    "args",
    [
        ("session", "create", "--label", "novalue"),
        ("session", "create", "--label", "=v"),
        ("session", "create", "--context", "no-colon"),
        ("session", "list", "--label", "x"),
        ("session", "delete", "--label", "x", "-y"),
        ("session", "labels", "s-1", "x"),
    ],
)
def test_a_bad_pair_is_a_usage_error_before_anything_is_sent(cli: CliRun, args: tuple[str, ...]) -> None:
    run = cli(*args, "-v")
    assert run.code == 2, run.err
    assert "Invalid value" in run.err
    assert "request_id" not in run.err  # refused before any request
    assert run.out == ""


# --- create --------------------------------------------------------------------------------------


def test_create_with_image_and_labels_prints_one_json_document(
    cli: CliRun, bay: AgentBay, forget: list[str], tag: str
) -> None:
    run = cli(
        "session", "create", "--image", "code_latest", "--label", f"t={tag}", "--label", "q=a=b", "-o", "json"
    )
    assert run.code == 0, run.err
    document = run.json()
    forget.append(document["session_id"])
    assert set(document) == {"session_id", "image_id", "resource_url", "labels", "request_id"}
    assert document["image_id"] == "code_latest"
    assert document["labels"] == {"t": tag, "q": "a=b"}
    assert document["resource_url"].startswith("http")
    assert document["request_id"]
    session = bay.get(document["session_id"]).unwrap()
    assert session.image_id == "code_latest"
    assert session.get_labels() == {"t": tag, "q": "a=b"}


def test_create_prints_the_session_for_people(cli: CliRun, forget: list[str]) -> None:
    run = cli("session", "create", "--image", "code_latest")
    assert run.code == 0, run.err
    match = re.search(r"^session_id\s+(\S+)$", run.out, re.MULTILINE)
    assert match, run.out
    forget.append(match.group(1))
    assert re.search(r"^image_id\s+code_latest$", run.out, re.MULTILINE)
    assert re.search(r"^resource_url\s+http", run.out, re.MULTILINE)


def test_create_refused_by_the_service_exits_5_with_one_line(cli: CliRun, bay: AgentBay, tag: str) -> None:
    run = cli("session", "create", "--image", "windows_latest", "--label", f"t={tag}", "-o", "json")
    assert run.code == 5
    assert run.out == ""
    assert run.err.count("\n") == 1
    assert run.err.startswith("agentbay: InvalidParameterError: ")
    assert "windows_latest" in run.err
    assert list(bay.list_all(labels={"t": tag})) == []


def test_create_with_a_context_mounts_it(cli: CliRun, bay: AgentBay, forget: list[str], tag: str) -> None:
    context = bay.context.create(f"cli-{tag}").unwrap()
    try:
        run = cli(
            "session",
            "create",
            "--image",
            "code_latest",
            "--context",
            f"{context.id}:/home/wuying/data",
            "-o",
            "json",
        )
        assert run.code == 0, run.err
        forget.append(run.json()["session_id"])
        session = bay.get(run.json()["session_id"]).unwrap()
        mounted = {(s.context_id, s.path) for s in session.context.info().context_status_data}
        assert (context.id, "/home/wuying/data") in mounted
    finally:
        for session_id in forget:
            bay.get(session_id).unwrap().delete().raise_for_error()
        bay.context.delete(context).raise_for_error()


def test_create_whose_context_fails_keeps_the_session_and_says_its_id(
    cli: CliRun, bay: AgentBay, forget: list[str]
) -> None:
    run = cli(
        "session", "create", "--image", "code_latest", "--context", "SdkCtx-nope:/home/wuying/x", "-o", "json"
    )
    assert run.code == 10
    session_id = run.json()["session_id"]  # the session exists: stdout still names it
    forget.append(session_id)
    assert exists(bay, session_id)
    notice, error = run.err.splitlines()
    assert session_id in notice
    assert f"agentbay session delete {session_id} -y" in notice
    assert error.startswith("agentbay: ContextSyncError: ")


@pytest.mark.parametrize("output", [(), ("-o", "json")])
def test_create_quiet_prints_only_the_id(
    cli: CliRun, bay: AgentBay, forget: list[str], tag: str, output: tuple[str, ...]
) -> None:
    run = cli("session", "create", "-q", "--image", "code_latest", "--label", f"t={tag}", *output)
    assert run.code == 0, run.err
    ids = [s.session_id for s in bay.list_all(labels={"t": tag})]
    forget.extend(ids)
    assert len(ids) == 1
    assert run.out == f"{ids[0]}\n"  # -q wins over -o json: the id alone, for $(...)
    assert run.err == ""


def test_create_quiet_whose_context_fails_still_prints_the_id(
    cli: CliRun, bay: AgentBay, forget: list[str]
) -> None:
    run = cli(
        "session", "create", "--quiet", "--image", "code_latest", "--context", "SdkCtx-nope:/home/wuying/x"
    )
    assert run.code == 10
    session_id = run.out.strip()
    forget.append(session_id)
    assert run.out == f"{session_id}\n"
    assert exists(bay, session_id)
    assert session_id in run.err.splitlines()[0]


# --- list ----------------------------------------------------------------------------------------


def test_list_json_has_every_matching_session_and_only_those(
    cli: CliRun, make_session: Callable[..., Session], tag: str
) -> None:
    mine = {make_session(t=tag).session_id for _ in range(3)}
    other = make_session(t=f"{tag}-other").session_id
    run = cli("session", "list", "--label", f"t={tag}", "-o", "json")
    assert run.code == 0, run.err
    document = run.json()
    assert set(document) == {"sessions", "count"}
    assert document["count"] == 3
    assert {s["session_id"] for s in document["sessions"]} == mine
    assert other not in run.out
    for entry in document["sessions"]:
        assert set(entry) == {"session_id", "status", "image_id", "app_instance_id"}
        assert entry["status"] == "RUNNING"
        assert entry["image_id"] == "code_latest"


def test_list_reads_every_page(cli: CliRun, make_session: Callable[..., Session], tag: str) -> None:
    # 12 is more than one page of `list` (10 by default): a command that read only the first page
    # would miss two (list_all's own paging is the SDK's tests' business).
    ids = [make_session(t=tag, n=str(i)).session_id for i in range(12)]
    run = cli("session", "list", "--label", f"t={tag}", "-o", "json")
    assert sorted(s["session_id"] for s in run.json()["sessions"]) == sorted(ids)


def test_list_filters_by_status_in_any_case(
    cli: CliRun, make_session: Callable[..., Session], tag: str
) -> None:
    session_id = make_session(t=tag).session_id
    running = cli("session", "list", "--label", f"t={tag}", "--status", "running", "-o", "json").json()
    assert [s["session_id"] for s in running["sessions"]] == [session_id]
    paused = cli("session", "list", "--label", f"t={tag}", "--status", "PAUSED", "-o", "json")
    assert paused.code == 0
    assert paused.json() == {"sessions": [], "count": 0}


def test_list_as_a_table_when_piped_is_one_plain_row_per_session(
    cli: CliRun, make_session: Callable[..., Session], tag: str
) -> None:
    ids = sorted(make_session(t=tag).session_id for _ in range(2))
    run = cli("session", "list", "--label", f"t={tag}")
    assert run.code == 0, run.err
    header, *rows = run.out.splitlines()
    assert header.split() == ["SESSION", "ID", "STATUS", "IMAGE", "ID"]
    assert sorted(row.split() for row in rows) == [[i, "RUNNING", "code_latest"] for i in ids]


def test_list_with_no_match_says_so_on_stderr_and_exits_0(cli: CliRun, tag: str) -> None:
    run = cli("session", "list", "--label", f"t={tag}")
    assert (run.code, run.out) == (0, "")
    assert run.err == "agentbay: no sessions\n"


# --- info ----------------------------------------------------------------------------------------


def test_info_json_shows_the_session_and_its_labels(
    cli: CliRun, make_session: Callable[..., Session], tag: str
) -> None:
    session = make_session(t=tag, stage="test")
    run = cli("session", "info", session.session_id, "-o", "json")
    assert run.code == 0, run.err
    document = run.json()
    details = session.info()
    assert document == {
        "session_id": session.session_id,
        "image_id": "code_latest",
        "resource_url": details.resource_url,
        "app_id": details.app_id,
        "resource_id": details.resource_id,
        "resource_type": details.resource_type,
        "labels": {"t": tag, "stage": "test"},
    }


def test_info_never_shows_the_credentials(
    cli: CliRun, session_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The local server sends no desktop credentials: stand in a reply that has them.
    def info(self: Session) -> SessionInfo:
        return SessionInfo(
            session_id=self.session_id,
            resource_url="http://x/",
            app_id="app-1",
            auth_code="AUTH-CODE-SECRET",
            ticket="TICKET-SECRET",
            connection_properties='{"token": "PROP-SECRET"}',
        )

    monkeypatch.setattr(Session, "info", info)
    for output in ("table", "json"):
        run = cli("session", "info", session_id, "-o", output, "-v")
        assert run.code == 0, run.err
        assert "app-1" in run.out
        for secret in ("AUTH-CODE-SECRET", "TICKET-SECRET", "PROP-SECRET", "auth_code", "ticket"):
            assert secret not in run.out + run.err


def test_info_as_a_table_has_one_field_per_line(
    cli: CliRun, make_session: Callable[..., Session], tag: str
) -> None:
    session = make_session(t=tag)
    run = cli("session", "info", session.session_id)
    fields = dict(line.split(None, 1) for line in run.out.splitlines()[1:])
    assert fields["session_id"] == session.session_id
    assert fields["image_id"] == "code_latest"
    assert fields["labels"] == f"t={tag}"


def test_info_of_an_unknown_session_exits_4(cli: CliRun) -> None:
    run = cli("session", "info", "session-does-not-exist", "-o", "json")
    assert (run.code, run.out) == (4, "")
    assert run.err.startswith("agentbay: NotFoundError: ")
    assert REQUEST_ID.search(run.err)


# --- delete --------------------------------------------------------------------------------------


def test_delete_several_ids_prints_one_entry_each(
    cli: CliRun, bay: AgentBay, make_session: Callable[..., Session]
) -> None:
    ids = [make_session().session_id for _ in range(2)]
    run = cli("session", "delete", *ids, "-y", "-o", "json")
    assert run.code == 0, run.err
    document = run.json()
    assert (document["deleted"], document["failed"]) == (2, 0)
    assert [e["session_id"] for e in document["sessions"]] == ids
    for entry in document["sessions"]:
        assert set(entry) == {"session_id", "result", "ok", "error", "request_id"}
        assert (entry["result"], entry["ok"], entry["error"]) == ("deleted", True, None)
    assert not any(exists(bay, i) for i in ids)


def test_delete_as_a_table_is_one_line_per_session(cli: CliRun, make_session: Callable[..., Session]) -> None:
    ids = [make_session().session_id for _ in range(2)]
    run = cli("session", "delete", *ids, "--yes")
    assert run.code == 0, run.err
    assert [line.split() for line in run.out.splitlines()[1:]] == [[i, "deleted"] for i in ids]


def test_delete_of_an_unknown_id_exits_4_and_still_deletes_the_others(
    cli: CliRun, bay: AgentBay, make_session: Callable[..., Session]
) -> None:
    real = make_session().session_id
    run = cli("session", "delete", "session-unknown", real, "-y", "-o", "json")
    assert run.code == 4
    first, second = run.json()["sessions"]
    assert (first["result"], first["ok"]) == ("not_found", False)
    assert first["error"].startswith("NotFoundError: ")
    assert (second["result"], second["ok"]) == ("deleted", True)
    assert (run.json()["deleted"], run.json()["failed"]) == (1, 1)
    assert run.err.startswith("agentbay: NotFoundError: ")
    assert not exists(bay, real)


def test_delete_missing_ok_counts_an_unknown_id_as_deleted(cli: CliRun) -> None:
    run = cli("session", "delete", "session-unknown", "-y", "--missing-ok", "-o", "json")
    assert run.code == 0, run.err
    (entry,) = run.json()["sessions"]
    assert (entry["result"], entry["ok"], entry["error"]) == ("not_found", True, None)


def test_delete_exits_with_the_code_of_the_failure(
    cli: CliRun, bay: AgentBay, make_session: Callable[..., Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = make_session().session_id
    monkeypatch.setattr(
        Session,
        "delete",
        lambda self, sync_context=False: DeleteResult.failed(ServerError("boom", http_status=503)),
    )
    run = cli("session", "delete", session_id, "-y", "-o", "json")
    assert run.code == 7
    (entry,) = run.json()["sessions"]
    assert (entry["result"], entry["ok"]) == ("failed", False)
    assert "ServerError" in run.err
    monkeypatch.undo()
    assert exists(bay, session_id)


def test_delete_passes_sync_context(
    cli: CliRun, make_session: Callable[..., Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = make_session().session_id
    seen: list[bool] = []
    delete = Session.delete

    def spy(self: Session, sync_context: bool = False) -> DeleteResult:
        seen.append(sync_context)
        return delete(self, sync_context)

    monkeypatch.setattr(Session, "delete", spy)
    assert cli("session", "delete", session_id, "-y", "--sync-context").code == 0
    assert cli("session", "delete", "session-unknown", "-y", "--missing-ok").code == 0
    assert seen == [True]


def test_delete_sync_context_uploads_the_files_first(cli: CliRun, bay: AgentBay, tag: str) -> None:
    context = bay.context.create(f"cli-sync-{tag}").unwrap()
    try:
        params = CreateSessionParams(
            image_id="code_latest", context_syncs=[ContextSync.new(context.id, "/home/wuying/kept")]
        )
        session = bay.create(params).unwrap()
        session.file_system.write_file("/home/wuying/kept/notes.txt", "kept\n").raise_for_error()
        run = cli("session", "delete", session.session_id, "-y", "--sync-context")
        assert run.code == 0, run.err
        names = [e.file_name for e in bay.context.list_files(context.id, "/").entries]
        assert "notes.txt" in names
    finally:
        bay.context.delete(context).raise_for_error()


def test_delete_without_a_terminal_and_without_yes_refuses(
    cli: CliRun, bay: AgentBay, make_session: Callable[..., Session], tag: str
) -> None:
    session_id = make_session(t=tag).session_id
    for args in ((session_id,), ("--label", f"t={tag}")):
        run = cli("session", "delete", *args, input=b"y\n")
        assert (run.code, run.out) == (2, "")
        assert run.err.count("\n") == 1
        assert "pass -y" in run.err
        assert exists(bay, session_id)


@pytest.mark.usefixtures("terminal")
def test_delete_asks_on_a_terminal_and_deletes_on_yes(
    cli: CliRun, bay: AgentBay, make_session: Callable[..., Session], tag: str
) -> None:
    ids = sorted(make_session(t=tag).session_id for _ in range(2))
    run = cli("session", "delete", "--label", f"t={tag}", input=b"y\n")
    assert run.code == 0, run.err
    assert "About to delete 2 sessions:" in run.err
    assert all(i in run.err for i in ids)  # the prompt lists them, on stderr
    assert "Delete?" in run.err
    assert "Delete?" not in run.out
    assert sorted(line.split()[0] for line in run.out.splitlines()[1:]) == ids
    assert not any(exists(bay, i) for i in ids)


@pytest.mark.usefixtures("terminal")
def test_delete_asks_and_keeps_the_session_on_no(
    cli: CliRun, bay: AgentBay, make_session: Callable[..., Session]
) -> None:
    session_id = make_session().session_id
    for answer in (b"n\n", b"\n"):  # the default is no
        run = cli("session", "delete", session_id, input=answer)
        assert (run.code, run.out) == (1, "")
        assert "nothing deleted" in run.err
        assert exists(bay, session_id)


def test_delete_by_label_deletes_only_those(
    cli: CliRun, bay: AgentBay, make_session: Callable[..., Session], tag: str
) -> None:
    mine = [make_session(t=tag, k="1").session_id, make_session(t=tag, k="1").session_id]
    kept = [make_session(t=tag, k="2").session_id, make_session(t=f"{tag}-x", k="1").session_id]
    run = cli("session", "delete", "--label", f"t={tag}", "--label", "k=1", "-y", "-o", "json")
    assert run.code == 0, run.err
    assert sorted(e["session_id"] for e in run.json()["sessions"]) == sorted(mine)
    assert not any(exists(bay, i) for i in mine)
    assert all(exists(bay, i) for i in kept)


def test_delete_by_label_with_no_match_says_no_sessions_and_exits_0(cli: CliRun, tag: str) -> None:
    run = cli("session", "delete", "--label", f"t={tag}")  # no -y, no terminal: nothing to ask about
    assert (run.code, run.out, run.err) == (0, "", "agentbay: no sessions\n")
    run = cli("session", "delete", "--label", f"t={tag}", "-o", "json")
    assert run.json() == {"sessions": [], "deleted": 0, "failed": 0}


@pytest.fixture
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """A server of this test's own, for `--all` (which must not reach the shared server's sessions)."""
    with LocalServer(tmp_path_factory.mktemp("agentbay-all"), api_keys=[KEY]) as running:
        yield running


def test_delete_all_deletes_every_session(cli: CliRun, own_server: LocalServer) -> None:
    with AgentBay(KEY, endpoint=own_server.endpoint) as other:
        ids = sorted(
            other.create(CreateSessionParams(image_id="code_latest")).unwrap().session_id for _ in range(3)
        )
        env = {"AGENTBAY_ENDPOINT": own_server.endpoint}
        run = cli("session", "delete", "--all", "-y", "-o", "json", env=env)
        assert run.code == 0, run.err
        assert sorted(e["session_id"] for e in run.json()["sessions"]) == ids
        assert list(other.list_all()) == []
        run = cli("session", "delete", "--all", env=env)
        assert (run.code, run.err) == (0, "agentbay: no sessions\n")


@pytest.mark.parametrize(
    "args", [(), ("s-1", "--all"), ("s-1", "--label", "a=b"), ("--all", "--label", "a=b")]
)
def test_delete_needs_exactly_one_way_to_choose(cli: CliRun, args: tuple[str, ...]) -> None:
    run = cli("session", "delete", *args, "-y")
    assert (run.code, run.out) == (2, "")
    assert "exactly one" in run.err


# --- labels --------------------------------------------------------------------------------------


def test_labels_without_pairs_prints_them(
    cli: CliRun, make_session: Callable[..., Session], tag: str
) -> None:
    session = make_session(t=tag, stage="test")
    run = cli("session", "labels", session.session_id, "-o", "json")
    assert run.json() == {"session_id": session.session_id, "labels": {"t": tag, "stage": "test"}}
    table = cli("session", "labels", session.session_id)
    assert sorted(line.split() for line in table.out.splitlines()[1:]) == [["stage", "test"], ["t", tag]]


def test_labels_with_pairs_adds_and_updates_keeping_the_others(
    cli: CliRun, make_session: Callable[..., Session], tag: str
) -> None:
    session = make_session(t=tag, stage="test")
    run = cli("session", "labels", session.session_id, "stage=prod", "owner=me=you", "-o", "json")
    assert run.code == 0, run.err
    expected = {"t": tag, "stage": "prod", "owner": "me=you"}
    assert run.json()["labels"] == expected
    assert session.get_labels() == expected


def test_labels_remove_and_replace(cli: CliRun, make_session: Callable[..., Session], tag: str) -> None:
    session = make_session(t=tag, stage="test", owner="me")
    run = cli(
        "session",
        "labels",
        session.session_id,
        "--remove",
        "stage",
        "--remove",
        "absent",
        "x=1",
        "-o",
        "json",
    )
    assert run.json()["labels"] == {"t": tag, "owner": "me", "x": "1"}
    run = cli("session", "labels", session.session_id, "--replace", "only=this", "-o", "json")
    assert run.json()["labels"] == session.get_labels() == {"only": "this"}
    run = cli("session", "labels", session.session_id, "--replace")
    assert (run.code, run.out, run.err) == (0, "", "agentbay: no labels\n")
    assert session.get_labels() == {}


def test_labels_of_an_unknown_session_exits_4(cli: CliRun) -> None:
    assert cli("session", "labels", "session-unknown", "a=b").code == 4


# --- link ----------------------------------------------------------------------------------------


def test_link_prints_the_url(cli: CliRun, bay: AgentBay, session_id: str) -> None:
    session = bay.get(session_id).unwrap()
    run = cli("session", "link", session_id)
    assert (run.code, run.out) == (0, session.get_link() + "\n")
    run = cli("session", "link", session_id, "--port", "30100", "--protocol", "HTTP", "-o", "json")
    assert run.json() == {
        "session_id": session_id,
        "url": session.get_link(protocol_type="http", port=30100),
        "port": 30100,
        "protocol": "http",
    }
    assert "/30100" in run.json()["url"]


def test_link_with_a_protocol_the_server_refuses_exits_5(cli: CliRun, session_id: str) -> None:
    # The local server is reached by plain HTTP: it refuses to give an https link.
    run = cli("session", "link", session_id, "--protocol", "https")
    assert (run.code, run.out) == (5, "")
    assert "InvalidParameterError" in run.err


@pytest.mark.parametrize(
    "args", [("--port", "0"), ("--port", "65536"), ("--port", "x"), ("--protocol", "ftp")]
)
def test_link_refuses_bad_options(cli: CliRun, session_id: str, args: tuple[str, ...]) -> None:
    run = cli("session", "link", session_id, *args)
    assert (run.code, run.out) == (2, "")


def test_link_of_an_unknown_session_exits_4(cli: CliRun) -> None:
    assert cli("session", "link", "session-unknown").code == 4


# --- -v, the key ---------------------------------------------------------------------------------


def test_verbose_prints_request_ids_on_stderr_only(cli: CliRun, session_id: str) -> None:
    run = cli("session", "info", session_id, "-v", "-o", "json")
    assert run.code == 0, run.err
    for action in ("GetSession", "GetMcpResource", "GetLabel"):
        assert re.search(rf"^agentbay: {action} -> HTTP 200 .*request_id=", run.err, re.MULTILINE), run.err
    json.loads(run.out)  # stdout is still only the document
    assert "request_id" not in cli("session", "info", session_id).err


def test_the_api_key_never_appears(cli: CliRun, make_session: Callable[..., Session], tag: str) -> None:
    session_id = make_session(t=tag).session_id
    runs = [
        cli("session", "list", "--label", f"t={tag}", "-v"),
        cli("session", "list", "-o", "json", "-v"),
        cli("session", "info", session_id, "-v", "-o", "json"),
        cli("session", "labels", session_id, "a=b", "-v"),
        cli("session", "link", session_id, "-v"),
        cli("session", "create", "--image", "windows_latest", "-v"),
        cli("session", "info", "session-unknown", "-v"),
        cli("session", "delete", session_id, "session-unknown", "-y", "-v"),
        cli("--api-key", "akm-wrong-key-0002", "session", "list", "-v"),
    ]
    assert [r.code for r in runs] == [0, 0, 0, 0, 0, 5, 4, 4, 3]
    for run in runs:
        assert KEY not in run.out + run.err
        assert "akm-wrong-key-0002" not in run.out + run.err


# --- the installed program -----------------------------------------------------------------------


def test_installed_create_list_delete(
    agentbay_cmd: Callable[..., subprocess.CompletedProcess[bytes]], tag: str
) -> None:
    created = agentbay_cmd("session", "create", "--image", "code_latest", "--label", f"t={tag}", "-o", "json")
    assert created.returncode == 0, created.stderr
    session_id = json.loads(created.stdout)["session_id"]
    listed = agentbay_cmd("session", "list", "--label", f"t={tag}", "-o", "json")
    assert listed.returncode == 0, listed.stderr
    assert [s["session_id"] for s in json.loads(listed.stdout)["sessions"]] == [session_id]
    refused = agentbay_cmd("session", "delete", session_id)  # stdin is a pipe: refuses without -y
    assert (refused.returncode, refused.stdout) == (2, b"")
    deleted = agentbay_cmd("session", "delete", session_id, "-y")
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stdout.decode().split() == ["SESSION", "ID", "RESULT", session_id, "deleted"]
    again = agentbay_cmd("session", "info", session_id)
    assert (again.returncode, again.stdout) == (4, b"")
    assert again.stderr.decode().startswith("agentbay: NotFoundError: ")


def test_installed_create_quiet_is_the_id_for_a_shell_variable(
    agentbay_cmd: Callable[..., subprocess.CompletedProcess[bytes]], bay: AgentBay
) -> None:
    created = agentbay_cmd("session", "create", "-q", "--image", "code_latest")
    assert created.returncode == 0, created.stderr
    session_id = created.stdout.decode()
    assert re.fullmatch(r"session-[0-9a-f]+\n", session_id), created.stdout
    deleted = agentbay_cmd("session", "delete", "-y", session_id.strip(), "-o", "json")
    assert deleted.returncode == 0, deleted.stderr
    assert json.loads(deleted.stdout)["deleted"] == 1
    assert not exists(bay, session_id.strip())
