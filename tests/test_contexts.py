"""`agent_bay.context` against a fake service, in both flavours: what each method sends, what it makes
of the replies, bad input refused before sending, failures as typed results, and retries only where
a repeat is harmless."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from agentbay import (
    APIConnectionError,
    Context,
    ContextFileEntry,
    ContextListParams,
    InvalidInputError,
    NotFoundError,
    ServerError,
)

from ._fake import API_KEY, FakeService, envelope

NOT_FOUND = {"RequestId": "R-NF", "Code": "InvalidContext.NotFound", "Message": "context not found"}
BUSY = {"RequestId": "R-500", "Code": "InternalError", "Message": "try again"}


def ctx(id: str = "SdkCtx-1", name: str = "my-ctx") -> Context:
    return Context(id=id, name=name)


def context_json(id: str, name: str = "n", **extra: Any) -> dict[str, Any]:
    return {"Id": id, "Name": name, "State": "available", "CreateTime": "t1", "LastUsedTime": "t2", **extra}


def only(fake: FakeService, action: str) -> dict[str, str]:
    sent = [s.form for s in fake.sent if s.action == action]
    assert len(sent) == 1, fake.actions()
    return sent[0]


# ---- get / create ----------------------------------------------------------------------------------


def test_get_by_name_reads_and_create_allows_creation(bay: Any, fake: FakeService) -> None:
    got = bay.context.get("my-ctx")
    assert got.success and got.context_id == got.context.id == "SdkCtx-0123456789abcdef"
    assert got.context.name == "my-ctx" and got.context.state == "available"
    assert got.context.created_at == "2026-11-25T11:34:06Z" and got.context.os_type is None
    created = bay.context.create("new-ctx")
    assert created.unwrap().name == "new-ctx"
    forms = [s.form for s in fake.sent]
    assert forms[0] == {"AllowCreate": "False", "Authorization": f"Bearer {API_KEY}", "Name": "my-ctx"}
    assert forms[1]["AllowCreate"] == "True" and forms[1]["Name"] == "new-ctx"


def test_get_by_context_id(bay: Any, fake: FakeService) -> None:
    result = bay.context.get(context_id="SdkCtx-9")
    assert result.context_id == "SdkCtx-9"
    assert only(fake, "GetContext") == {
        "AllowCreate": "False",
        "Authorization": f"Bearer {API_KEY}",
        "ContextId": "SdkCtx-9",
    }


def test_a_reply_without_name_or_state_falls_back_as_the_official_sdk(bay: Any, fake: FakeService) -> None:
    fake.reply("GetContext", envelope({"Id": "SdkCtx-2", "OsType": "Linux"}))
    context = bay.context.get("asked").unwrap()
    assert (context.name, context.state, context.os_type) == ("asked", "available", "Linux")
    assert (context.created_at, context.last_used_at) == ("", "")


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((), {}),
        (("a",), {"context_id": "SdkCtx-1"}),
        ((None, True), {"context_id": "SdkCtx-1"}),
        (("",), {}),
        (("  ",), {}),
        ((5,), {}),
        (("a", "yes"), {}),
        ((), {"context_id": ""}),
    ],
)
def test_get_refuses_bad_input_before_sending(
    bay: Any, fake: FakeService, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInputError):
        bay.context.get(*args, **kwargs)
    assert fake.sent == []


def test_a_missing_context_is_a_typed_failed_result(bay: Any, fake: FakeService) -> None:
    fake.reply("GetContext", NOT_FOUND, status=400)
    result = bay.context.get("zzz")
    assert not result.success and isinstance(result.error, NotFoundError)
    assert (result.context, result.context_id, result.request_id) == (None, "", "R-NF")
    assert result.error.code == "InvalidContext.NotFound"
    with pytest.raises(NotFoundError):
        result.unwrap()


def test_a_reply_without_an_id_is_malformed(bay: Any, fake: FakeService) -> None:
    fake.reply("GetContext", envelope({"Name": "x"}))
    result = bay.context.get("x")
    assert not result.success and isinstance(result.error, ServerError)
    assert "Data.Id" in result.error_message


# ---- list / list_all -------------------------------------------------------------------------------


def test_list_sends_the_official_defaults_and_parses_the_page(bay: Any, fake: FakeService) -> None:
    fake.reply(
        "ListContexts",
        envelope(
            [context_json("SdkCtx-1", "a"), context_json("SdkCtx-2", "b", OsType=None)],
            NextToken="tok",
            MaxResults=10,
            TotalCount=5,
        ),
    )
    page = bay.context.list()
    assert only(fake, "ListContexts") == {"Authorization": f"Bearer {API_KEY}", "MaxResults": "10"}
    assert [c.id for c in page.contexts] == ["SdkCtx-1", "SdkCtx-2"]
    assert (page.next_token, page.max_results, page.total_count) == ("tok", 10, 5)
    assert page.contexts[0] == Context(
        id="SdkCtx-1", name="a", state="available", created_at="t1", last_used_at="t2"
    )
    bay.context.list(ContextListParams(max_results=3, next_token="tok"))
    bay.context.list(ContextListParams(next_token=""))  # "" is the first page: no NextToken sent
    forms = [s.form for s in fake.sent]
    assert (forms[1]["MaxResults"], forms[1]["NextToken"]) == ("3", "tok")
    assert "NextToken" not in forms[2]


@pytest.mark.parametrize(
    "make",
    [
        lambda: ContextListParams(max_results=0),
        lambda: ContextListParams(max_results=101),
        lambda: ContextListParams(max_results=True),
        lambda: ContextListParams(max_results="5"),  # type: ignore[arg-type]
        lambda: ContextListParams(next_token=5),  # type: ignore[arg-type]
    ],
)
def test_list_params_are_checked(make: Any) -> None:
    with pytest.raises(InvalidInputError):
        make()


def test_list_refuses_other_params(bay: Any, fake: FakeService) -> None:
    with pytest.raises(InvalidInputError):
        bay.context.list({"max_results": 5})
    assert fake.sent == []


def test_a_failed_list_is_a_typed_result(bay: Any, fake: FakeService) -> None:
    fake.reply("ListContexts", {"RequestId": "R", "Code": "NOT_LOGIN", "Message": "no"}, status=400)
    page = bay.context.list()
    assert not page.success and page.contexts == [] and page.error.code == "NOT_LOGIN"


def test_list_rejects_an_item_without_id(bay: Any, fake: FakeService) -> None:
    fake.reply("ListContexts", envelope([{"Name": "x"}], NextToken=""))
    page = bay.context.list()
    assert not page.success and isinstance(page.error, ServerError)


def test_list_all_follows_every_page_and_never_yields_a_context_twice(bay: Any, fake: FakeService) -> None:
    fake.reply("ListContexts", envelope([context_json("c1"), context_json("c2")], NextToken="t1"))
    # An offset-token service shows c2 again after a context was created meanwhile.
    fake.reply("ListContexts", envelope([context_json("c2"), context_json("c3")], NextToken="t2"))
    fake.reply("ListContexts", envelope([context_json("c4")], NextToken=""))
    assert [c.id for c in bay.context.list_all(page_size=2)] == ["c1", "c2", "c3", "c4"]
    forms = [s.form for s in fake.sent]
    assert [f.get("NextToken") for f in forms] == [None, "t1", "t2"]
    assert {f["MaxResults"] for f in forms} == {"2"}


def test_list_all_stops_on_a_repeated_token_or_an_empty_page(bay: Any, fake: FakeService) -> None:
    fake.reply("ListContexts", envelope([context_json("c1")], NextToken="same"))
    fake.reply("ListContexts", envelope([context_json("c2")], NextToken="same"))
    assert [c.id for c in bay.context.list_all()] == ["c1", "c2"]
    fake.reply("ListContexts", envelope([], NextToken="more"))
    assert list(bay.context.list_all()) == []
    assert len(fake.sent) == 3


def test_list_all_raises_when_a_page_fails(bay: Any, fake: FakeService) -> None:
    fake.reply("ListContexts", envelope([context_json("c1")], NextToken="t1"))
    fake.reply("ListContexts", {"RequestId": "R", "Code": "NOT_LOGIN", "Message": "no"}, status=400)
    with pytest.raises(Exception) as info:
        list(bay.context.list_all())
    assert info.value.code == "NOT_LOGIN"  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [0, 101, True, "10"])
def test_list_all_checks_the_page_size(bay: Any, fake: FakeService, size: Any) -> None:
    with pytest.raises(InvalidInputError):
        list(bay.context.list_all(page_size=size))
    assert fake.sent == []


# ---- update / delete -------------------------------------------------------------------------------


def test_update_renames_the_context_it_is_given(bay: Any, fake: FakeService) -> None:
    context = bay.context.get("old").unwrap()
    context.name = "new"
    result = bay.context.update(context)
    assert result.success and result.data is True and result.request_id
    assert only(fake, "ModifyContext") == {
        "Authorization": f"Bearer {API_KEY}",
        "Id": context.id,
        "Name": "new",
    }


def test_delete_sends_the_id(bay: Any, fake: FakeService) -> None:
    result = bay.context.delete(ctx("SdkCtx-7"))
    assert result.success and result.data is True
    assert only(fake, "DeleteContext") == {"Authorization": f"Bearer {API_KEY}", "Id": "SdkCtx-7"}


@pytest.mark.parametrize("bad", [None, "SdkCtx-1", {"id": "SdkCtx-1"}, Context(id="", name="x")])
def test_update_and_delete_need_a_context(bay: Any, fake: FakeService, bad: Any) -> None:
    with pytest.raises(InvalidInputError):
        bay.context.update(bad)
    with pytest.raises(InvalidInputError):
        bay.context.delete(bad)
    with pytest.raises(InvalidInputError):
        bay.context.update(ctx(name=""))
    assert fake.sent == []


def test_deleting_a_missing_context_fails_typed(bay: Any, fake: FakeService) -> None:
    fake.reply("DeleteContext", NOT_FOUND, status=400)
    result = bay.context.delete(ctx())
    assert not result.success and isinstance(result.error, NotFoundError) and result.data is None


# ---- files -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get_file_upload_url", "get_file_download_url"])
def test_file_urls(bay: Any, fake: FakeService, method: str) -> None:
    action = "GetContextFileUploadUrl" if "upload" in method else "GetContextFileDownloadUrl"
    fake.reply(
        action, envelope({"Url": "http://127.0.0.1:1/contexts/files/tok", "ExpireTime": 1_900_000_000})
    )
    result = getattr(bay.context, method)("SdkCtx-1", "/home/wuying/a.txt")
    assert result.success and result.url == "http://127.0.0.1:1/contexts/files/tok"
    assert result.expire_time == 1_900_000_000
    assert only(fake, action) == {
        "Authorization": f"Bearer {API_KEY}",
        "ContextId": "SdkCtx-1",
        "FilePath": "/home/wuying/a.txt",
    }
    fake.reply(action, envelope({"ExpireTime": 3600}))
    missing = getattr(bay.context, method)("SdkCtx-1", "/a")
    assert not missing.success and isinstance(missing.error, ServerError) and missing.url == ""
    fake.reply(action, envelope({"Url": "u", "ExpireTime": "3600"}))
    assert getattr(bay.context, method)("SdkCtx-1", "/a").expire_time == 3600
    fake.reply(action, envelope({"Url": "u"}))
    assert getattr(bay.context, method)("SdkCtx-1", "/a").expire_time is None


@pytest.mark.parametrize("method", ["get_file_upload_url", "get_file_download_url", "delete_file"])
@pytest.mark.parametrize(
    ("context_id", "path"), [("", "/a"), ("SdkCtx-1", ""), (None, "/a"), ("SdkCtx-1", 3)]
)
def test_file_methods_check_their_arguments(
    bay: Any, fake: FakeService, method: str, context_id: Any, path: Any
) -> None:
    with pytest.raises(InvalidInputError):
        getattr(bay.context, method)(context_id, path)
    assert fake.sent == []


def test_list_files_sends_every_field_and_parses_entries(bay: Any, fake: FakeService) -> None:
    entry = {"FileId": "f1", "FileName": "a.txt", "FilePath": "/home/wuying/a.txt", "FileType": "file",
             "GmtCreate": "c", "GmtModified": "m", "Size": 5, "Status": "available"}  # fmt: skip
    fake.reply("DescribeContextFiles", envelope([entry, {"FileName": "sub", "FileType": "folder"}], Count=7))
    result = bay.context.list_files("SdkCtx-1", "/home/wuying", page_number=2, page_size=2)
    assert result.success and result.count == 7
    assert result.entries == [
        ContextFileEntry(
            file_id="f1",
            file_name="a.txt",
            file_path="/home/wuying/a.txt",
            file_type="file",
            gmt_create="c",
            gmt_modified="m",
            size=5,
            status="available",
        ),
        ContextFileEntry(file_name="sub", file_type="folder"),
    ]
    assert only(fake, "DescribeContextFiles") == {
        "Authorization": f"Bearer {API_KEY}",
        "ContextId": "SdkCtx-1",
        "PageNumber": "2",
        "PageSize": "2",
        "ParentFolderPath": "/home/wuying",
    }
    bay.context.list_files("SdkCtx-1", "")
    assert (fake.sent[-1].form["PageNumber"], fake.sent[-1].form["PageSize"]) == ("1", "50")


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("SdkCtx-1", None), {}),
        (("", "/"), {}),
        (("SdkCtx-1", "/"), {"page_number": 0}),
        (("SdkCtx-1", "/"), {"page_size": 0}),
        (("SdkCtx-1", "/"), {"page_number": True}),
        (("SdkCtx-1", "/"), {"page_size": "50"}),
    ],
)
def test_list_files_checks_its_arguments(
    bay: Any, fake: FakeService, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInputError):
        bay.context.list_files(*args, **kwargs)
    assert fake.sent == []


def test_delete_file(bay: Any, fake: FakeService) -> None:
    assert bay.context.delete_file("SdkCtx-1", "/home/wuying/a.txt").data is True
    assert only(fake, "DeleteContextFile")["FilePath"] == "/home/wuying/a.txt"
    fake.reply("DeleteContextFile", NOT_FOUND, status=400)
    failed = bay.context.delete_file("SdkCtx-1", "/gone")
    assert not failed.success and isinstance(failed.error, NotFoundError)


# ---- retries and transport failures ------------------------------------------------------------------

CALLS = {
    "get": (lambda c: c.get("n"), "GetContext", True),
    "create": (lambda c: c.create("n"), "GetContext", False),
    "list": (lambda c: c.list(), "ListContexts", True),
    "update": (lambda c: c.update(ctx()), "ModifyContext", True),
    "delete": (lambda c: c.delete(ctx()), "DeleteContext", False),
    "upload_url": (lambda c: c.get_file_upload_url("SdkCtx-1", "/a"), "GetContextFileUploadUrl", True),
    "download_url": (lambda c: c.get_file_download_url("SdkCtx-1", "/a"), "GetContextFileDownloadUrl", True),
    "list_files": (lambda c: c.list_files("SdkCtx-1", "/"), "DescribeContextFiles", True),
    "delete_file": (lambda c: c.delete_file("SdkCtx-1", "/a"), "DeleteContextFile", False),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_only_harmless_repeats_are_retried(bay: Any, fake: FakeService, name: str) -> None:
    call, action, retried = CALLS[name]
    fake.reply(action, BUSY, status=500)
    result = call(bay.context)
    assert fake.actions().count(action) == (2 if retried else 1)
    assert result.success is retried
    if not retried:
        assert isinstance(result.error, ServerError) and result.request_id == "R-500"


@pytest.mark.parametrize("name", list(CALLS))
def test_a_transport_failure_is_a_typed_result(bay: Any, fake: FakeService, name: str) -> None:
    call, action, _ = CALLS[name]
    for _ in range(3):
        fake.fail(action, httpx.ReadError("connection reset"))
    result = call(bay.context)
    assert not result.success and isinstance(result.error, APIConnectionError)


def test_with_options_applies_to_the_context_service(bay: Any, fake: FakeService) -> None:
    fake.reply("ListContexts", BUSY, status=500)
    assert not bay.with_options(max_retries=0).context.list().success
    assert fake.actions() == ["ListContexts"]


def test_the_api_key_never_shows_in_a_context_error(bay: Any, fake: FakeService) -> None:
    fake.reply(
        "GetContext", {"RequestId": "R", "Code": "NOT_LOGIN", "Message": f"bad key {API_KEY}"}, status=400
    )
    result = bay.context.get("x")
    assert API_KEY not in result.error_message and API_KEY not in repr(result)
    assert API_KEY not in repr(bay.context)
