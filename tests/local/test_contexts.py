"""Contexts at the wire level: every ContextService action, the upload and download URLs the server
serves, CreateMcpSession's PersistenceDataList naming contexts, and what survives a restart.

Official SDK 0.9.0 runs GetContext(Name="file-transfer-context-<unix seconds>", AllowCreate=True) before
every CreateMcpSession, names the context in its PersistenceDataList, then polls GetContextInfo until
nothing is pending (protocol.md section 7). The expected shapes are those of the captured replies
(shared/wire/ops/<Action>.json). The sync tasks themselves are tested in test_context_sync.py.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import socket
import sqlite3
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest

from agentbay_local import LocalServer
from agentbay_local import _bodies as bodies
from agentbay_local._store import Store, hash_key
from agentbay_local.contexts import ContextStore
from agentbay_local.contexts import _files as contexts_files
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
        # The session marks the context used (LastUsedTime may move by a second): read it again.
        mine = get_context(wire, "kept", allow_create="False")

    with (
        LocalServer(state_dir, api_keys=[KEY, OTHER_KEY]) as second,
        httpx.Client(base_url=second.endpoint) as c,
    ):
        wire = Wire(c)
        assert get_context(wire, "kept", allow_create="False") == mine
        assert wire.ok("GetContext", ContextId=mine["Id"])["Data"] == mine
        assert get_context(wire, "kept", key=OTHER_KEY) == theirs
        wire.create(PersistenceDataList=persistence(mine["Id"]))
        wire.ok("ReleaseMcpSession", SessionId=session_id)


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
    wire.ok("GetContextInfo", SessionId=session_id)
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
        wire.create(PersistenceDataList=value.replace(captured_id, context_id))
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


# ---- ListContexts -------------------------------------------------------------------------------


def list_contexts(wire: Wire, **form: str) -> dict[str, Any]:
    return wire.ok("ListContexts", **form)


def test_list_contexts_in_the_captured_shape(wire: Wire) -> None:
    made = [get_context(wire, name) for name in ("my-ctx", "ctx-2")]
    body = list_contexts(wire, MaxResults="10")
    captured_body = captured("ListContexts")[0]["response"]["body"]
    assert set(body) == set(captured_body)
    assert body["Data"] == made  # creation order, each as GetContext shows it
    assert (body["NextToken"], body["MaxResults"], body["TotalCount"]) == ("", 10, 2)
    assert list_contexts(wire)["MaxResults"] == 10  # the default


def test_list_contexts_pages_without_skips_or_repeats(wire: Wire) -> None:
    ids = [get_context(wire, f"c{n}")["Id"] for n in range(5)]
    first = list_contexts(wire, MaxResults="2")
    assert [c["Id"] for c in first["Data"]] == ids[:2] and first["TotalCount"] == 5
    # Deleting a context already shown and making a new one between pages shifts nothing.
    wire.ok("DeleteContext", Id=ids[0])
    new = get_context(wire, "late")["Id"]
    seen = [c["Id"] for c in first["Data"]]
    token = first["NextToken"]
    while token:
        page = list_contexts(wire, MaxResults="2", NextToken=token)
        seen += [c["Id"] for c in page["Data"]]
        token = page["NextToken"]
        assert page["TotalCount"] == 5
    assert seen == [*ids, new]


def test_list_contexts_is_per_key(wire: Wire) -> None:
    get_context(wire, "mine")
    theirs = get_context(wire, "theirs", key=wire.other_key)
    assert [c["Name"] for c in list_contexts(wire)["Data"]] == ["mine"]
    assert list_contexts(wire, key=wire.other_key)["Data"] == [theirs]
    token = list_contexts(wire, MaxResults="1", key=wire.other_key)["NextToken"]
    assert token == ""


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"MaxResults": "0"}, "InvalidParameter.MaxResults"),
        ({"MaxResults": "101"}, "InvalidParameter.MaxResults"),
        ({"MaxResults": "ten"}, "InvalidParameter.MaxResults"),
        ({"NextToken": "1"}, "InvalidParameter.NextToken"),  # the harness token of the captures
        ({"NextToken": "garbage!"}, "InvalidParameter.NextToken"),
    ],
)
def test_list_contexts_bad_parameters(wire: Wire, form: dict[str, str], code: str) -> None:
    error = wire.error("ListContexts", **form)
    assert error["Code"] == code
    if code.endswith("NextToken"):
        assert "ListContexts" in error["Message"]


# ---- ModifyContext and DeleteContext ------------------------------------------------------------


def test_modify_context_renames(wire: Wire) -> None:
    made = get_context(wire, "my-ctx")
    body = wire.ok("ModifyContext", Id=made["Id"], Name="my-ctx-renamed")
    assert set(body) == set(captured("ModifyContext")[0]["response"]["body"])
    renamed = get_context(wire, "my-ctx-renamed", allow_create="False")
    assert renamed == {**made, "Name": "my-ctx-renamed"}
    assert wire.error("GetContext", Name="my-ctx")["Code"] == "InvalidContext.NotFound"
    wire.ok("ModifyContext", Id=made["Id"], Name="my-ctx-renamed")  # its own name: no change


def test_modify_context_refuses_a_taken_name(wire: Wire) -> None:
    first, second = get_context(wire, "one"), get_context(wire, "two")
    error = wire.error("ModifyContext", Id=second["Id"], Name="one")
    assert error["Code"] == "InvalidParameter.DuplicateName"
    assert get_context(wire, "two", allow_create="False") == second
    # Another key's names do not count.
    get_context(wire, "three", key=wire.other_key)
    wire.ok("ModifyContext", Id=first["Id"], Name="three")


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"Name": "x"}, "MissingParameter.Id"),
        ({"Id": "{id}"}, "MissingParameter.Name"),
        ({"Id": "{id}", "Name": ""}, "MissingParameter.Name"),
        ({"Id": "{id}", "Name": "x" * 1025}, "InvalidParameter.Name"),
        ({"Id": "SdkCtx-0000000000000000", "Name": "x"}, "InvalidContext.NotFound"),
        ({"Id": "{theirs}", "Name": "x"}, "InvalidContext.NotFound"),
    ],
)
def test_modify_context_bad_parameters(wire: Wire, form: dict[str, str], code: str) -> None:
    ids = {"{id}": get_context(wire, "c")["Id"], "{theirs}": get_context(wire, "c", key=wire.other_key)["Id"]}
    form = {k: ids.get(v, v) for k, v in form.items()}
    assert wire.error("ModifyContext", **form)["Code"] == code


def test_delete_context_removes_it_and_its_files(wire: Wire, server: LocalServer) -> None:
    made = get_context(wire, "gone")
    put(wire, made["Id"], "/a/b.txt", b"data")
    download = url(wire, "GetContextFileDownloadUrl", made["Id"], "/a/b.txt")
    folder = server.state_dir / "contexts" / made["Id"]
    assert (folder / "files" / "a" / "b.txt").read_bytes() == b"data"
    body = wire.ok("DeleteContext", Id=made["Id"])
    assert set(body) == set(captured("DeleteContext")[0]["response"]["body"])
    assert not folder.exists()
    assert wire.error("GetContext", ContextId=made["Id"])["Code"] == "InvalidContext.NotFound"
    assert wire.error("DeleteContext", Id=made["Id"])["Code"] == "InvalidContext.NotFound"
    assert xml_error(httpx.get(download), 403) == "AccessDenied"  # its URLs went with it
    # The name is free again, for a new context.
    assert get_context(wire, "gone")["Id"] != made["Id"]


def test_delete_context_of_another_key_is_not_found(wire: Wire) -> None:
    theirs = get_context(wire, "c", key=wire.other_key)
    assert wire.error("DeleteContext", Id=theirs["Id"])["Code"] == "InvalidContext.NotFound"
    assert wire.error("DeleteContext")["Code"] == "MissingParameter.Id"
    assert wire.ok("GetContext", key=wire.other_key, ContextId=theirs["Id"])["Data"] == theirs


def test_delete_context_mounted_in_a_running_session_is_refused(wire: Wire) -> None:
    made = get_context(wire, "mounted")
    session_id = wire.create(PersistenceDataList=persistence(made["Id"], path="/home/wuying/data"))
    error = wire.error("DeleteContext", Id=made["Id"])
    assert error["Code"] == "InvalidContext.InUse"
    assert session_id in error["Message"]
    wire.ok("ReleaseMcpSession", SessionId=session_id)
    wire.ok("DeleteContext", Id=made["Id"])


# ---- upload and download URLs -------------------------------------------------------------------


def url(wire: Wire, action: str, context_id: str, file_path: str, **kwargs: Any) -> str:
    data = wire.ok(action, ContextId=context_id, FilePath=file_path, **kwargs)["Data"]
    assert set(data) == {"Url", "ExpireTime"}
    assert isinstance(data["ExpireTime"], int)
    value: str = data["Url"]
    return value


def put(wire: Wire, context_id: str, file_path: str, content: bytes) -> httpx.Response:
    response = httpx.put(url(wire, "GetContextFileUploadUrl", context_id, file_path), content=content)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == f'"{hashlib.md5(content).hexdigest()}"'
    return response


def get(wire: Wire, context_id: str, file_path: str) -> httpx.Response:
    return httpx.get(url(wire, "GetContextFileDownloadUrl", context_id, file_path))


def xml_error(response: httpx.Response, status: int) -> str:
    """The object-storage error code of an XML error reply with this status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/xml"
    root = ElementTree.fromstring(response.content)
    assert root.tag == "Error"
    assert root.findtext("Message")
    uuid.UUID(root.findtext("RequestId") or "")
    return root.findtext("Code") or ""


