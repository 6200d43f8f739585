"""The session side of contexts against the fake service, in both flavours: ContextSync / SyncPolicy and
their wire JSON, create's wait for downloads, session.context.info / sync, delete(sync_context=True)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from agentbay import (
    AgentBay,
    APIError,
    BWList,
    ContextStatusData,
    ContextSync,
    ContextSyncError,
    CreateSessionParams,
    DownloadPolicy,
    InvalidInputError,
    Lifecycle,
    MappingPolicy,
    NotFoundError,
    RecyclePolicy,
    ServerError,
    SessionClosedError,
    SyncPolicy,
    UploadMode,
    UploadPolicy,
    WhiteList,
)
from agentbay._context_sync import MAX_POLL, SYNC_GRACE, UNREPORTED_GRACE, Backoff

from ._fake import API_KEY, FakeService, envelope

WIRE = Path(__file__).resolve().parent.parent.parent / "shared" / "wire"
if not WIRE.exists():
    WIRE = Path("/work/shared/wire")

CTX, MOUNT = "SdkCtx-1", "/home/wuying/data"


def captured_form(sdk: str, call: str) -> dict[str, str]:
    doc = json.loads((WIRE / "ops" / "CreateMcpSession.json").read_text())
    (example,) = [e for e in doc["examples"] if e["sdk"] == sdk and e["sdk_call"] == call]
    return dict(example["request"]["form"])


def task(
    status: str = "Success",
    task_type: str = "download",
    *,
    ctx: str = CTX,
    path: str = MOUNT,
    start: int = 1,
    finish: int = 0,
    error: str = "",
) -> dict[str, Any]:
    return {
        "contextId": ctx,
        "path": path,
        "status": status,
        "taskType": task_type,
        "startTime": start,
        "finishTime": finish,
        "errorMessage": error,
    }


def tasks(*items: dict[str, Any]) -> dict[str, Any]:
    """A GetContextInfo reply listing `items`, in the service's nested JSON strings."""
    return envelope({"ContextStatus": json.dumps([{"type": "data", "data": json.dumps(list(items))}])})


def record_sleeps(bay: Any) -> list[float]:
    """The pauses the client takes from now on (none is really taken)."""
    pauses: list[float] = []
    if isinstance(bay, AgentBay):
        bay._transport.sleep = pauses.append
    else:

        async def sleep(seconds: float) -> None:
            pauses.append(seconds)

        bay.wrapped._transport.sleep = sleep
    return pauses


def params(*syncs: ContextSync, timeout: float = 300.0) -> CreateSessionParams:
    return CreateSessionParams(context_syncs=list(syncs), context_sync_timeout=timeout)


def sync(ctx: str = CTX, path: str = MOUNT, **kwargs: Any) -> ContextSync:
    return ContextSync.new(ctx, path, SyncPolicy.default(), **kwargs)


def new_session(bay: Any) -> Any:
    return bay.create().unwrap()


# ---- policies and their JSON ---------------------------------------------------------------------


def test_the_default_policy_is_what_0_22_3_sends_byte_for_byte(bay: Any, fake: FakeService) -> None:
    theirs = captured_form("0.22.3", "AgentBay.create(context_syncs)")["PersistenceDataList"]
    (item,) = json.loads(theirs)
    assert SyncPolicy.default().to_json() == item["Policy"]
    fake.reply("GetContextInfo", tasks(task(ctx=item["ContextId"], path=item["Path"])))
    assert bay.create(params(sync(item["ContextId"], item["Path"]))).success
    assert fake.sent[0].form["PersistenceDataList"] == theirs


def test_a_mount_without_policy_sends_none_as_0_9_0_does(bay: Any, fake: FakeService) -> None:
    theirs = captured_form("0.9.0", "AgentBay.create(no params)")["PersistenceDataList"]
    (item,) = json.loads(theirs)
    fake.reply("GetContextInfo", tasks(task(ctx=item["ContextId"], path=item["Path"])))
    bay.create(params(ContextSync.new(item["ContextId"], item["Path"])))
    assert fake.sent[0].form["PersistenceDataList"] == theirs


