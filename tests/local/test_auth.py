"""API keys: NOT_LOGIN for a missing or unknown key, and each key seeing only its own sessions."""

from __future__ import annotations

import pytest

from ._wire import Wire, check_error, pop_query

NOT_LOGIN = ("NOT_LOGIN", "You are not logged in or your login token has expired")


@pytest.mark.parametrize(
    "action", ["CreateMcpSession", "ListSession", "ListMcpTools", "GetLabel", "CallMcpTool"]
)
def test_missing_key(wire: Wire, action: str) -> None:
    error = wire.error(action, anonymous=True, SessionId="session-00000000000000000000")
    assert (error["Code"], error["Message"]) == NOT_LOGIN


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer akm-unknown",
        "Bearer ",
        "Bearer",
        "",
        "{key}",  # no scheme
        "Basic {key}",
        "bearer {key}",
        "Bearer{key}",
        "Bearer {key} ",
        "Bearer  {key}",
        "Bearer {key}x",
        "Bearer {short}",
    ],
)
def test_unknown_key(wire: Wire, authorization: str) -> None:
    value = authorization.format(key=wire.key, short=wire.key[:-1])
    error = wire.error("CreateMcpSession", anonymous=True, Authorization=value)
    assert (error["Code"], error["Message"]) == NOT_LOGIN
    assert wire.ok("ListSession")["TotalCount"] == 0  # nothing was created


def test_key_in_the_query_string(wire: Wire) -> None:
    """SyncContext puts Authorization in the query; every action accepts it there."""
    session_id = wire.create()
    response = wire.client.post(
        "/", params=pop_query("GetLabel", Authorization=f"Bearer {wire.key}"), data={"SessionId": session_id}
    )
    assert response.status_code == 200, response.text
    assert response.json()["Data"]["Labels"] == "{}"


def test_form_key_wins_over_the_query(wire: Wire) -> None:
    response = wire.client.post(
        "/",
        params=pop_query("ListSession", Authorization=f"Bearer {wire.key}"),
        data={"Authorization": "Bearer akm-unknown"},
    )
    assert check_error(response, 400)["Code"] == "NOT_LOGIN"


def test_each_key_sees_only_its_own_sessions(wire: Wire) -> None:
    mine = wire.create(Labels='{"project": "demo"}')
    theirs = wire.create(key=wire.other_key, Labels='{"project": "demo"}')

    assert [s["SessionId"] for s in wire.ok("ListSession")["Data"]] == [mine]
    assert [
        s["SessionId"]
        for s in wire.ok("ListSession", key=wire.other_key, Labels='{"project": "demo"}')["Data"]
    ] == [theirs]
    for action, form in [
        ("GetSession", {}),
        ("GetSessionDetail", {}),
        ("GetMcpResource", {}),
        ("GetLink", {}),
        ("GetLabel", {}),
        ("SetLabel", {"Labels": '{"stolen": "yes"}'}),
        ("RefreshSessionIdleTime", {}),
        ("CallMcpTool", {"Name": "shell", "Args": "{}"}),
        ("ReleaseMcpSession", {}),
        ("GetContextInfo", {}),
        ("DeleteSessionAsync", {}),
    ]:
        error = wire.error(action, key=wire.other_key, SessionId=mine, **form)
        assert error["Code"] == "InvalidMcpSession.NotFound", action
    # The other key's attempts changed nothing.
    assert wire.ok("GetSession", SessionId=mine)["Data"]["Status"] == "RUNNING"
    assert wire.ok("GetLabel", SessionId=mine)["Data"]["Labels"] == '{"project": "demo"}'