def leftovers(server: LocalServer, context_id: str) -> list[str]:
    tmp = server.state_dir / "contexts" / context_id / "tmp"
    return sorted(os.listdir(tmp)) if tmp.exists() else []


def test_urls_in_the_captured_shape(wire: Wire, server: LocalServer) -> None:
    context_id = get_context(wire, "c")["Id"]
    for action in ("GetContextFileUploadUrl", "GetContextFileDownloadUrl"):
        before = time.time()
        body = wire.ok(action, ContextId=context_id, FilePath="/tmp/a.txt")
        assert set(body) == set(captured(action)[0]["response"]["body"])
        data = body["Data"]
        # ExpireTime: when the URL stops working, in Unix seconds (an hour from now).
        assert before + 3600 - 1 <= data["ExpireTime"] <= time.time() + 3600
        assert re.fullmatch(re.escape(server.endpoint) + r"/contexts/files/[A-Za-z0-9_-]{43}", data["Url"])


def test_a_5_mib_binary_file_up_and_down_byte_for_byte(wire: Wire) -> None:
    context_id = get_context(wire, "big")["Id"]
    content = os.urandom(5 << 20)
    put(wire, context_id, "/tmp/x/model.bin", content)
    response = get(wire, context_id, "tmp/x/model.bin")  # the same key, spelt without the "/"
    assert response.status_code == 200
    assert response.content == content
    assert response.headers["content-length"] == str(len(content))
    assert response.headers["etag"] == f'"{hashlib.md5(content).hexdigest()}"'
    assert response.headers["content-type"] == "application/octet-stream"
    head = httpx.head(url(wire, "GetContextFileDownloadUrl", context_id, "/tmp/x/model.bin"))
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(content))
    assert head.headers["etag"] == response.headers["etag"]