def test_policy_defaults_and_conversions() -> None:
    assert SyncPolicy() == SyncPolicy.default() == SyncPolicy(upload_policy=None, bw_list=None)
    assert SyncPolicy().bw_list == BWList([WhiteList(path="", exclude_paths=[])])
    assert "mappingPolicy" not in SyncPolicy().to_dict()
    assert SyncPolicy(mapping_policy=MappingPolicy("C:\\data")).to_dict()["mappingPolicy"] == {
        "path": "C:\\data"
    }
    # Enum values may be given as their strings; lists become tuples (the objects are immutable).
    recycle = RecyclePolicy("Lifecycle_1Day", ["logs"])
    assert recycle.lifecycle is Lifecycle.LIFECYCLE_1DAY and recycle.paths == ("logs",)
    # Archive excludes go on the wire only with the archive mode, as in 0.22.3.
    assert "archiveExcludePaths" not in UploadPolicy(archive_exclude_paths=["a"]).to_dict()
    archive = UploadPolicy(upload_mode=UploadMode.ARCHIVE, archive_exclude_paths=["a"]).to_dict()
    assert archive["archiveExcludePaths"] == ["a"] and archive["uploadMode"] == "Archive"
    # Non-ASCII travels as itself (ensure_ascii=False), as the official SDK sends it.
    white = SyncPolicy(bw_list=BWList([WhiteList(path="/données")]))
    assert '"/données"' in white.to_json()
    first = sync()
    second = first.with_policy(SyncPolicy(download_policy=DownloadPolicy(auto_download=False)))
    assert first.policy == SyncPolicy() and second.policy != first.policy and not second.waits


@pytest.mark.parametrize(
    "make",
    [
        lambda: WhiteList(path="/a/*"),
        lambda: WhiteList(path="", exclude_paths=["/tmp/[ab]"]),
        lambda: WhiteList(exclude_paths="/a"),  # a str is not a list of paths
        lambda: RecyclePolicy(paths=["/logs/?"]),
        lambda: RecyclePolicy(lifecycle="Lifecycle_2Days"),
        lambda: UploadPolicy(auto_upload="yes"),
        lambda: UploadPolicy(upload_mode="Zip"),
        lambda: UploadPolicy(upload_mode=UploadMode.ARCHIVE, archive_exclude_paths=["*.log"]),
        lambda: SyncPolicy(upload_policy=DownloadPolicy()),
        lambda: BWList([{"path": ""}]),
        lambda: ContextSync.new("", MOUNT),
        lambda: ContextSync.new(CTX, ""),
        lambda: ContextSync.new(CTX, "/a\x00b"),
        lambda: ContextSync.new(CTX, MOUNT, policy={}),
        lambda: ContextSync.new(CTX, MOUNT, beta_wait_for_completion="no"),
        lambda: CreateSessionParams(context_syncs=sync()),  # not a list
        lambda: CreateSessionParams(context_syncs=[(CTX, MOUNT)]),
        lambda: CreateSessionParams(context_syncs=[sync()], context_sync_timeout=0),
    ],
)
def test_bad_policies_and_mounts_are_refused_before_sending(make: Any) -> None:
    with pytest.raises(InvalidInputError) as info:
        make()
    assert isinstance(info.value, ValueError)


def test_regex_white_lists_may_hold_wildcards() -> None:
    white = WhiteList(path="/home/.*", exclude_paths=[".*\\.log"], is_path_regex=True, is_exclude_regex=True)
    assert white.to_dict() == {
        "path": "/home/.*",
        "excludePaths": [".*\\.log"],
        "isPathRegex": True,
        "isExcludeRegex": True,
    }


def test_backoff_starts_fast_grows_to_two_seconds_and_stops_at_the_timeout() -> None:
    backoff = Backoff(10.0)
    pauses = []
    while (pause := backoff.pause()) is not None:
        pauses.append(pause)
    assert pauses[:3] == pytest.approx([0.1, 0.15, 0.225])
    assert max(pauses) == MAX_POLL
    assert sum(pauses) == pytest.approx(10.0)


# ---- create waits for the downloads -------------------------------------------------------------


