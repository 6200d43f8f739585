"""Unit tests of AgentBay/AsyncAgentBay and Session/AsyncSession against a fake service (both flavours)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from agentbay import (
    AgentBayError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    CreateSessionParams,
    InvalidInputError,
    InvalidParameterError,
    NotFoundError,
    RateLimitError,
    ServerError,
    SessionClosedError,
    ToolError,
)

from ._fake import FakeService, envelope

NOT_FOUND = {"RequestId": "R-NF", "HostId": "h", "Code": "InvalidMcpSession.NotFound", "Message": "Resource [McpSession] is not found."}  # fmt: skip
NOT_LOGIN = {"RequestId": "R-NL", "HostId": "h", "Code": "NOT_LOGIN", "Message": "You are not logged in"}
BAD_PARAM = {"RequestId": "R-BP", "Code": "InvalidParameter", "Message": "bad"}


def new_session(bay: Any, **params: Any) -> Any:
    return bay.create(CreateSessionParams(**params)).unwrap()


# ---- create --------------------------------------------------------------------------------------


def test_create_returns_a_session(bay: Any, fake: FakeService) -> None:
    result = bay.create(CreateSessionParams(labels={"project": "demo"}, image_id="linux_latest"))
    assert result.success and result.error is None and result.error_message == ""
    assert result.request_id
    session = result.session
    assert session.session_id == "session-0123456789abcdef0123"
    assert session.resource_url == "https://r/1"
    assert session.image_id == "linux_latest"
    form = fake.sent[0].form
    assert json.loads(form["Labels"]) == {"project": "demo"}
    assert form["ImageId"] == "linux_latest"


def test_create_without_params_sends_only_the_key_and_vpc_flag(bay: Any, fake: FakeService) -> None:
    bay.create()
    assert set(fake.sent[0].form) == {"Authorization", "VpcResource"}


@pytest.mark.parametrize(
    ("status", "body", "error", "code"),
    [
        (400, NOT_LOGIN, AuthenticationError, "NOT_LOGIN"),
        (500, {"RequestId": "R5", "Code": "InternalError", "Message": "boom"}, ServerError, "InternalError"),
        (200, envelope(Code="QuotaExceeded", HttpStatusCode=400, Message="quota exceeded", Success=False), APIError, "QuotaExceeded"),
        (200, envelope({"SessionId": "", "Success": False, "ErrMsg": "no capacity"}), APIError, "SessionCreateFailed"),
        (502, b"<html>bad gateway</html>", ServerError, ""),
        (200, b"", ServerError, ""),
    ],
)  # fmt: skip
def test_create_failures_are_results_with_typed_errors(
    bay: Any, fake: FakeService, status: int, body: Any, error: type[Exception], code: str
) -> None:
    fake.reply("CreateMcpSession", body, status=status)
    result = bay.create()
    assert not result.success and result.session is None
    assert type(result.error) is error
    assert result.error.code == code
    assert result.error.http_status == status
    assert result.error_message == str(result.error)
    with pytest.raises(error):
        result.raise_for_error()
    with pytest.raises(error):
        result.unwrap()
    assert fake.actions() == ["CreateMcpSession"], "CreateMcpSession must never be retried"


def test_create_html_502_keeps_status_and_excerpt(bay: Any, fake: FakeService) -> None:
    fake.reply("CreateMcpSession", b"<html>bad gateway</html>", status=502)
    err = bay.create().error
    assert err.http_status == 502 and "bad gateway" in str(err) and "non-JSON" in str(err)


def test_create_rejects_params_of_the_wrong_type(bay: Any, fake: FakeService) -> None:
    with pytest.raises(InvalidInputError):
        bay.create({"labels": {}})
    assert fake.sent == []


@pytest.mark.parametrize("labels", [{"": "x"}, {" ": "x"}, {"k": 1}, {1: "v"}, ["a"], "a=b"])
def test_bad_labels_are_refused_before_sending(bay: Any, fake: FakeService, labels: Any) -> None:
    with pytest.raises(InvalidInputError):
        CreateSessionParams(labels=labels)
    session = new_session(bay)
    sent = len(fake.sent)
    with pytest.raises(InvalidInputError):
        session.set_labels(labels)
    with pytest.raises(InvalidInputError):
        bay.list(labels=labels)
    assert len(fake.sent) == sent


# ---- get / delete --------------------------------------------------------------------------------


def test_get_returns_the_session(bay: Any, fake: FakeService) -> None:
    result = bay.get("session-abc")
    assert result.success
    assert result.session.session_id == "session-abc"
    assert fake.sent[0].form["SessionId"] == "session-abc"


def test_get_missing_session_is_not_found(bay: Any, fake: FakeService) -> None:
    fake.reply("GetSession", NOT_FOUND, status=400)
    result = bay.get("session-nope")
    assert isinstance(result.error, NotFoundError)
    assert result.error.code == "InvalidMcpSession.NotFound"
    assert result.request_id == "R-NF"


@pytest.mark.parametrize("bad", ["", "   ", None, 5])
def test_empty_session_id_is_refused(bay: Any, fake: FakeService, bad: Any) -> None:
    with pytest.raises(InvalidInputError, match="session_id"):
        bay.get(bad)
    assert fake.sent == []


def test_delete_then_every_call_refuses_without_sending(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    result = session.delete()
    assert result.success and session.deleted
    assert fake.actions() == ["CreateMcpSession", "ReleaseMcpSession"]
    sent = len(fake.sent)
    for call in (
        lambda: session.get_labels(),
        lambda: session.set_labels({"a": "b"}),
        lambda: session.info(),
        lambda: session.get_link(),
        lambda: session.list_mcp_tools(),
        lambda: session._call_tool("shell", {"command": "ls", "timeout_ms": 1000}),
    ):
        with pytest.raises(SessionClosedError, match=session.session_id):
            call()
    assert len(fake.sent) == sent


def test_agent_bay_delete_deletes_the_session(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    assert bay.delete(session).success
    assert session.deleted
    with pytest.raises(InvalidInputError):
        bay.delete("session-id")


def test_delete_failure_keeps_the_session_usable(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply(
        "ReleaseMcpSession",
        envelope(Code="Failed", HttpStatusCode=400, Message="cannot release", Success=False),
    )
    result = session.delete()
    assert not result.success and isinstance(result.error, APIError) and result.error.code == "Failed"
    assert not session.deleted
    assert session.get_labels() == {}


def test_delete_of_a_vanished_session_succeeds_and_marks_it_deleted(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("ReleaseMcpSession", NOT_FOUND, status=400)
    result = session.delete()
    assert result.success and result.error is None and result.request_id == "R-NF"
    assert session.deleted


def test_delete_is_not_retried_on_server_errors(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("ReleaseMcpSession", {"Code": "InternalError", "Message": "x"}, status=503)
    assert isinstance(session.delete().error, ServerError)
    assert fake.actions().count("ReleaseMcpSession") == 1


# ---- context managers ----------------------------------------------------------------------------


def test_session_context_manager_deletes_on_exit(bay: Any, fake: FakeService) -> None:
    with new_session(bay) as session:
        session.get_labels()
    assert session.deleted
    assert fake.actions()[-1] == "ReleaseMcpSession"


def test_session_context_manager_deletes_when_the_body_raises(bay: Any, fake: FakeService) -> None:
    with pytest.raises(RuntimeError, match="boom"), new_session(bay) as session:
        raise RuntimeError("boom")
    assert session.deleted
    assert fake.actions()[-1] == "ReleaseMcpSession"


def test_session_context_manager_keeps_the_body_error_when_delete_fails(bay: Any, fake: FakeService) -> None:
    fake.reply("ReleaseMcpSession", {"Code": "InternalError", "Message": "x"}, status=500)
    with pytest.raises(RuntimeError, match="boom"), new_session(bay):
        raise RuntimeError("boom")


def test_session_context_manager_raises_a_failed_delete_after_a_clean_body(
    bay: Any, fake: FakeService
) -> None:
    fake.reply("ReleaseMcpSession", {"Code": "InternalError", "Message": "x"}, status=500)
    with pytest.raises(ServerError), new_session(bay):
        pass


def test_session_context_manager_after_explicit_delete_sends_nothing_more(
    bay: Any, fake: FakeService
) -> None:
    with new_session(bay) as session:
        session.delete()
    assert fake.actions().count("ReleaseMcpSession") == 1


def test_client_context_manager_closes_its_pool(flavour: str) -> None:
    from agentbay import AgentBay, AsyncAgentBay

    if flavour == "sync":
        with AgentBay(api_key="k", endpoint="http://x") as client:
            inner = client._transport._client
        assert inner.is_closed
    else:
        import asyncio

        async def run() -> Any:
            async with AsyncAgentBay(api_key="k", endpoint="http://x") as client:
                return client._transport._client

        assert asyncio.run(run()).is_closed


def test_a_client_given_by_the_caller_is_not_closed(flavour: str) -> None:
    from agentbay import AgentBay, AsyncAgentBay

    if flavour == "sync":
        own = httpx.Client()
        with AgentBay(api_key="k", endpoint="http://x", http_client=own):
            pass
        assert not own.is_closed
        own.close()
    else:
        import asyncio

        async def run() -> bool:
            own = httpx.AsyncClient()
            async with AsyncAgentBay(api_key="k", endpoint="http://x", http_client=own):
                pass
            still_open = not own.is_closed
            await own.aclose()
            return still_open

        assert asyncio.run(run())


# ---- labels --------------------------------------------------------------------------------------


def test_set_and_get_labels(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    result = session.set_labels({"env": "dev", "owner": "ünï"})
    assert result.success and result.request_id
    sent = fake.sent[-1]
    assert sent.action == "SetLabel"
    assert json.loads(sent.form["Labels"]) == {"env": "dev", "owner": "ünï"}
    fake.reply("GetLabel", envelope({"Labels": json.dumps({"env": "dev"})}))
    assert session.get_labels() == {"env": "dev"}


def test_set_labels_failure_is_a_result(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("SetLabel", NOT_FOUND, status=400)
    result = session.set_labels({"a": "b"})
    assert not result.success and isinstance(result.error, NotFoundError)


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (400, NOT_FOUND, NotFoundError),
        (400, NOT_LOGIN, AuthenticationError),
        (200, envelope(Code="InvalidMcpSession.NotFound", HttpStatusCode=400, Message="gone", Success=False), NotFoundError),
        (200, envelope({"Labels": "not json"}), ServerError),
        (200, envelope({"Labels": "[1, 2]"}), ServerError),
    ],
)  # fmt: skip
def test_get_labels_raises_typed_errors(
    bay: Any, fake: FakeService, status: int, body: Any, error: type
) -> None:
    session = new_session(bay)
    fake.reply("GetLabel", body, status=status)
    with pytest.raises(error):
        session.get_labels()


# ---- info / link ---------------------------------------------------------------------------------


def test_info(bay: Any, fake: FakeService) -> None:
    info = new_session(bay).info()
    assert info.session_id == "session-0123456789abcdef0123"
    assert (info.app_id, info.auth_code, info.resource_type, info.ticket) == ("app", "code", "AIAgent", "t")
    assert "code" not in repr(info).replace("auth_code", ""), "credentials stay out of the repr"


def test_info_failure_raises(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("GetMcpResource", NOT_FOUND, status=400)
    with pytest.raises(NotFoundError):
        session.info()


def test_get_link(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    assert session.get_link() == f"https://link/{session.session_id}/"
    assert "Port" not in fake.sent[-1].form and "ProtocolType" not in fake.sent[-1].form
    assert session.get_link("https", 30150).endswith("/30150")
    assert fake.sent[-1].form["Port"] == "30150"
    assert fake.sent[-1].form["ProtocolType"] == "https"


@pytest.mark.parametrize("port", [0, 65536, -1, "8080", 80.0, True])
def test_get_link_refuses_bad_ports(bay: Any, fake: FakeService, port: Any) -> None:
    session = new_session(bay)
    sent = len(fake.sent)
    with pytest.raises(InvalidInputError, match="port"):
        session.get_link(port=port)
    with pytest.raises(InvalidInputError):
        session.get_link(protocol_type="")
    assert len(fake.sent) == sent


def test_get_link_failure_raises(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("GetLink", BAD_PARAM, status=400)
    with pytest.raises(InvalidParameterError):
        session.get_link(port=8080)


# ---- list ----------------------------------------------------------------------------------------


def page(ids: list[str], token: str = "", total: int = 0) -> dict[str, Any]:
    items = [{"SessionId": i, "SessionStatus": "RUNNING", "ImageId": "linux_latest"} for i in ids]
    return envelope(items, NextToken=token, MaxResults=len(ids), TotalCount=total)


def test_list_one_page(bay: Any, fake: FakeService) -> None:
    fake.reply("ListSession", page(["s1", "s2"], token="2", total=5))
    result = bay.list(labels={"project": "demo"}, limit=2)
    assert result.success
    assert result.session_ids == ["s1", "s2"]
    assert result.sessions[0].status == "RUNNING" and result.sessions[0].image_id == "linux_latest"
    assert (result.next_token, result.total_count) == ("2", 5)
    form = fake.sent[0].form
    assert json.loads(form["Labels"]) == {"project": "demo"} and form["MaxResults"] == "2"
    assert "NextToken" not in form


def test_list_without_labels_sends_an_empty_map(bay: Any, fake: FakeService) -> None:
    bay.list()
    assert fake.sent[0].form["Labels"] == "{}"
    assert fake.sent[0].form["MaxResults"] == "10"


def test_list_page_follows_next_tokens(bay: Any, fake: FakeService) -> None:
    fake.reply("ListSession", page(["s1"], token="t1", total=3))
    fake.reply("ListSession", page(["s2"], token="t2", total=3))
    fake.reply("ListSession", page(["s3"], token="", total=3))
    result = bay.list(page=3, limit=1)
    assert result.session_ids == ["s3"]
    assert [s.form.get("NextToken") for s in fake.sent] == [None, "t1", "t2"]


def test_list_page_past_the_end_is_empty(bay: Any, fake: FakeService) -> None:
    fake.reply("ListSession", page(["s1"], token="", total=1))
    result = bay.list(page=4, limit=1)
    assert result.success and result.session_ids == []
    assert len(fake.sent) == 1


@pytest.mark.parametrize(
    ("kwargs"), [{"page": 0}, {"page": "2"}, {"limit": 0}, {"limit": 101}, {"limit": True}]
)
def test_list_refuses_bad_paging(bay: Any, fake: FakeService, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        bay.list(**kwargs)
    assert fake.sent == []


def test_list_failure_is_a_result(bay: Any, fake: FakeService) -> None:
    fake.reply(
        "ListSession", {"RequestId": "R7", "Code": "InvalidParameter", "Message": "bad labels"}, status=400
    )
    result = bay.list()
    assert not result.success and isinstance(result.error, InvalidParameterError)
    assert result.request_id == "R7"


def test_list_all_walks_every_page(bay: Any, fake: FakeService) -> None:
    fake.reply("ListSession", page(["s1", "s2"], token="a"))
    fake.reply("ListSession", page(["s3"], token=""))
    ids = [s.session_id for s in bay.list_all(labels={"k": "v"}, page_size=2)]
    assert ids == ["s1", "s2", "s3"]
    assert [s.form.get("NextToken") for s in fake.sent] == [None, "a"]


def test_list_all_raises_on_failure(bay: Any, fake: FakeService) -> None:
    fake.reply("ListSession", NOT_LOGIN, status=400)
    with pytest.raises(AuthenticationError):
        list(bay.list_all())


# ---- tools ---------------------------------------------------------------------------------------


def test_list_mcp_tools(bay: Any, fake: FakeService) -> None:
    result = new_session(bay, image_id="code_latest").list_mcp_tools()
    assert result.success and [t.name for t in result.tools] == ["shell"]
    assert fake.sent[-1].form["ImageId"] == "code_latest"


def test_list_mcp_tools_defaults_to_linux_latest_and_reports_malformed_data(
    bay: Any, fake: FakeService
) -> None:
    session = new_session(bay)
    fake.reply("ListMcpTools", envelope("not json"))
    result = session.list_mcp_tools()
    assert fake.sent[-1].form["ImageId"] == "linux_latest"
    assert isinstance(result.error, ServerError)


def test_call_tool_returns_text_and_encodes_args_like_the_official_sdk(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    out = session._call_tool("shell", {"command": "echo ü", "timeout_ms": 1000})
    assert out.text == "ok\n"
    form = fake.sent[-1].form
    assert (form["Name"], form["SessionId"]) == ("shell", session.session_id)
    assert form["Args"] == '{"command": "echo ü", "timeout_ms": 1000}'


def test_call_tool_is_error_raises_tool_error(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    data = {
        "content": [{"type": "text", "text": "no such file"}, {"type": "text", "text": "really"}],
        "isError": True,
    }
    fake.reply("CallMcpTool", envelope(data))
    with pytest.raises(ToolError) as info:
        session._call_tool("read_file", {"path": "/x"})
    assert info.value.tool == "read_file" and info.value.message == "no such file; really"


def test_call_tool_is_never_retried(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("CallMcpTool", {"Code": "ServiceUnavailable", "Message": "x"}, status=503)
    with pytest.raises(ServerError):
        session._call_tool("shell", {"command": "x", "timeout_ms": 1})
    assert fake.actions().count("CallMcpTool") == 1


# ---- transport: retries and timeouts --------------------------------------------------------------


def test_safe_actions_retry_server_errors_with_fresh_nonces(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("GetLabel", {"Code": "InternalError", "Message": "x"}, status=500)
    fake.reply(
        "GetLabel",
        {"Code": "Throttling.User", "Message": "slow down"},
        status=429,
        headers={"Retry-After": "1"},
    )
    assert session.get_labels() == {}
    labels = [s for s in fake.sent if s.action == "GetLabel"]
    assert len(labels) == 3
    assert len({s.query["SignatureNonce"] for s in labels}) == 3


def test_retries_are_bounded(make_bay: Any, fake: FakeService) -> None:
    bay = make_bay(max_retries=1)
    session = new_session(bay)
    for _ in range(3):
        fake.reply("GetLabel", {"Code": "InternalError", "Message": "x"}, status=500)
    with pytest.raises(ServerError):
        session.get_labels()
    assert fake.actions().count("GetLabel") == 2


def test_rate_limit_error_carries_retry_after(make_bay: Any, fake: FakeService) -> None:
    bay = make_bay(max_retries=0)
    session = new_session(bay)
    fake.reply("GetLabel", {"Code": "Throttling", "Message": "x"}, status=429, headers={"Retry-After": "7"})
    with pytest.raises(RateLimitError) as info:
        session.get_labels()
    assert info.value.retry_after == 7.0


def test_connect_errors_are_retried_even_for_create(bay: Any, fake: FakeService) -> None:
    fake.fail("CreateMcpSession", httpx.ConnectError("refused"))
    assert bay.create().success
    assert fake.actions() == ["CreateMcpSession", "CreateMcpSession"]


def test_read_timeouts_of_create_are_not_retried(bay: Any, fake: FakeService) -> None:
    fake.fail("CreateMcpSession", httpx.ReadTimeout("slow"))
    result = bay.create()
    assert isinstance(result.error, APITimeoutError)
    assert fake.actions() == ["CreateMcpSession"]


def test_connection_errors_become_typed_errors(make_bay: Any, fake: FakeService) -> None:
    bay = make_bay(max_retries=0)
    fake.fail("ListSession", httpx.ConnectError("refused"))
    result = bay.list()
    assert isinstance(result.error, APIConnectionError)
    assert isinstance(result.error.__cause__, httpx.ConnectError)


# ---- configuration and secrecy --------------------------------------------------------------------


def test_the_api_key_never_shows(bay: Any, fake: FakeService, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG, logger="agentbay")
    key = "akm-test-key-0001"
    session = new_session(bay)
    fake.reply("GetLabel", NOT_LOGIN, status=400)
    with pytest.raises(AgentBayError) as info:
        session.get_labels()
    texts = [repr(bay), str(bay), repr(session), str(info.value), repr(info.value), caplog.text]
    texts.append(repr(bay.wrapped._config if hasattr(bay, "wrapped") else bay._config))
    assert caplog.text, "debug logging is on"
    for text in texts:
        assert key not in text


# ---- with_options --------------------------------------------------------------------------------


def test_with_options_sets_timeout_and_retries_for_its_sessions(make_bay: Any, fake: FakeService) -> None:
    bay = make_bay(timeout=30)
    quick = bay.with_options(timeout=2.5, max_retries=0)
    bay.list()
    assert fake.sent[-1].request.extensions["timeout"]["read"] == 30
    session = quick.create().unwrap()
    session.get_labels()
    assert fake.sent[-1].request.extensions["timeout"]["read"] == 2.5
    fake.reply("GetLabel", {"Code": "InternalError", "Message": "x"}, status=500)
    with pytest.raises(ServerError):
        session.get_labels()
    assert fake.actions()[-2:] == ["GetLabel", "GetLabel"], "no retry with max_retries=0"
    # The original keeps its own defaults.
    fake.reply("ListSession", {"Code": "InternalError", "Message": "x"}, status=500)
    assert bay.list().success
    assert fake.sent[-1].request.extensions["timeout"]["read"] == 30


def test_with_options_shares_the_pool_and_does_not_close_it(make_bay: Any, fake: FakeService) -> None:
    bay = make_bay()
    clone = bay.with_options(timeout=5)
    clone.close()
    assert bay.list().success


@pytest.mark.parametrize(
    "kwargs", [{"timeout": 0}, {"timeout": "5"}, {"max_retries": -1}, {"max_retries": 1.5}]
)
def test_with_options_refuses_bad_values(bay: Any, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        bay.with_options(**kwargs)