def test_unicode_names_empty_files_nested_folders_and_overwrites(wire: Wire) -> None:
    context_id = get_context(wire, "tree")["Id"]
    files = {
        "/données/é✓🚀 name.txt": "héllo".encode(),
        "/a/b/c/d/deep.bin": bytes(range(256)),
        "/empty": b"",
        "/a/empty-too": b"",
    }
    for path, content in files.items():
        put(wire, context_id, path, content)
    for path, content in files.items():
        response = get(wire, context_id, path)
        assert response.status_code == 200 and response.content == content, path
        assert response.headers["content-length"] == str(len(content))
    put(wire, context_id, "/empty", b"not any more")
    assert get(wire, context_id, "/empty").content == b"not any more"
    put(wire, context_id, "/empty", b"")
    assert get(wire, context_id, "/empty").content == b""


def test_download_of_a_missing_object_is_a_404_at_get(wire: Wire) -> None:
    context_id = get_context(wire, "c")["Id"]
    download = url(wire, "GetContextFileDownloadUrl", context_id, "/later.txt")
    assert xml_error(httpx.get(download), 404) == "NoSuchKey"
    put(wire, context_id, "/later.txt", b"now")  # the URL works once the object exists
    assert httpx.get(download).content == b"now"
    assert xml_error(get(wire, context_id, "/folder-not-file"), 404) == "NoSuchKey"
    put(wire, context_id, "/dir/f", b"x")
    assert xml_error(get(wire, context_id, "/dir"), 404) == "NoSuchKey"  # a folder is no object