def test_create_waits_until_the_download_is_done(bay: Any, fake: FakeService) -> None:
    pauses = record_sleeps(bay)
    fake.reply("GetContextInfo", tasks(task("Pending")))
    fake.reply("GetContextInfo", tasks(task("Running")))
    fake.reply("GetContextInfo", tasks(task("Success", finish=2)))
    result = bay.create(params(sync()))
    assert result.success and result.session is not None
    assert fake.actions() == ["CreateMcpSession", "GetContextInfo", "GetContextInfo", "GetContextInfo"]
    assert fake.sent[1].form == {"Authorization": f"Bearer {API_KEY}", "SessionId": result.session.session_id}
    assert pauses == pytest.approx([0.1, 0.15])


def test_a_failed_download_fails_create_but_the_session_is_on_the_result(bay: Any, fake: FakeService) -> None:
    fake.reply("GetContextInfo", tasks(task("Failed", error="context not found")))
    result = bay.create(params(sync()))
    assert not result.success
    error = result.error
    assert isinstance(error, ContextSyncError) and not error.timed_out
    assert (error.context_id, error.path, error.task_type, error.reason) == (
        CTX,
        MOUNT,
        "download",
        "context not found",
    )
    assert (
        CTX in result.error_message
        and MOUNT in result.error_message
        and "context not found" in result.error_message
    )
    with pytest.raises(ContextSyncError):
        result.unwrap()
    # The session exists: the caller may look at it, or delete it.
    assert result.session is not None and not result.session.deleted
    assert result.session.delete().success
    assert fake.actions()[-1] == "ReleaseMcpSession"


def test_create_waits_boundedly(bay: Any, fake: FakeService) -> None:
    pauses = record_sleeps(bay)
    for _ in range(100):
        fake.reply("GetContextInfo", tasks(task("Running")))
    result = bay.create(params(sync(), timeout=5))
    assert isinstance(result.error, ContextSyncError) and result.error.timed_out
    assert result.error.status == "Running" and "5 s" in result.error_message
    assert sum(pauses) == pytest.approx(5.0)
    assert result.session is not None


def test_create_waits_only_for_the_contexts_that_wait(bay: Any, fake: FakeService) -> None:
    other = "SdkCtx-2"
    fake.reply("GetContextInfo", tasks(task("Success"), task("Failed", ctx=other, path="/o", error="x")))
    result = bay.create(params(sync(), sync(other, "/o", beta_wait_for_completion=False)))
    assert result.success, result.error
    no_download = ContextSync.new(CTX, MOUNT, SyncPolicy(download_policy=DownloadPolicy(auto_download=False)))
    fake.sent.clear()
    assert bay.create(params(no_download, sync(other, "/o", beta_wait_for_completion=False))).success
    assert fake.actions() == ["CreateMcpSession"]


def test_a_context_never_reported_is_not_waited_for_past_the_grace(bay: Any, fake: FakeService) -> None:
    pauses = record_sleeps(bay)
    result = bay.create(params(sync()))  # the fake reports no task at all
    assert result.success, result.error
    assert UNREPORTED_GRACE <= sum(pauses) < UNREPORTED_GRACE + MAX_POLL


def test_a_failed_poll_fails_create_with_its_error(bay: Any, fake: FakeService) -> None:
    fake.reply("GetContextInfo", {"Code": "InvalidMcpSession.NotFound", "Message": "gone"}, status=400)
    result = bay.create(params(sync()))
    assert isinstance(result.error, NotFoundError) and result.session is not None


# ---- session.context.info ------------------------------------------------------------------------


