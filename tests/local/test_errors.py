"""Bad input of every kind: always a JSON 4xx with the right code, never a 5xx."""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Iterator

import httpx
import pytest

from agentbay_local import MAX_BODY_BYTES

from ._wire import KEY, Wire, check_error, pop_query

VALID_ARGS = '{"command": "ls", "timeout_ms": 1000}'


@pytest.mark.parametrize(
    ("form", "code", "message_part"),
    [
        ({"Labels": "{bad"}, "InvalidParameter.Labels", "not valid JSON"),
        ({"Labels": '["a", "b"]'}, "InvalidParameter.Labels", "JSON object"),
        ({"Labels": "null"}, "InvalidParameter.Labels", "JSON object"),
        ({"Labels": '{"a": 1}'}, "InvalidParameter.Labels", "strings"),
        ({"Labels": '{"a": null}'}, "InvalidParameter.Labels", "strings"),
        ({"Labels": '{"": "x"}'}, "InvalidParameter.Labels", "empty"),
        ({"Labels": "[" * 100_000}, "InvalidParameter.Labels", "JSON"),
        ({"ImageId": "windows_latest"}, "InvalidParameter.ImageId", "cannot run on the local server"),
        ({"ImageId": "browser_latest" * 1000}, "InvalidParameter.ImageId", "cannot run"),
        ({"VpcResource": "True"}, "InvalidParameter.VpcResource", "VPC sessions are not supported"),
        ({"VpcResource": "true"}, "InvalidParameter.VpcResource", "not supported"),
        ({"VpcResource": "yes"}, "InvalidParameter.VpcResource", "true or false"),
        ({"Timeout": "-5"}, "InvalidParameter.Timeout", "integer"),
        ({"MaxRuntime": "1e9"}, "InvalidParameter.MaxRuntime", "integer"),
        ({"ManualRelease": "1"}, "InvalidParameter.ManualRelease", "true or false"),
        ({"PersistenceDataList": "{}"}, "InvalidParameter.PersistenceDataList", "JSON list"),
        ({"PersistenceDataList": "[oops"}, "InvalidParameter.PersistenceDataList", "JSON"),
    ],
)
def test_create_bad_parameters(wire: Wire, form: dict[str, str], code: str, message_part: str) -> None:
    error = wire.error("CreateMcpSession", **form)
    assert error["Code"] == code
    assert message_part in error["Message"]
    assert wire.ok("ListSession")["TotalCount"] == 0  # nothing half-created


@pytest.mark.parametrize(
    "port",
    [
        "0",
        "70000",
        "65536",
        "abc",
        "",
        "-1",
        "8080.0",
        " 80",
        "9" * 5000,
        "\uff18\uff10",
    ],  # the last: fullwidth 80
)
def test_get_link_bad_port(wire: Wire, port: str) -> None:
    session_id = wire.create()
    error = wire.error("GetLink", SessionId=session_id, Port=port)
    assert error["Code"] == "InvalidParameter.Port"
    assert "1 and 65535" in error["Message"]


def test_get_link_bad_protocol(wire: Wire) -> None:
    session_id = wire.create()
    assert (
        wire.error("GetLink", SessionId=session_id, ProtocolType="ftp")["Code"]
        == "InvalidParameter.ProtocolType"
    )


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"Labels": "not json"}, "InvalidParameter.Labels"),
        ({"Labels": '"a string"'}, "InvalidParameter.Labels"),
        ({"Labels": '{"k": ["v"]}'}, "InvalidParameter.Labels"),
        ({"Labels": ""}, "MissingParameter.Labels"),
        ({}, "MissingParameter.Labels"),
    ],
)
def test_set_label_bad_labels(wire: Wire, form: dict[str, str], code: str) -> None:
    session_id = wire.create(Labels='{"keep": "me"}')
    assert wire.error("SetLabel", SessionId=session_id, **form)["Code"] == code
    assert wire.ok("GetLabel", SessionId=session_id)["Data"]["Labels"] == '{"keep": "me"}'


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"Name": "shell", "Args": "not json"}, "InvalidParameter.Args"),
        ({"Name": "shell", "Args": "[]"}, "InvalidParameter.Args"),
        ({"Name": "shell", "Args": '"{}"'}, "InvalidParameter.Args"),
        ({"Name": "shell", "Args": "1e999999"}, "InvalidParameter.Args"),
        ({"Name": "shell", "Args": "{" * 50_000}, "InvalidParameter.Args"),
        ({"Name": "shell"}, "MissingParameter.Args"),
        ({"Args": VALID_ARGS}, "MissingParameter.Name"),
        ({"Name": "", "Args": VALID_ARGS}, "MissingParameter.Name"),
        ({"Name": "shell", "Args": VALID_ARGS, "AutoGenSession": "maybe"}, "InvalidParameter.AutoGenSession"),
    ],
)
def test_call_mcp_tool_bad_parameters(wire: Wire, form: dict[str, str], code: str) -> None:
    session_id = wire.create()
    assert wire.error("CallMcpTool", SessionId=session_id, **form)["Code"] == code