def test_forged_tokens_and_wrong_directions_are_403(wire: Wire, server: LocalServer) -> None:
    context_id = get_context(wire, "c")["Id"]
    upload = url(wire, "GetContextFileUploadUrl", context_id, "/f")
    download = url(wire, "GetContextFileDownloadUrl", context_id, "/f")
    base = server.endpoint + "/contexts/files/"
    for forged in [
        base + "x" * 43,
        upload[:-1] + ("A" if upload[-1] != "A" else "B"),
        base + "é",
        base + "a" * 5000,
    ]:
        assert xml_error(httpx.get(forged), 403) == "AccessDenied", forged
        assert xml_error(httpx.put(forged, content=b"x"), 403) == "AccessDenied", forged
    assert xml_error(httpx.get(upload), 403) == "AccessDenied"
    assert xml_error(httpx.put(download, content=b"x"), 403) == "AccessDenied"
    assert xml_error(httpx.post(upload, content=b"x"), 405) == "MethodNotAllowed"
    assert xml_error(httpx.delete(download), 405) == "MethodNotAllowed"
    assert leftovers(server, context_id) == []
    assert xml_error(httpx.get(download), 404) == "NoSuchKey"  # nothing was written


def test_expired_urls_are_403(wire: Wire, monkeypatch: pytest.MonkeyPatch) -> None:
    context_id = get_context(wire, "c")["Id"]
    put(wire, context_id, "/f", b"x")
    upload = url(wire, "GetContextFileUploadUrl", context_id, "/f")
    download = url(wire, "GetContextFileDownloadUrl", context_id, "/f")
    now = time.time()
    monkeypatch.setattr(contexts_store, "_now", lambda: now + 3599)
    assert httpx.get(download).content == b"x"
    monkeypatch.setattr(contexts_store, "_now", lambda: now + 3601)
    for response in (httpx.get(download), httpx.put(upload, content=b"new")):
        assert xml_error(response, 403) == "AccessDenied"
        assert "expired" in response.text
    monkeypatch.undo()
    assert get(wire, context_id, "/f").content == b"x"


def test_urls_are_per_key(wire: Wire) -> None:
    mine = get_context(wire, "c")["Id"]
    theirs = get_context(wire, "c", key=wire.other_key)["Id"]
    put(wire, mine, "/f", b"mine")
    for action in ("GetContextFileUploadUrl", "GetContextFileDownloadUrl"):
        error = wire.error(action, key=wire.other_key, ContextId=mine, FilePath="/f")
        assert error["Code"] == "InvalidContext.NotFound"
    their_upload = wire.ok("GetContextFileUploadUrl", key=wire.other_key, ContextId=theirs, FilePath="/f")
    assert httpx.put(their_upload["Data"]["Url"], content=b"theirs").status_code == 200
    assert get(wire, mine, "/f").content == b"mine"