def test_info_sends_its_filters_and_types_the_tasks(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("GetContextInfo", tasks(task("Failed", "upload", start=5, finish=6, error="disk full")))
    result = session.context.info(CTX, MOUNT, "upload")
    assert result.success
    assert result.context_status_data == [
        ContextStatusData(
            context_id=CTX,
            path=MOUNT,
            status="Failed",
            task_type="upload",
            start_time=5,
            finish_time=6,
            error_message="disk full",
        )
    ]
    assert fake.sent[-1].form == {
        "Authorization": f"Bearer {API_KEY}",
        "SessionId": session.session_id,
        "ContextId": CTX,
        "Path": MOUNT,
        "TaskType": "upload",
    }
    assert session.context.info().context_status_data == []  # the fake's default: no Data
    assert set(fake.sent[-1].form) == {"Authorization", "SessionId"}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("", []),
        ("[]", []),
        (json.dumps([{"type": "other", "data": "x"}, {"type": "data", "data": "[]"}]), []),
        (json.dumps([{"type": "data", "data": json.dumps([task()])}]), [CTX]),
    ],
)
def test_info_parses_every_shape_of_context_status(
    bay: Any, fake: FakeService, status: str, expected: list[str]
) -> None:
    session = new_session(bay)
    fake.reply("GetContextInfo", envelope({"ContextStatus": status}))
    assert [t.context_id for t in session.context.info().context_status_data] == expected


@pytest.mark.parametrize("status", ["{", "{}", json.dumps([{"type": "data", "data": "{}"}]), json.dumps([1])])
def test_a_malformed_context_status_is_a_server_error(bay: Any, fake: FakeService, status: str) -> None:
    session = new_session(bay)
    fake.reply("GetContextInfo", envelope({"ContextStatus": status}))
    result = session.context.info()
    assert isinstance(result.error, ServerError) and "ContextStatus" in result.error_message


