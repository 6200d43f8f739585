"""Session lifecycle details of the facade against a fake service (both flavours): delete is
idempotent, `image_id` is the image that runs, `list_all` never yields a session twice."""

from __future__ import annotations

from typing import Any

from agentbay import CreateSessionParams, ServerError

from ._fake import FakeService, envelope

NOT_FOUND = {"RequestId": "R-NF", "HostId": "h", "Code": "InvalidMcpSession.NotFound", "Message": "Resource [McpSession] is not found."}  # fmt: skip


def new_session(bay: Any, **params: Any) -> Any:
    return bay.create(CreateSessionParams(**params)).unwrap()


# ---- delete is idempotent ------------------------------------------------------------------------


def test_a_second_delete_succeeds_without_sending(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    assert session.delete().success
    again = session.delete()
    assert again.success and again.error is None
    assert bay.delete(session).success
    assert fake.actions().count("ReleaseMcpSession") == 1


def test_deleting_through_a_second_handle_succeeds(bay: Any, fake: FakeService) -> None:
    first = new_session(bay)
    second = bay.get(first.session_id).unwrap()
    assert first.delete().success
    fake.reply("ReleaseMcpSession", NOT_FOUND, status=400)  # what the service says: already gone
    result = second.delete()
    assert result.success and result.error is None and result.request_id == "R-NF"
    assert second.deleted
    fake.reply("ReleaseMcpSession", NOT_FOUND, status=400)
    third = bay.get(first.session_id).unwrap()
    assert bay.delete(third).success and third.deleted


def test_other_failures_still_fail_and_keep_the_session(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("ReleaseMcpSession", {"Code": "InternalError", "Message": "x"}, status=500)
    result = session.delete()
    assert not result.success and isinstance(result.error, ServerError)
    assert not session.deleted
    assert session.delete().success and session.deleted


def test_context_manager_on_a_vanished_session_does_not_raise(bay: Any, fake: FakeService) -> None:
    fake.reply("ReleaseMcpSession", NOT_FOUND, status=400)
    with new_session(bay) as session:
        pass
    assert session.deleted


# ---- image_id ------------------------------------------------------------------------------------


def test_image_id_after_create_is_the_one_asked_for_else_the_default(bay: Any, fake: FakeService) -> None:
    assert new_session(bay, image_id="code_latest").image_id == "code_latest"
    assert new_session(bay).image_id == "linux_latest"
    assert bay.create().unwrap().image_id == "linux_latest"


def test_image_id_after_get_is_what_the_service_says(bay: Any, fake: FakeService) -> None:
    fake.reply(
        "GetSession", envelope({"SessionId": "session-1", "ImageId": "code_latest", "Status": "RUNNING"})
    )
    assert bay.get("session-1").unwrap().image_id == "code_latest"
    # The cloud's GetSession does not say: unknown rather than a guess.
    assert bay.get("session-2").unwrap().image_id is None


def test_list_mcp_tools_asks_about_the_image_get_learned(bay: Any, fake: FakeService) -> None:
    fake.reply("GetSession", envelope({"SessionId": "session-1", "ImageId": "code_latest"}))
    bay.get("session-1").unwrap().list_mcp_tools()
    assert fake.sent[-1].form["ImageId"] == "code_latest"


# ---- list_all ------------------------------------------------------------------------------------


def page(ids: list[str], token: str = "") -> dict[str, Any]:
    items = [{"SessionId": i, "SessionStatus": "RUNNING", "ImageId": "linux_latest", "AppInstanceId": "ai-" + i} for i in ids]  # fmt: skip
    return envelope(items, NextToken=token, MaxResults=2, TotalCount=len(ids))


def test_list_all_never_yields_a_session_twice(bay: Any, fake: FakeService) -> None:
    """A service with offset tokens shifts a page when a session is created before it."""
    fake.reply("ListSession", page(["s1", "s2"], token="2"))
    fake.reply("ListSession", page(["s2", "s3"], token="4"))
    fake.reply("ListSession", page(["s4"]))
    assert [s.session_id for s in bay.list_all(page_size=2)] == ["s1", "s2", "s3", "s4"]


def test_list_all_stops_when_the_token_does_not_move(bay: Any, fake: FakeService) -> None:
    fake.reply("ListSession", page(["s1", "s2"], token="t"))
    fake.reply("ListSession", page(["s3", "s4"], token="t"))
    fake.reply("ListSession", page(["s5"], token="t"))  # never asked for
    assert [s.session_id for s in bay.list_all(page_size=2)] == ["s1", "s2", "s3", "s4"]
    assert fake.actions() == ["ListSession", "ListSession"]


def test_summaries_carry_what_list_session_returns(bay: Any, fake: FakeService) -> None:
    fake.reply("ListSession", page(["s1"]))
    (summary,) = bay.list_all()
    assert (summary.session_id, summary.status, summary.image_id, summary.app_instance_id) == (
        "s1",
        "RUNNING",
        "linux_latest",
        "ai-s1",
    )