@pytest.mark.parametrize(
    "file_path",
    [
        "",
        "/",
        "a/",
        "/a/../b",
        "../etc/passwd",
        "a//b",
        "./a",
        "a/./b",
        "a\x00b",
        "x" * 256,
        "a/" * 600 + "b",
    ],
)
def test_bad_file_paths_are_refused(wire: Wire, file_path: str) -> None:
    context_id = get_context(wire, "c")["Id"]
    code = "MissingParameter.FilePath" if file_path == "" else "InvalidParameter.FilePath"
    for action in ("GetContextFileUploadUrl", "GetContextFileDownloadUrl", "DeleteContextFile"):
        assert wire.error(action, ContextId=context_id, FilePath=file_path)["Code"] == code, action


def test_url_actions_need_a_context_of_the_caller(wire: Wire) -> None:
    for action in ("GetContextFileUploadUrl", "GetContextFileDownloadUrl", "DeleteContextFile"):
        assert wire.error(action, FilePath="/f")["Code"] == "MissingParameter.ContextId"
        error = wire.error(action, ContextId="SdkCtx-0000000000000000", FilePath="/f")
        assert error["Code"] == "InvalidContext.NotFound"


def test_a_file_and_a_folder_of_one_name_conflict(wire: Wire, server: LocalServer) -> None:
    context_id = get_context(wire, "c")["Id"]
    put(wire, context_id, "/a/b", b"x")
    for path in ("/a", "/a/b/c"):
        response = httpx.put(url(wire, "GetContextFileUploadUrl", context_id, path), content=b"y")
        assert xml_error(response, 409) == "ObjectConflict", path
    assert get(wire, context_id, "/a/b").content == b"x"
    assert leftovers(server, context_id) == []