@pytest.mark.parametrize(
    "action",
    [
        "GetSession",
        "GetSessionDetail",
        "GetMcpResource",
        "GetLink",
        "GetLabel",
        "SetLabel",
        "ReleaseMcpSession",
        "GetContextInfo",
    ],
)
@pytest.mark.parametrize("session_id", [None, ""])
def test_missing_session_id(wire: Wire, action: str, session_id: str | None) -> None:
    form = {} if session_id is None else {"SessionId": session_id}
    error = wire.error(action, **form)
    assert error["Code"] == "MissingParameter.SessionId"
    assert '"SessionId"' in error["Message"]


def test_list_mcp_tools_refuses_an_image_that_cannot_run(wire: Wire) -> None:
    assert wire.error("ListMcpTools", ImageId="mobile_latest")["Code"] == "InvalidParameter.ImageId"


@pytest.mark.parametrize("action", ["NoSuchAction", "BindContexts", "createmcpsession", "é" * 300])
def test_unknown_action(wire: Wire, action: str) -> None:
    assert wire.error(action)["Code"] == "InvalidAction.NotFound"


def test_missing_action(wire: Wire) -> None:
    assert wire.error(None)["Code"] == "MissingParameter.Action"


def test_wrong_version_and_format(wire: Wire) -> None:
    assert wire.error("ListSession", query={"Version": "2017-03-21"})["Code"] == "InvalidVersion"
    assert wire.error("ListSession", query={"Format": "xml"})["Code"] == "InvalidParameter.Format"

    # Timestamp and SignatureNonce are required, in the spec's forms, as POP requires them.
    assert wire.error("ListSession", query={"Timestamp": "yesterday"})["Code"] == "InvalidTimeStamp.Format"
    assert (
        wire.error("ListSession", query={"Timestamp": "2026-13-45T99:00:00Z"})["Code"]
        == "InvalidTimeStamp.Format"
    )
    assert (
        wire.error("ListSession", query={"SignatureNonce": ""})["Code"] == "InvalidParameter.SignatureNonce"
    )
    assert (
        wire.error("ListSession", query={"SignatureNonce": "XYZ"})["Code"]
        == "InvalidParameter.SignatureNonce"
    )
    response = wire.client.post(
        "/", params={"Action": "ListSession"}, data={"Authorization": f"Bearer {wire.key}"}
    )
    assert response.status_code == 400
    assert response.json()["Code"] == "MissingParameter.Timestamp"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])
def test_other_methods_are_405(wire: Wire, method: str) -> None:
    response = wire.client.request(method, "/", params=pop_query("ListSession"))
    assert response.status_code == 405
    if method != "HEAD":
        assert check_error(response, 405)["Code"] == "MethodNotAllowed"
    assert "POST" in response.headers["allow"]


def test_other_paths_are_404_json(wire: Wire) -> None:
    response = wire.client.post("/no/such/path", params=pop_query("ListSession"))
    assert check_error(response, 404)["Code"] == "InvalidPath.NotFound"


