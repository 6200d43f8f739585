"""Contexts at the wire level: GetContext, GetContextInfo and CreateMcpSession's PersistenceDataList.

Official SDK 0.9.0 runs GetContext(Name="file-transfer-context-<unix seconds>", AllowCreate=True) before
every CreateMcpSession, names the context in its PersistenceDataList, then polls GetContextInfo until
nothing is pending (protocol.md section 7). The expected shapes are those of the captured replies
(shared/wire/ops/GetContext.json, GetContextInfo.json).
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentbay_local import LocalServer
from agentbay_local._store import Store
from agentbay_local.contexts import ContextStore
from agentbay_local.contexts import _store as contexts_store

from ._wire import KEY, OTHER_KEY, Wire

REPO = Path(__file__).resolve().parents[2]
WIRE = REPO.parent / "shared" / "wire"
if not WIRE.exists():  # a checkout beside shared/ is the norm; CI lays it out the same way
    WIRE = Path("/work/shared/wire")

CONTEXT_DATA = {"Id", "Name", "State", "CreateTime", "LastUsedTime", "OsType"}
CONTEXT_ID = re.compile(r"SdkCtx-[0-9a-f]{16}")
TIME = "%Y-%m-%dT%H:%M:%SZ"


def captured(action: str) -> list[dict[str, Any]]:
    examples: list[dict[str, Any]] = json.loads((WIRE / "ops" / f"{action}.json").read_text())["examples"]
    return examples


def get_context(
    wire: Wire, name: str, *, key: str | None = None, allow_create: str = "True"
) -> dict[str, Any]:
    data: dict[str, Any] = wire.ok("GetContext", key=key, Name=name, AllowCreate=allow_create)["Data"]
    return data


def persistence(*context_ids: str, path: str = "/temp/file-transfer") -> str:
    """A PersistenceDataList as 0.9.0 sends it: compact JSON."""
    return json.dumps([{"ContextId": cid, "Path": path} for cid in context_ids], separators=(",", ":"))


def stored(server: LocalServer, sql: str, *args: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(server.state_dir / "agentbay.db") as db:
        return db.execute(sql, args).fetchall()


def session_count(wire: Wire) -> int:
    total: int = wire.ok("ListSession")["TotalCount"]
    return total


# ---- GetContext ---------------------------------------------------------------------------------


def test_get_context_creates_one_in_the_captured_shape(wire: Wire) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    body = wire.ok("GetContext", Name="my-ctx", AllowCreate="True")
    assert set(body) == {"Code", "HttpStatusCode", "Message", "RequestId", "Success", "Data"}
    data = body["Data"]
    captured_data = captured("GetContext")[0]["response"]["body"]["Data"]
    assert set(data) == set(captured_data) == CONTEXT_DATA
    assert CONTEXT_ID.fullmatch(data["Id"])
    assert (data["Name"], data["State"], data["OsType"]) == ("my-ctx", "available", "")
    # Times are UTC seconds like the capture's "2026-11-25T11:34:06Z".
    created = datetime.strptime(data["CreateTime"], TIME).replace(tzinfo=UTC)
    datetime.strptime(captured_data["CreateTime"], TIME)
    assert before <= created <= datetime.now(UTC)
    assert data["LastUsedTime"] == data["CreateTime"]


@pytest.mark.parametrize(("yes", "no"), [("True", "False"), ("true", "false")])
def test_get_context_finds_what_it_made(wire: Wire, yes: str, no: str) -> None:
    made = get_context(wire, "shared", allow_create=yes)
    assert get_context(wire, "shared", allow_create=yes) == made  # AllowCreate on an existing name
    assert get_context(wire, "shared", allow_create=no) == made
    assert wire.ok("GetContext", Name="shared")["Data"] == made  # AllowCreate defaults to false
    # 0.22.3's context.get(context_id=): by id, AllowCreate=False, no Name.
    assert wire.ok("GetContext", ContextId=made["Id"], AllowCreate=no)["Data"] == made
    assert wire.ok("GetContext", ContextId=made["Id"], Name="shared")["Data"] == made
    assert get_context(wire, "other")["Id"] != made["Id"]


def test_get_context_accepts_what_the_sdks_send(wire: Wire) -> None:
    """Every captured GetContext form, with our key (and the 0.22.3 lookup by id pointed at ours)."""
    made = get_context(wire, "my-ctx")
    for example in captured("GetContext"):
        form = dict(example["request"]["form"])
        form.pop("Authorization")
        if "ContextId" in form:
            form["ContextId"] = made["Id"]
        data = wire.ok("GetContext", **form)["Data"]
        assert data["Name"] == form.get("Name", "my-ctx")
        if data["Name"] == "my-ctx":
            assert data == made, example["sdk_call"]


@pytest.mark.parametrize("allow_create", [None, "False", "false", ""])
def test_get_context_not_found(wire: Wire, allow_create: str | None) -> None:
    form = {} if allow_create is None else {"AllowCreate": allow_create}
    error = wire.error("GetContext", Name="missing", **form)
    assert (error["Code"], error["Message"]) == (
        "InvalidContext.NotFound",
        "Resource [Context] is not found.",
    )
    # Nothing was made on the way.
    assert wire.error("GetContext", Name="missing")["Code"] == "InvalidContext.NotFound"


def test_get_context_by_an_unknown_id_is_not_found_and_never_created(wire: Wire) -> None:
    made = get_context(wire, "ctx")
    for form in [
        {"ContextId": "SdkCtx-0000000000000000"},
        {"ContextId": "SdkCtx-0000000000000000", "AllowCreate": "True"},
        {"ContextId": "SdkCtx-0000000000000000", "Name": "ctx", "AllowCreate": "True"},
        {"ContextId": made["Id"], "Name": "not-its-name"},
        {"ContextId": "../../etc"},
    ]:
        assert wire.error("GetContext", **form)["Code"] == "InvalidContext.NotFound", form
    assert get_context(wire, "ctx", allow_create="False") == made


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({}, "MissingParameter.Name"),
        ({"AllowCreate": "True"}, "MissingParameter.Name"),
        ({"Name": "", "AllowCreate": "True"}, "MissingParameter.Name"),
        ({"Name": "x", "AllowCreate": "yes"}, "InvalidParameter.AllowCreate"),
        ({"Name": "x", "AllowCreate": "1"}, "InvalidParameter.AllowCreate"),
        ({"Name": "x" * 1025, "AllowCreate": "True"}, "InvalidParameter.Name"),
        ({"Name": "a\x00b", "AllowCreate": "True"}, "InvalidParameter.Name"),
    ],
)
def test_get_context_bad_parameters(wire: Wire, form: dict[str, str], code: str) -> None:
    assert wire.error("GetContext", **form)["Code"] == code


def test_get_context_names_are_any_text(wire: Wire) -> None:
    for name in ["x" * 1024, "é✓🚀 with spaces", "file-transfer-context-1795606532", "a/b/../c", "'; DROP"]:
        assert get_context(wire, name)["Name"] == name
        assert get_context(wire, name, allow_create="False")["Name"] == name


def test_get_context_ignores_login_region_id(wire: Wire) -> None:
    made = wire.ok("GetContext", Name="ctx", AllowCreate="True", LoginRegionId="cn-hangzhou")["Data"]
    assert wire.ok("GetContext", Name="ctx", LoginRegionId="ap-southeast-1")["Data"] == made


def test_contexts_are_per_key(wire: Wire) -> None:
    mine = get_context(wire, "same-name")
    # Another key neither sees it, by name or by id, nor collides with its name.
    assert wire.error("GetContext", key=wire.other_key, Name="same-name")["Code"] == "InvalidContext.NotFound"
    assert (
        wire.error("GetContext", key=wire.other_key, ContextId=mine["Id"])["Code"]
        == "InvalidContext.NotFound"
    )
    theirs = get_context(wire, "same-name", key=wire.other_key)
    assert theirs["Id"] != mine["Id"]
    assert get_context(wire, "same-name", allow_create="False") == mine
    assert wire.error("GetContext", ContextId=theirs["Id"])["Code"] == "InvalidContext.NotFound"


def test_concurrent_creates_of_one_name_make_one_context(wire: Wire) -> None:
    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(lambda _: get_context(wire, "raced")["Id"], range(16)))
    assert len(ids) == 1


def test_contexts_survive_a_restart(state_dir: Path) -> None:
    with (
        LocalServer(state_dir, api_keys=[KEY, OTHER_KEY]) as first,
        httpx.Client(base_url=first.endpoint) as c,
    ):
        wire = Wire(c)
        mine = get_context(wire, "kept")
        theirs = get_context(wire, "kept", key=OTHER_KEY)
        session_id = wire.create(PersistenceDataList=persistence(mine["Id"]))

    with (
        LocalServer(state_dir, api_keys=[KEY, OTHER_KEY]) as second,
        httpx.Client(base_url=second.endpoint) as c,
    ):
        wire = Wire(c)
        assert get_context(wire, "kept", allow_create="False") == mine
        assert wire.ok("GetContext", ContextId=mine["Id"])["Data"] == mine
        assert get_context(wire, "kept", key=OTHER_KEY) == theirs
        assert wire.ok("GetContextInfo", SessionId=session_id)["Data"] == {"ContextStatus": ""}
        wire.create(PersistenceDataList=persistence(mine["Id"]))


def test_a_database_without_the_contexts_table_gets_it(state_dir: Path) -> None:
    """A state directory from before contexts existed: the table is added on start, nothing is lost."""
    with LocalServer(state_dir, api_keys=[KEY]) as first, httpx.Client(base_url=first.endpoint) as c:
        session_id = Wire(c).create()
    with sqlite3.connect(state_dir / "agentbay.db") as db:
        db.execute("DROP TABLE contexts")
    with LocalServer(state_dir, api_keys=[KEY]) as second, httpx.Client(base_url=second.endpoint) as c:
        wire = Wire(c)
        assert wire.ok("GetSession", SessionId=session_id)["Data"]["Status"] == "RUNNING"
        made = get_context(wire, "new")
        wire.create(PersistenceDataList=persistence(made["Id"]))


# ---- GetContextInfo -----------------------------------------------------------------------------


def test_get_context_info_has_nothing_to_wait_for(wire: Wire) -> None:
    """`ContextStatus: ""` parses to an empty status list in 0.8.0, 0.9.0 and 0.22.3, which ends
    their wait loops at the first poll (0.9.0's `_wait_for_context_synchronization`)."""
    context_id = get_context(wire, "file-transfer-context-1795606532")["Id"]
    session_id = wire.create(PersistenceDataList=persistence(context_id))
    for form in [
        {},
        {"ContextId": context_id},
        {"ContextId": context_id, "Path": "/temp/file-transfer", "TaskType": "upload"},
        {"ContextId": context_id, "Path": "/home/wuying/data", "TaskType": "download"},
    ]:
        body = wire.ok("GetContextInfo", SessionId=session_id, **form)
        assert body["Data"] == {"ContextStatus": ""}, form


def test_get_context_info_of_a_session_without_contexts(wire: Wire) -> None:
    session_id = wire.create()
    assert wire.ok("GetContextInfo", SessionId=session_id)["Data"] == {"ContextStatus": ""}


def test_get_context_info_needs_a_running_session_of_the_caller(wire: Wire) -> None:
    session_id = wire.create()
    assert wire.error("GetContextInfo", key=wire.other_key, SessionId=session_id)["Code"] == (
        "InvalidMcpSession.NotFound"
    )
    wire.ok("ReleaseMcpSession", SessionId=session_id)
    assert wire.error("GetContextInfo", SessionId=session_id)["Code"] == "InvalidMcpSession.NotFound"


def test_the_0_9_0_create_flow(wire: Wire, server: LocalServer) -> None:
    """GetContext(AllowCreate) → CreateMcpSession naming it → GetContextInfo, as 0.9.0 sends them."""
    name = f"file-transfer-context-{int(time.time())}"
    context_id = wire.ok("GetContext", AllowCreate="True", Name=name)["Data"]["Id"]
    sent = persistence(context_id)
    session_id = wire.create(
        ImageId="linux_latest", Labels='{"project": "demo"}', PersistenceDataList=sent, VpcResource="False"
    )
    assert wire.ok("GetContextInfo", SessionId=session_id)["Data"] == {"ContextStatus": ""}
    # The list is kept as sent; the context was marked used by the session.
    assert stored(server, "SELECT persistence FROM sessions WHERE id = ?", session_id) == [(sent,)]
    [(created, used)] = stored(
        server, "SELECT created_at, last_used_at FROM contexts WHERE id = ?", context_id
    )
    assert used >= created


# ---- CreateMcpSession's PersistenceDataList -----------------------------------------------------


def test_create_accepts_the_captured_persistence_lists(wire: Wire) -> None:
    """Every captured PersistenceDataList (0.8.0 and 0.22.3 context_syncs with a Policy, 0.9.0's file
    transfer context), pointed at a context of ours."""
    context_id = get_context(wire, "data")["Id"]
    sent = 0
    for example in captured("CreateMcpSession"):
        value = example["request"]["form"].get("PersistenceDataList")
        if value is None:
            continue
        captured_id = json.loads(value)[0]["ContextId"]
        session_id = wire.create(PersistenceDataList=value.replace(captured_id, context_id))
        assert wire.ok("GetContextInfo", SessionId=session_id)["Data"] == {"ContextStatus": ""}
        sent += 1
    assert sent >= 3


def test_create_accepts_several_and_repeated_contexts(wire: Wire) -> None:
    first, second = get_context(wire, "one")["Id"], get_context(wire, "two")["Id"]
    wire.create(PersistenceDataList=persistence(first, second, first))
    wire.create(PersistenceDataList="[]")
    wire.create(PersistenceDataList="")  # empty counts as absent
    assert session_count(wire) == 3


@pytest.mark.parametrize(
    ("value", "message_part"),
    [
        ("{}", "JSON list"),
        ("[oops", "not valid JSON"),
        ("[" * 100_000, "JSON"),
        ('"[]"', "JSON list"),
        ("[1]", "item 0 must be a JSON object"),
        ('[{ok}, "x"]', "item 1 must be a JSON object"),
        ("[null]", "JSON object"),
        ('[{"Path": "/temp/file-transfer"}]', "ContextId"),
        ('[{"ContextId": 1, "Path": "/temp/file-transfer"}]', "ContextId"),
        ('[{"ContextId": "", "Path": "/temp/file-transfer"}]', "ContextId"),
        ('[{"ContextId": "{id}"}]', "Path"),
        ('[{"ContextId": "{id}", "Path": ""}]', "Path"),
        ('[{"ContextId": "{id}", "Path": ["/a"]}]', "Path"),
        ('[{"ContextId": "{id}", "Path": "/a", "Policy": {"uploadPolicy": {}}}]', "Policy"),
        ("[" + ", ".join(["{ok}"] * 101) + "]", "at most 100"),
    ],
)
def test_create_refuses_a_bad_persistence_list(wire: Wire, value: str, message_part: str) -> None:
    context_id = get_context(wire, "ctx")["Id"]
    ok_item = json.dumps({"ContextId": context_id, "Path": "/a"})
    value = value.replace("{ok}", ok_item).replace("{id}", context_id)
    error = wire.error("CreateMcpSession", PersistenceDataList=value)
    assert error["Code"] == "InvalidParameter.PersistenceDataList"
    assert message_part in error["Message"]
    assert session_count(wire) == 0  # nothing half-created


def test_create_accepts_a_null_policy_and_extra_keys(wire: Wire) -> None:
    context_id = get_context(wire, "ctx")["Id"]
    value = json.dumps([{"ContextId": context_id, "Path": "/a", "Policy": None, "Extra": 1}])
    wire.create(PersistenceDataList=value)


def test_create_refuses_contexts_that_are_not_the_callers(wire: Wire) -> None:
    mine = get_context(wire, "ctx")["Id"]
    theirs = get_context(wire, "ctx", key=wire.other_key)["Id"]
    for ids in [("SdkCtx-0000000000000000",), (theirs,), (mine, theirs), (mine, "SdkCtx-0000000000000000")]:
        error = wire.error("CreateMcpSession", PersistenceDataList=persistence(*ids))
        assert (error["Code"], error["Message"]) == (
            "InvalidContext.NotFound",
            "Resource [Context] is not found.",
        )
    assert session_count(wire) == 0
    # The other key can use its own.
    wire.create(key=wire.other_key, PersistenceDataList=persistence(theirs))


def test_create_checks_the_other_parameters_before_the_contexts(wire: Wire) -> None:
    error = wire.error(
        "CreateMcpSession", ImageId="windows_latest", PersistenceDataList=persistence("SdkCtx-x")
    )
    assert error["Code"] == "InvalidParameter.ImageId"


# ---- the store ----------------------------------------------------------------------------------


def test_context_ids_survive_a_clash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path)
    try:
        contexts = ContextStore(store)
        taken = contexts.get_or_create("owner-a", "ctx")
        hexes = iter(
            [taken.id.removeprefix("SdkCtx-")] * 2 + ["0" * 16] + [taken.id.removeprefix("SdkCtx-")] * 3
        )
        monkeypatch.setattr(contexts_store.secrets, "token_hex", lambda _: next(hexes))
        made = contexts.get_or_create("owner-b", "ctx")  # two clashes, then a free id
        assert made.id == "SdkCtx-" + "0" * 16
        with pytest.raises(RuntimeError, match="context id"):
            contexts.get_or_create("owner-c", "ctx")
        assert contexts.get("owner-c", name="ctx") is None
        with pytest.raises(ValueError, match="context_id or a name"):
            contexts.get("owner-a")
    finally:
        store.close()


def test_a_session_marks_its_contexts_used(tmp_path: Path) -> None:
    store = Store(tmp_path)
    try:
        contexts = ContextStore(store)
        context = contexts.get_or_create("owner", "ctx")
        contexts.touch("owner", [context.id])
        used = contexts.get("owner", context_id=context.id)
        assert used is not None and used.last_used_at > context.last_used_at
        contexts.touch("someone-else", [context.id])
        assert contexts.get("owner", context_id=context.id) == used
        assert contexts.owned("owner", [context.id, "SdkCtx-x"]) == {context.id}
        assert contexts.owned("someone-else", [context.id]) == set()
    finally:
        store.close()