def test_an_upload_larger_than_the_free_disk_is_refused(
    wire: Wire, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    context_id = get_context(wire, "c")["Id"]
    put(wire, context_id, "/f", b"old")
    upload = url(wire, "GetContextFileUploadUrl", context_id, "/f")
    real = bodies.shutil.disk_usage
    monkeypatch.setattr(bodies.shutil, "disk_usage", lambda path: real(path)._replace(free=1000))
    response = httpx.put(upload, content=b"x" * 1001)
    assert xml_error(response, 507) == "InsufficientStorage"
    assert "1001 bytes" in response.text
    assert httpx.put(upload, content=b"x" * 1000).status_code == 200  # what fits is fine
    assert leftovers(server, context_id) == []


def test_a_disk_that_fills_up_during_an_upload_leaves_nothing(
    wire: Wire, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    context_id = get_context(wire, "c")["Id"]
    put(wire, context_id, "/f", b"old")
    written: list[int] = []
    real = contexts_files.Upload.write

    def write(self: contexts_files.Upload, data: bytes) -> None:
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(len(data))
        real(self, data)

    monkeypatch.setattr(contexts_files.Upload, "write", write)

    def body() -> Iterator[bytes]:  # chunked: no Content-Length to check up front
        for _ in range(3):
            yield b"x" * (1 << 20)

    response = httpx.put(url(wire, "GetContextFileUploadUrl", context_id, "/f"), content=body())
    assert xml_error(response, 507) == "InsufficientStorage"
    assert written
    monkeypatch.undo()
    assert get(wire, context_id, "/f").content == b"old"
    assert leftovers(server, context_id) == []


def test_a_client_that_goes_away_mid_upload_leaves_nothing(wire: Wire, server: LocalServer) -> None:
    context_id = get_context(wire, "c")["Id"]
    upload = httpx.URL(url(wire, "GetContextFileUploadUrl", context_id, "/f"))
    with socket.create_connection((upload.host, upload.port or 80)) as sock:
        sock.sendall(
            f"PUT {upload.raw_path.decode()} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n".encode()
            + b"x" * 1000
        )
    deadline = time.monotonic() + 10
    while leftovers(server, context_id) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)
    assert leftovers(server, context_id) == []
    assert xml_error(get(wire, context_id, "/f"), 404) == "NoSuchKey"


def test_the_url_still_works_after_a_restart(state_dir: Path) -> None:
    with LocalServer(state_dir, api_keys=[KEY]) as first, httpx.Client(base_url=first.endpoint) as c:
        wire = Wire(c)
        context_id = get_context(wire, "kept")["Id"]
        put(wire, context_id, "/a/f.bin", b"\x00\xff kept")
        download = url(wire, "GetContextFileDownloadUrl", context_id, "/a/f.bin")
        port = first.port
    with (
        LocalServer(state_dir, api_keys=[KEY], port=port) as second,
        httpx.Client(base_url=second.endpoint) as c,
    ):
        wire = Wire(c)
        assert httpx.get(download).content == b"\x00\xff kept"
        assert get(wire, context_id, "/a/f.bin").content == b"\x00\xff kept"
        files = wire.ok("DescribeContextFiles", ContextId=context_id, ParentFolderPath="/a")["Data"]
        assert [f["FileName"] for f in files] == ["f.bin"]


# ---- DescribeContextFiles and DeleteContextFile -------------------------------------------------


def describe(wire: Wire, context_id: str, folder: str = "/", **form: str) -> dict[str, Any]:
    return wire.ok("DescribeContextFiles", ContextId=context_id, ParentFolderPath=folder, **form)


def test_describe_context_files_lists_one_folder(wire: Wire) -> None:
    context_id = get_context(wire, "c")["Id"]
    assert describe(wire, context_id)["Data"] == [] and describe(wire, context_id)["Count"] == 0
    before = datetime.now(UTC).replace(microsecond=0)
    for path, content in {"/b.txt": b"12345", "/a/x.txt": b"x", "/a/sub/y": b"", "/é.bin": b"\x00"}.items():
        put(wire, context_id, path, content)
    body = describe(wire, context_id)
    assert set(body) == set(captured("DescribeContextFiles")[0]["response"]["body"])
    assert body["Count"] == 3
    entries = body["Data"]
    assert [(e["FileName"], e["FileType"], e["Size"]) for e in entries] == [
        ("a", "folder", 0),
        ("b.txt", "file", 5),
        ("é.bin", "file", 1),
    ]
    first = entries[1]
    assert set(first) == {
        "FileId",
        "FileName",
        "FilePath",
        "FileType",
        "GmtCreate",
        "GmtModified",
        "Size",
        "Status",
    }
    assert first["FilePath"] == "/b.txt"
    modified = datetime.strptime(first["GmtModified"], TIME).replace(tzinfo=UTC)
    assert before <= modified <= datetime.now(UTC)
    for folder in ("/a", "a", "/a/", "a/"):
        sub = describe(wire, context_id, folder)
        assert [(e["FilePath"], e["FileType"]) for e in sub["Data"]] == [
            ("/a/sub", "folder"),
            ("/a/x.txt", "file"),
        ]
    assert [e["FilePath"] for e in describe(wire, context_id, "/a/sub")["Data"]] == ["/a/sub/y"]
    for root in ("", "/"):
        assert describe(wire, context_id, root)["Count"] == 3
    assert wire.ok("DescribeContextFiles", ContextId=context_id)["Count"] == 3  # no folder: the root
    for missing in ("/nope", "/b.txt", "/a/x.txt/z"):
        assert describe(wire, context_id, missing) | {"RequestId": ""} == {
            **describe(wire, context_id, missing),
            "RequestId": "",
            "Data": [],
            "Count": 0,
        }


def test_describe_context_files_pages(wire: Wire) -> None:
    context_id = get_context(wire, "c")["Id"]
    names = [f"f{n:02d}" for n in range(7)]
    for name in names:
        put(wire, context_id, name, name.encode())
    pages = [describe(wire, context_id, PageNumber=str(n), PageSize="3") for n in (1, 2, 3, 4)]
    assert [[e["FileName"] for e in page["Data"]] for page in pages] == [names[:3], names[3:6], names[6:], []]
    assert {page["Count"] for page in pages} == {7}
    assert len(describe(wire, context_id)["Data"]) == 7  # PageNumber 1, PageSize 50 by default
    # 0.22.3's MaxResults/NextToken: keyset by name.
    seen: list[str] = []
    body = describe(wire, context_id, MaxResults="3")
    while True:
        seen += [e["FileName"] for e in body["Data"]]
        assert body["MaxResults"] == 3 and body["Count"] == 7
        if not body["NextToken"]:
            break
        body = describe(wire, context_id, MaxResults="3", NextToken=body["NextToken"])
    assert seen == names


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"ParentFolderPath": "/a/../.."}, "InvalidParameter.ParentFolderPath"),
        ({"ParentFolderPath": "a//b"}, "InvalidParameter.ParentFolderPath"),
        ({"PageNumber": "0"}, "InvalidParameter.PageNumber"),
        ({"PageSize": "0"}, "InvalidParameter.PageSize"),
        ({"PageSize": "1001"}, "InvalidParameter.PageSize"),
        ({"MaxResults": "x"}, "InvalidParameter.MaxResults"),
        ({"NextToken": "bad"}, "InvalidParameter.NextToken"),
        ({"ContextId": ""}, "MissingParameter.ContextId"),
        ({"ContextId": "SdkCtx-0000000000000000"}, "InvalidContext.NotFound"),
    ],
)
def test_describe_context_files_bad_parameters(wire: Wire, form: dict[str, str], code: str) -> None:
    fields = {"ContextId": get_context(wire, "c")["Id"], "ParentFolderPath": "/", **form}
    assert wire.error("DescribeContextFiles", **fields)["Code"] == code


