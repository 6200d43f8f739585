"""Session lifecycle, info, links and labels, at the wire level.

The expected `Data` field names are those of the replies captured with the official SDKs
(shared/wire/ops/<Action>.json), which those SDKs parse successfully.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from agentbay_local import LocalServer

from ._wire import Wire

CREATE_DATA = {"SessionId", "ResourceUrl", "AppInstanceId", "ResourceId", "Success", "ErrMsg"}
GET_SESSION_DATA = {
    "SessionId",
    "ImageId",  # ours: the cloud's GetSession does not say which image runs
    "AppInstanceId",
    "ResourceId",
    "ResourceUrl",
    "Success",
    "Status",
    "VpcResource",
    "HttpPort",
    "NetworkInterfaceIp",
    "Token",
}
MCP_RESOURCE_DATA = {"SessionId", "ResourceUrl", "DesktopInfo"}
DESKTOP_INFO = {"AppId", "AuthCode", "ConnectionProperties", "ResourceId", "ResourceType", "Ticket"}
# Fields that reroute the official SDK to side channels the local server does not have.
ROUTING_TRAPS = {"LinkUrl", "ToolList", "WsUrl"}

OFFICIAL_0_22_3_EXTRAS = {
    "LoginRegionId": "cn-hangzhou",
    "SdkStats": '{"source":"sdk","sdk_language":"python","sdk_version":"0.22.3","is_release":true,"framework":""}',
    "Timeout": "300",
    "MaxRuntime": "3600",
    "ManualRelease": "True",
    "EnableRecord": "False",
    "McpPolicyId": "policy-1",
    # {ctx}: a context of the caller's, made by the test (another id is refused: test_contexts.py).
    "PersistenceDataList": '[{{"ContextId":"{ctx}","Path":"/home/wuying/data","Policy":"{{}}"}}]',
}


def test_create_reply_has_the_captured_shape(wire: Wire, server: LocalServer) -> None:
    body = wire.ok(
        "CreateMcpSession",
        ImageId="linux_latest",
        Labels='{"project": "demo", "env": "test"}',
        VpcResource="False",
    )
    assert set(body) == {"Code", "HttpStatusCode", "Message", "RequestId", "Success", "Data"}
    data = body["Data"]
    assert set(data) == CREATE_DATA
    session_id = data["SessionId"]
    assert re.fullmatch(r"session-[0-9a-f]{20}", session_id)
    assert data["ResourceUrl"] == f"{server.endpoint}/sessions/{session_id}/"
    assert data["AppInstanceId"].startswith("ai-")
    assert data["ResourceId"].startswith("p-")
    assert (data["Success"], data["ErrMsg"]) == (True, "")
    assert not ROUTING_TRAPS & data.keys()


def test_create_makes_the_session_directories(wire: Wire, server: LocalServer) -> None:
    session_id = wire.create()
    assert (server.state_dir / "sessions" / session_id / "home" / "wuying").is_dir()
    assert (server.state_dir / "sessions" / session_id / "tmp").is_dir()


def test_create_ids_are_unique(wire: Wire) -> None:
    assert len({wire.create() for _ in range(20)}) == 20


@pytest.mark.parametrize(
    "form",
    [
        pytest.param({"VpcResource": "False"}, id="0.8-no-params"),
        pytest.param({"VpcResource": "false", "ImageId": "code_latest"}, id="code_latest"),
        pytest.param(OFFICIAL_0_22_3_EXTRAS, id="0.22.3-extras"),
        pytest.param({"ImageId": ""}, id="empty-image-is-default"),
    ],
)
def test_create_accepts_what_the_sdks_send(wire: Wire, form: dict[str, str]) -> None:
    if "PersistenceDataList" in form:
        context_id = wire.ok("GetContext", Name="data", AllowCreate="True")["Data"]["Id"]
        form = {**form, "PersistenceDataList": form["PersistenceDataList"].format(ctx=context_id)}
    session_id = wire.create(**form)
    assert wire.ok("GetSession", SessionId=session_id)["Data"]["Status"] == "RUNNING"


def test_create_defaults_to_linux_latest(wire: Wire) -> None:
    wire.create()
    wire.create(ImageId="code_latest")
    images = [item["ImageId"] for item in wire.ok("ListSession")["Data"]]
    assert images == ["linux_latest", "code_latest"]


def test_get_session(wire: Wire, server: LocalServer) -> None:
    created = wire.ok("CreateMcpSession")["Data"]
    data = wire.ok("GetSession", SessionId=created["SessionId"])["Data"]
    assert set(data) == GET_SESSION_DATA
    assert {key: data[key] for key in ("SessionId", "AppInstanceId", "ResourceId", "ResourceUrl")} == {
        key: created[key] for key in ("SessionId", "AppInstanceId", "ResourceId", "ResourceUrl")
    }
    # VpcResource true or a Token would switch the official SDK to the VPC tool channel.
    assert (data["Success"], data["Status"], data["VpcResource"], data["Token"]) == (
        True,
        "RUNNING",
        False,
        "",
    )
    assert (data["HttpPort"], data["NetworkInterfaceIp"]) == ("", "")
    assert data["ImageId"] == "linux_latest"  # the default image, when none was asked for


def test_get_session_names_the_image(wire: Wire) -> None:
    session_id = wire.create(ImageId="code_latest")
    assert wire.ok("GetSession", SessionId=session_id)["Data"]["ImageId"] == "code_latest"


def test_resource_url_answers(wire: Wire) -> None:
    session_id = wire.create()
    urls = {
        wire.ok("GetSession", SessionId=session_id)["Data"]["ResourceUrl"],
        wire.ok("GetMcpResource", SessionId=session_id)["Data"]["ResourceUrl"],
    }
    (url,) = urls
    got = httpx.get(url)
    assert got.status_code == 200, got.text
    assert got.json()["SessionId"] == session_id and got.json()["Status"] == "RUNNING"
    wire.ok("ReleaseMcpSession", SessionId=session_id)
    assert httpx.get(url).status_code == 404


def test_get_mcp_resource(wire: Wire, server: LocalServer) -> None:
    session_id = wire.create()
    data = wire.ok("GetMcpResource", SessionId=session_id)["Data"]
    assert set(data) == MCP_RESOURCE_DATA
    assert set(data["DesktopInfo"]) == DESKTOP_INFO
    assert data["SessionId"] == session_id
    assert data["ResourceUrl"] == f"{server.endpoint}/sessions/{session_id}/"
    assert data["DesktopInfo"]["ResourceType"] == "AIAgent"
    assert data["DesktopInfo"]["ConnectionProperties"] == "{}"
    assert (
        data["DesktopInfo"]["ResourceId"] == wire.ok("GetSession", SessionId=session_id)["Data"]["ResourceId"]
    )


@pytest.mark.parametrize(
    ("form", "url"),
    [
        ({}, "http://{host}/sessions/{id}/"),
        ({"ProtocolType": "http"}, "http://{host}/sessions/{id}/"),
        ({"Port": "30150"}, "http://{host}/sessions/{id}/ports/30150/"),
        ({"Port": "1"}, "http://{host}/sessions/{id}/ports/1/"),
        ({"Port": "65535", "ProtocolType": "HTTP"}, "http://{host}/sessions/{id}/ports/65535/"),
        ({"ProtocolType": "ws", "Port": "9000"}, "ws://{host}/sessions/{id}/ports/9000/"),
        ({"ProtocolType": "ws"}, "ws://{host}/sessions/{id}/"),
        ({"Option": '{"x": 1}'}, "http://{host}/sessions/{id}/"),
    ],
)
def test_get_link(wire: Wire, server: LocalServer, form: dict[str, str], url: str) -> None:
    session_id = wire.create()
    data = wire.ok("GetLink", SessionId=session_id, **form)["Data"]
    host = server.endpoint.removeprefix("http://")
    assert data == {"Url": url.format(host=host, id=session_id)}


def test_get_link_url_answers(wire: Wire) -> None:
    session_id = wire.create()
    url = wire.ok("GetLink", SessionId=session_id)["Data"]["Url"]
    assert httpx.get(url).json()["SessionId"] == session_id


@pytest.mark.parametrize("protocol", ["https", "wss", "HTTPS", "ftp"])
def test_get_link_refuses_what_a_plain_http_server_cannot_serve(wire: Wire, protocol: str) -> None:
    """An https link to a server without TLS would not work: refused, naming what is served."""
    session_id = wire.create()
    error = wire.error("GetLink", SessionId=session_id, ProtocolType=protocol, Port="8080")
    assert error["Code"] == "InvalidParameter.ProtocolType"
    assert "http and ws" in error["Message"] and "plain HTTP" in error["Message"]


def test_links_behind_a_tls_proxy_are_https(tmp_path: Path) -> None:
    """With an https public URL (a TLS proxy in front), https and wss links are the ones served."""
    with (
        LocalServer(tmp_path, api_keys=["k"], public_url="https://bay.example") as server,
        httpx.Client(base_url=server.endpoint) as client,
    ):
        wire = Wire(client, "k")
        session_id = wire.create()
        link = wire.ok("GetLink", SessionId=session_id, ProtocolType="https", Port="80")["Data"]
        assert link["Url"] == f"https://bay.example/sessions/{session_id}/ports/80/"
        default = wire.ok("GetLink", SessionId=session_id)["Data"]["Url"]
        assert default == f"https://bay.example/sessions/{session_id}/"
        ws = wire.ok("GetLink", SessionId=session_id, ProtocolType="wss")["Data"]["Url"]
        assert ws == f"wss://bay.example/sessions/{session_id}/"
        error = wire.error("GetLink", SessionId=session_id, ProtocolType="http")
        assert "https and wss" in error["Message"]


def test_labels_round_trip_and_replace(wire: Wire) -> None:
    session_id = wire.create(Labels='{"project": "demo"}')
    assert json.loads(wire.ok("GetLabel", SessionId=session_id)["Data"]["Labels"]) == {"project": "demo"}

    body = wire.ok("SetLabel", SessionId=session_id, Labels='{"owner": "me", "env": "test"}')
    assert "Data" not in body
    data = wire.ok("GetLabel", SessionId=session_id)["Data"]
    assert set(data) == {"Labels"}
    assert isinstance(data["Labels"], str)  # a JSON string, as the SDKs expect
    assert json.loads(data["Labels"]) == {"owner": "me", "env": "test"}  # replaced, not merged

    wire.ok("SetLabel", SessionId=session_id, Labels="{}")
    assert json.loads(wire.ok("GetLabel", SessionId=session_id)["Data"]["Labels"]) == {}


def test_labels_default_to_empty(wire: Wire) -> None:
    session_id = wire.create()
    assert json.loads(wire.ok("GetLabel", SessionId=session_id)["Data"]["Labels"]) == {}


def test_labels_keep_unicode(wire: Wire) -> None:
    labels = {"名前": "値 ✓", "emoji": "🚀", "quote": "\"'\\"}
    session_id = wire.create(Labels=json.dumps(labels, ensure_ascii=False))
    assert json.loads(wire.ok("GetLabel", SessionId=session_id)["Data"]["Labels"]) == labels


@pytest.mark.parametrize("action", ["ReleaseMcpSession", "DeleteSessionAsync"])
def test_delete_finishes_the_session(wire: Wire, action: str) -> None:
    session_id = wire.create()
    kept = wire.create()
    body = wire.ok(action, SessionId=session_id)
    assert "Data" not in body

    detail = wire.ok("GetSessionDetail", query={"SessionId": session_id})["Data"]
    assert detail == {"Status": "FINISH", "SessionId": session_id}
    for other_action, form in [
        ("GetSession", {}),
        ("GetMcpResource", {}),
        ("GetLink", {}),
        ("GetLabel", {}),
        ("SetLabel", {"Labels": "{}"}),
        ("RefreshSessionIdleTime", {}),
        ("CallMcpTool", {"Name": "shell", "Args": '{"command": "true", "timeout_ms": 1000}'}),
        ("GetContextInfo", {}),
        ("ReleaseMcpSession", {}),
        ("DeleteSessionAsync", {}),
    ]:
        error = wire.error(other_action, SessionId=session_id, **form)
        assert error["Code"] == "InvalidMcpSession.NotFound", other_action
    assert [item["SessionId"] for item in wire.ok("ListSession")["Data"]] == [kept]
    assert wire.ok("GetSession", SessionId=kept)["Data"]["Status"] == "RUNNING"


def test_get_session_detail_reads_the_query_or_the_form(wire: Wire) -> None:
    session_id = wire.create()
    expected = {"Status": "RUNNING", "SessionId": session_id}
    assert wire.ok("GetSessionDetail", query={"SessionId": session_id})["Data"] == expected
    assert wire.ok("GetSessionDetail", SessionId=session_id)["Data"] == expected


def test_refresh_session_idle_time(wire: Wire) -> None:
    session_id = wire.create()
    assert "Data" not in wire.ok("RefreshSessionIdleTime", SessionId=session_id)


@pytest.mark.parametrize(
    ("action", "form"),
    [
        ("GetSession", {}),
        ("GetSessionDetail", {}),
        ("GetMcpResource", {}),
        ("GetLink", {}),
        ("GetLabel", {}),
        ("SetLabel", {"Labels": '{"a": "b"}'}),
        ("ReleaseMcpSession", {}),
        ("DeleteSessionAsync", {}),
        ("RefreshSessionIdleTime", {}),
        ("CallMcpTool", {"Name": "shell", "Args": "{}"}),
        ("GetContextInfo", {"ContextId": "SdkCtx-0000000000000000"}),
    ],
)
@pytest.mark.parametrize(
    "session_id", ["session-00000000000000000000", "x", "../../etc", "session-" + "é" * 50]
)
def test_unknown_session_is_not_found(wire: Wire, action: str, form: dict[str, str], session_id: str) -> None:
    error = wire.error(action, SessionId=session_id, **form)
    assert (error["Code"], error["Message"]) == (
        "InvalidMcpSession.NotFound",
        "Resource [McpSession] is not found.",
    )