def test_info_refuses_bad_input_and_closed_sessions(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    sent = len(fake.sent)
    for bad in ({"task_type": "both"}, {"context_id": ""}, {"path": 3}):
        with pytest.raises(InvalidInputError):
            session.context.info(**bad)
    for bad in ({"mode": "sideways"}, {"timeout": -1}, {"timeout": float("inf")}):
        with pytest.raises(InvalidInputError):
            session.context.sync(**bad)
    assert len(fake.sent) == sent
    session.delete()
    with pytest.raises(SessionClosedError):
        session.context.info()
    with pytest.raises(SessionClosedError):
        session.context.sync()


def test_info_reports_service_errors_on_the_result(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("GetContextInfo", {"Code": "InvalidMcpSession.NotFound", "Message": "gone"}, status=400)
    result = session.context.info()
    assert not result.success and isinstance(result.error, NotFoundError)


# ---- session.context.sync ------------------------------------------------------------------------


def test_sync_waits_for_the_tasks_it_started_only(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    old = [task("Success", "download"), task("Failed", "upload", start=1, error="an old failure")]
    fake.reply("GetContextInfo", tasks(*old))  # before the sync
    fake.reply("GetContextInfo", tasks(*old, task("Running", "upload", start=2)))
    fake.reply("GetContextInfo", tasks(*old, task("Success", "upload", start=2, finish=3)))
    result = session.context.sync(CTX, MOUNT, "upload")
    assert result.success, result.error
    assert [(t.task_type, t.status, t.start_time) for t in result.tasks] == [("upload", "Success", 2)]
    assert fake.actions()[1:] == ["GetContextInfo", "SyncContext", "GetContextInfo", "GetContextInfo"]
    # SyncContext carries the key in the query, not the form, as every official version sends it.
    (request,) = [s for s in fake.sent if s.action == "SyncContext"]
    assert request.query["Authorization"] == f"Bearer {API_KEY}"
    assert request.form == {
        "SessionId": session.session_id,
        "ContextId": CTX,
        "Path": MOUNT,
        "Mode": "upload",
    }
    polls = [s.form for s in fake.sent if s.action == "GetContextInfo"]
    assert all((p["ContextId"], p["Path"]) == (CTX, MOUNT) and "TaskType" not in p for p in polls)


def test_a_failed_sync_task_fails_the_result(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("GetContextInfo", tasks())
    fake.reply("GetContextInfo", tasks(task("Failed", "upload", error="quota exceeded")))
    result = session.context.sync()
    assert not result.success and isinstance(result.error, ContextSyncError)
    assert result.error.reason == "quota exceeded" and result.error.task_type == "upload"
    assert [t.status for t in result.tasks] == ["Failed"]


def test_sync_of_one_mode_ignores_tasks_of_the_other(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("GetContextInfo", tasks())
    fake.reply("GetContextInfo", tasks(task("Failed", "upload"), task("Success", "download", start=3)))
    result = session.context.sync(mode="download")
    assert result.success and [t.task_type for t in result.tasks] == ["download"]


def test_sync_without_waiting_sends_only_the_sync(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    result = session.context.sync(CTX, mode="download", wait=False)
    assert result.success and result.tasks == [] and result.request_id
    assert fake.actions()[1:] == ["SyncContext"]


def test_sync_waits_boundedly(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    pauses = record_sleeps(bay)
    fake.reply("GetContextInfo", tasks())
    for _ in range(50):
        fake.reply("GetContextInfo", tasks(task("Pending", "upload")))
    result = session.context.sync(timeout=3)
    assert isinstance(result.error, ContextSyncError) and result.error.timed_out
    assert result.error.status == "Pending" and sum(pauses) == pytest.approx(3.0)


def test_sync_with_no_task_to_run_succeeds_after_the_grace(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    pauses = record_sleeps(bay)
    result = session.context.sync()
    assert result.success and result.tasks == []
    assert SYNC_GRACE <= sum(pauses) < SYNC_GRACE + MAX_POLL


def test_a_sync_just_like_the_one_before_it_is_its_own(bay: Any, fake: FakeService) -> None:
    """The service keeps the latest task per path, in whole seconds: a second sync within the same
    second may look exactly like the first. One that started since the sync was sent is its own."""
    session = new_session(bay)
    pauses = record_sleeps(bay)
    same = task("Success", "upload", start=int(time.time()) + 1)
    fake.reply("GetContextInfo", tasks(same))
    fake.reply("GetContextInfo", tasks(same))
    result = session.context.sync(mode="upload")
    assert result.success and [t.start_time for t in result.tasks] == [same["startTime"]]
    assert pauses == []


def test_a_refused_sync_is_not_retried_and_keeps_the_key_out(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    echo = f"bad request /?Action=SyncContext&Authorization=Bearer+{API_KEY}"
    fake.reply("SyncContext", {"Code": "InternalError", "Message": echo}, status=500)
    result = session.context.sync(wait=False)
    assert isinstance(result.error, APIError) and result.error.http_status == 500
    assert fake.actions().count("SyncContext") == 1
    assert API_KEY not in result.error_message and API_KEY not in repr(result)


# ---- delete(sync_context=True) ---------------------------------------------------------------------


def test_delete_with_sync_uploads_first(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("GetContextInfo", tasks(task("Success")))
    fake.reply("GetContextInfo", tasks(task("Success"), task("Running", "upload", start=2)))
    fake.reply("GetContextInfo", tasks(task("Success"), task("Success", "upload", start=2)))
    assert session.delete(sync_context=True).success and session.deleted
    assert fake.actions()[1:] == [
        "GetContextInfo",
        "SyncContext",
        "GetContextInfo",
        "GetContextInfo",
        "ReleaseMcpSession",
    ]
    # As the official SDK: a sync of every context of the session.
    assert [s.form for s in fake.sent if s.action == "SyncContext"] == [{"SessionId": session.session_id}]


def test_a_failed_upload_keeps_the_session(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("GetContextInfo", tasks())
    fake.reply("GetContextInfo", tasks(task("Failed", "upload", error="no space")))
    result = bay.delete(session, sync_context=True)
    assert not result.success and isinstance(result.error, ContextSyncError)
    assert "no space" in result.error_message
    assert "ReleaseMcpSession" not in fake.actions() and not session.deleted
    assert session.delete().success and session.deleted  # without sync: the files are given up


def test_delete_with_sync_of_a_session_gone_elsewhere_succeeds(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    gone = {"Code": "InvalidMcpSession.NotFound", "Message": "gone"}
    fake.reply("GetContextInfo", gone, status=400)
    fake.reply("ReleaseMcpSession", gone, status=400)
    assert session.delete(sync_context=True).success and session.deleted
    assert session.delete(sync_context=True).success
    assert fake.actions()[1:] == ["GetContextInfo", "ReleaseMcpSession"]


def test_delete_does_not_sync_unless_asked(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    assert bay.delete(session).success
    assert fake.actions() == ["CreateMcpSession", "ReleaseMcpSession"]