def test_delete_context_file(wire: Wire, server: LocalServer) -> None:
    context_id = get_context(wire, "c")["Id"]
    for path in ("/a/b/c.txt", "/a/d.txt", "/e/f/g.txt", "/e/h.txt", "/top.txt"):
        put(wire, context_id, path, b"x")
    body = wire.ok("DeleteContextFile", ContextId=context_id, FilePath="/a/b/c.txt")
    assert set(body) == set(captured("DeleteContextFile")[0]["response"]["body"])
    assert xml_error(get(wire, context_id, "/a/b/c.txt"), 404) == "NoSuchKey"
    # The folder it leaves empty goes too; the others stay.
    assert [e["FileName"] for e in describe(wire, context_id, "/a")["Data"]] == ["d.txt"]
    wire.ok("DeleteContextFile", ContextId=context_id, FilePath="/a/d.txt")
    assert [e["FileName"] for e in describe(wire, context_id)["Data"]] == ["e", "top.txt"]
    wire.ok("DeleteContextFile", ContextId=context_id, FilePath="e")  # a folder, and all in it
    assert [e["FileName"] for e in describe(wire, context_id)["Data"]] == ["top.txt"]
    wire.ok("DeleteContextFile", ContextId=context_id, FilePath="/missing.txt")  # as object storage
    files = server.state_dir / "contexts" / context_id / "files"
    assert sorted(os.listdir(files)) == ["top.txt"]


def test_delete_context_file_of_another_key_is_not_found(wire: Wire) -> None:
    mine = get_context(wire, "c")["Id"]
    put(wire, mine, "/f", b"x")
    error = wire.error("DeleteContextFile", key=wire.other_key, ContextId=mine, FilePath="/f")
    assert error["Code"] == "InvalidContext.NotFound"
    assert get(wire, mine, "/f").content == b"x"