def test_oversized_body_with_content_length(wire: Wire) -> None:
    body = b"Authorization=Bearer+" + wire.key.encode() + b"&Labels=" + b"a" * MAX_BODY_BYTES
    response = wire.client.post(
        "/",
        params=pop_query("ListSession"),
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert check_error(response, 413)["Code"] == "RequestTooLarge"


def test_oversized_chunked_body(wire: Wire) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"Authorization=Bearer+" + wire.key.encode() + b"&Labels="
        for _ in range(17):
            yield b"a" * (1024 * 1024)

    response = wire.client.post("/", params=pop_query("ListSession"), content=chunks())
    assert "content-length" not in response.request.headers
    assert check_error(response, 413)["Code"] == "RequestTooLarge"


def test_a_body_just_under_the_limit_is_read(wire: Wire) -> None:
    session_id = wire.create()
    big = "x" * (MAX_BODY_BYTES - 1024)
    form = {
        "Authorization": f"Bearer {wire.key}",
        "SessionId": session_id,
        "Labels": json.dumps({"big": big}),
    }
    response = wire.client.post("/", params=pop_query("SetLabel"), data=form)
    assert response.status_code == 200, response.text[:200]
    assert json.loads(wire.ok("GetLabel", SessionId=session_id)["Data"]["Labels"]) == {"big": big}


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe\x00garbage",  # not UTF-8
        b"Authorization=Bearer+" + KEY.encode() + b"&Labels=%FF%FE",  # percent-encoded non-UTF-8
        b"&".join(b"f%d=1" % i for i in range(2000)),  # too many fields
    ],
)
def test_malformed_form(wire: Wire, body: bytes) -> None:
    response = wire.client.post(
        "/",
        params=pop_query("ListSession"),
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert check_error(response, 400)["Code"] == "InvalidParameter.Body"


def test_missing_content_type_is_tolerated(wire: Wire) -> None:
    response = wire.client.post(
        "/", params=pop_query("ListSession"), content=b"Authorization=Bearer+" + wire.key.encode()
    )
    assert "content-type" not in response.request.headers
    assert response.status_code == 200, response.text


def test_other_content_types_are_refused(wire: Wire) -> None:
    response = wire.client.post(
        "/", params=pop_query("ListSession"), json={"Authorization": f"Bearer {wire.key}"}
    )
    assert check_error(response, 415)["Code"] == "UnsupportedMediaType"


@pytest.mark.parametrize(
    "labels", ['{"\\ud800": "x"}', '{"k": "\\udfff"}', '{"nul": "a\\u0000b"}', '{"a\\u0000": "b"}']
)
@pytest.mark.parametrize("action", ["CreateMcpSession", "ListSession", "SetLabel"])
def test_labels_refuse_nul_and_unpaired_surrogates(wire: Wire, action: str, labels: str) -> None:
    """JSON allows them, but no label filter could match them: refused with a clear message."""
    session_id = wire.create()
    error = wire.error(action, SessionId=session_id, Labels=labels)
    assert error["Code"] == "InvalidParameter.Labels"
    assert "NUL" in error["Message"]


def test_random_junk_never_causes_a_5xx(wire: Wire) -> None:
    """A cheap fuzz: random fields and values on every action, always a JSON reply below 500."""
    session_id = wire.create()
    rng = random.Random(20251125)
    actions = [
        "CreateMcpSession", "ReleaseMcpSession", "DeleteSessionAsync", "GetSessionDetail", "GetSession",
        "GetMcpResource", "GetLink", "ListSession", "SetLabel", "GetLabel", "ListMcpTools", "CallMcpTool",
        "GetContext", "GetContextInfo",
    ]  # fmt: skip
    fields = ["SessionId", "Labels", "ImageId", "Port", "ProtocolType", "MaxResults", "NextToken", "Name", "Args",
              "VpcResource", "Status", "Timeout", "PersistenceDataList", "AllowCreate", "ContextId", "Path",
              "TaskType"]  # fmt: skip
    values = ["", "0", "-1", "99999999999999999999999999", "True", "null", "[]", "{}", '{"a": "b"}', '{"a": 1}',
              "\x00", "é✓🚀", "\ud7ff", "{" * 1000, '"x"', "1e309", "NaN", session_id, "linux_latest", "shell",
              "%", "&=&", " "]  # fmt: skip
    for _ in range(400):
        form = {rng.choice(fields): rng.choice(values) for _ in range(rng.randint(0, 4))}
        form["Authorization"] = f"Bearer {wire.key}"
        response = wire.client.post("/", params=pop_query(rng.choice(actions)), data=form)
        assert response.status_code < 500, (form, response.text)
        assert isinstance(response.json(), dict)


def test_raw_bytes_never_cause_a_5xx(wire: Wire) -> None:
    rng = random.Random(7)
    for _ in range(100):
        body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
        response = wire.client.post(
            "/",
            params=pop_query("CreateMcpSession"),
            content=body,
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code < 500, (body, response.text)
        response.json()


def test_the_server_survives_a_dropped_connection(wire: Wire) -> None:
    with (
        httpx.Client(base_url=str(wire.client.base_url), timeout=0.05) as impatient,
        contextlib.suppress(httpx.HTTPError),
    ):
        impatient.post("/", params=pop_query("ListSession"), content=b"x" * (8 * 1024 * 1024))
    assert wire.ok("ListSession")["TotalCount"] == 0