def test_every_captured_request_is_accepted(wire: Wire) -> None:
    """The forms 0.8.0, 0.9.0 and 0.22.3 send, pointed at a context of ours."""
    for action in (
        "ListContexts",
        "GetContextFileUploadUrl",
        "GetContextFileDownloadUrl",
        "DescribeContextFiles",
        "DeleteContextFile",
        "ModifyContext",
        "DeleteContext",
    ):
        for example in captured(action):
            context_id = get_context(wire, "my-ctx")["Id"]
            form = dict(example["request"]["form"])
            form.pop("Authorization")
            for field in ("ContextId", "Id"):
                if field in form:
                    form[field] = context_id
            if form.get("NextToken") == "1":  # the capture harness's own token: ours are opaque
                form["NextToken"] = list_contexts(wire, MaxResults="1")["NextToken"]
                if not form["NextToken"]:
                    form.pop("NextToken")
            wire.ok(action, **form)
            if action == "ModifyContext":
                wire.ok(action, Id=context_id, Name="my-ctx")


# ---- the store ----------------------------------------------------------------------------------


def test_a_contexts_table_from_before_paging_is_migrated(state_dir: Path) -> None:
    state_dir.mkdir()
    with sqlite3.connect(state_dir / "agentbay.db") as db:
        db.execute(
            "CREATE TABLE contexts (id TEXT PRIMARY KEY, api_key TEXT NOT NULL, name TEXT NOT NULL,"
            " state TEXT NOT NULL, created_at REAL NOT NULL, last_used_at REAL NOT NULL,"
            " os_type TEXT NOT NULL, UNIQUE (api_key, name))"
        )
        owner = hash_key(KEY)
        for n, context_id in enumerate(["SdkCtx-bbbbbbbbbbbbbbbb", "SdkCtx-aaaaaaaaaaaaaaaa"]):
            db.execute(
                "INSERT INTO contexts VALUES (?, ?, ?, 'available', ?, ?, '')",
                (context_id, owner, f"old-{n}", 1000.0 + n, 1000.0 + n),
            )
    with LocalServer(state_dir, api_keys=[KEY]) as server, httpx.Client(base_url=server.endpoint) as c:
        wire = Wire(c)
        new = get_context(wire, "new")["Id"]
        ids = [ctx["Id"] for ctx in list_contexts(wire)["Data"]]
        assert ids == ["SdkCtx-bbbbbbbbbbbbbbbb", "SdkCtx-aaaaaaaaaaaaaaaa", new]  # creation order
        assert get_context(wire, "old-0", allow_create="False")["CreateTime"] == "1970-01-01T00:16:40Z"


def test_a_store_removes_what_no_context_owns(tmp_path: Path) -> None:
    store = Store(tmp_path)
    try:
        contexts = ContextStore(store)
        kept = contexts.get_or_create("owner", "kept")
        (contexts.files_dir(kept.id) / "a").mkdir(parents=True)
        (contexts.files_dir(kept.id) / "a" / "f").write_bytes(b"x")
        contexts.tmp_dir(kept.id).mkdir()
        (contexts.tmp_dir(kept.id) / "abandoned.part").write_bytes(b"half")
        (contexts.root / "SdkCtx-0000000000000000" / "files").mkdir(parents=True)  # deleted while down
        (contexts.root / ".trash-SdkCtx-1111111111111111-ab").mkdir()
        # Young leftovers may be another server's work in progress: kept.
        assert contexts.remove_orphans() == [".trash-SdkCtx-1111111111111111-ab"]
        assert (contexts.tmp_dir(kept.id) / "abandoned.part").exists()
        assert contexts.remove_orphans(min_age_s=-1) == ["SdkCtx-0000000000000000"]
        assert sorted(os.listdir(contexts.root)) == [kept.id]
        assert os.listdir(contexts.tmp_dir(kept.id)) == []
        assert (contexts.files_dir(kept.id) / "a" / "f").read_bytes() == b"x"
    finally:
        store.close()
