"""Configuration precedence and validation; errors and retry decisions as pure functions."""

from __future__ import annotations

import random

import pytest

from agentbay import AgentBay, InvalidInputError
from agentbay._config import resolve_config
from agentbay._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    InvalidParameterError,
    NotFoundError,
    RateLimitError,
    ServerError,
    error_from_reply,
)
from agentbay._retry import MAX_DELAY, retry_delay


def test_a_missing_key_fails_at_construction_with_a_clear_message() -> None:
    with pytest.raises(InvalidInputError, match="AGENTBAY_API_KEY"):
        AgentBay()
    with pytest.raises(InvalidInputError):
        AgentBay(api_key="  ")


def test_argument_beats_environment_beats_default() -> None:
    env = {
        "AGENTBAY_API_KEY": "env-key",
        "AGENTBAY_ENDPOINT": "http://127.0.0.1:9000",
        "AGENTBAY_TIMEOUT": "5",
    }
    cfg = resolve_config(environ=env)
    assert (cfg.api_key, cfg.endpoint, cfg.timeout) == ("env-key", "http://127.0.0.1:9000", 5.0)
    cfg = resolve_config(api_key="arg", endpoint="http://h:1/", timeout=2, environ=env)
    assert (cfg.api_key, cfg.endpoint, cfg.timeout) == ("arg", "http://h:1", 2.0)
    cfg = resolve_config(api_key="k", environ={})
    assert cfg.endpoint == "https://agentbay.cn-hangzhou.aliyuncs.com"
    assert (cfg.region_id, cfg.max_retries) == ("cn-hangzhou", 2)


def test_region_gives_the_regional_endpoint() -> None:
    assert resolve_config(api_key="k", region_id="ap-southeast-1", environ={}).endpoint == (
        "https://agentbay.ap-southeast-1.aliyuncs.com"
    )
    env = {"AGENTBAY_REGION_ID": "cn-shanghai"}
    assert resolve_config(api_key="k", environ=env).endpoint == "https://agentbay.cn-shanghai.aliyuncs.com"
    # An explicit region argument beats an endpoint from the environment.
    env = {"AGENTBAY_ENDPOINT": "http://127.0.0.1:9000"}
    assert (
        resolve_config(api_key="k", region_id="cn-x", environ=env).endpoint
        == "https://agentbay.cn-x.aliyuncs.com"
    )


@pytest.mark.parametrize("source", ["argument", "environment"])
def test_an_endpoint_without_a_scheme_is_refused_with_a_clear_message(source: str) -> None:
    kwargs = {"endpoint": "127.0.0.1:9000"} if source == "argument" else {}
    environ = {"AGENTBAY_ENDPOINT": "127.0.0.1:9000"} if source == "environment" else {}
    with pytest.raises(
        InvalidInputError, match=r"full URL with its scheme.*http://127\.0\.0\.1:9000"
    ) as info:
        resolve_config(api_key="k", environ=environ, **kwargs)  # type: ignore[arg-type]
    assert ("AGENTBAY_ENDPOINT" in str(info.value)) == (source == "environment")
    assert resolve_config(api_key="k", endpoint="https://example.test:8443/", environ={}).endpoint == (
        "https://example.test:8443"
    )


@pytest.mark.parametrize(
    "kwargs",
    [{"endpoint": "ftp://x"}, {"timeout": 0}, {"timeout": "5"}, {"max_retries": -1}, {"max_retries": True}],
)
def test_bad_settings_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError):
        resolve_config(api_key="k", environ={}, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "value"), [("AGENTBAY_TIMEOUT", "soon"), ("AGENTBAY_MAX_RETRIES", "-2")])
def test_bad_environment_settings_are_refused(name: str, value: str) -> None:
    with pytest.raises(InvalidInputError, match=name):
        resolve_config(api_key="k", environ={name: value})


def test_environment_key_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTBAY_API_KEY", "secret-from-env")
    bay = AgentBay(endpoint="http://x")
    assert "secret-from-env" not in repr(bay) and "secret-from-env" not in repr(bay._config)
    bay.close()


@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        (400, b'{"Code":"NOT_LOGIN","Message":"m"}', AuthenticationError),
        (401, b'{"Code":"X","Message":"m"}', AuthenticationError),
        (400, b'{"Code":"InvalidMcpSession.NotFound"}', NotFoundError),
        (404, b"not json", NotFoundError),
        (400, b'{"Code":"InvalidParameter.Port"}', InvalidParameterError),
        (400, b'{"Code":"MissingParameter.SessionId"}', InvalidParameterError),
        (400, b'{"Code":"Throttling.User"}', RateLimitError),
        (429, b"", RateLimitError),
        (400, b'{"Code":"Odd"}', APIError),
        (503, b'{"Code":"ServiceUnavailable"}', ServerError),
        (502, b"<html>x</html>", ServerError),
        (200, b"[1]", ServerError),
        (200, b'{"Success":false,"Code":"X","HttpStatusCode":500}', ServerError),
    ],
)
def test_error_from_reply_classifies(status: int, body: bytes, cls: type) -> None:
    err = error_from_reply("GetLabel", status, body, {})
    assert type(err) is cls
    assert err.http_status == status and err.action == "GetLabel"


def test_error_text_is_useful() -> None:
    err = error_from_reply("GetLabel", 400, b'{"Code":"NOT_LOGIN","Message":"log in","RequestId":"R1"}', {})
    assert str(err) == "[NOT_LOGIN] log in (action=GetLabel, http_status=400, request_id=R1)"
    empty = error_from_reply("GetLabel", 502, b"", {})
    assert "empty body" in str(empty)


def test_retry_policy() -> None:
    rand = random.Random(1)
    server, conn, timeout = ServerError("x"), APIConnectionError("x"), APITimeoutError("x")
    assert retry_delay(server, attempt=0, max_retries=2, retry_safe=True, sent=True, rand=rand) is not None
    assert retry_delay(server, attempt=2, max_retries=2, retry_safe=True, sent=True) is None
    assert retry_delay(server, attempt=0, max_retries=2, retry_safe=False, sent=True) is None
    assert retry_delay(conn, attempt=0, max_retries=2, retry_safe=False, sent=False) is not None
    assert retry_delay(timeout, attempt=0, max_retries=2, retry_safe=False, sent=True) is None
    assert retry_delay(APIError("x"), attempt=0, max_retries=2, retry_safe=True, sent=True) is None
    assert (
        retry_delay(RateLimitError("x", retry_after=3), attempt=0, max_retries=2, retry_safe=True, sent=True)
        == 3
    )
    delays = [
        retry_delay(server, attempt=a, max_retries=99, retry_safe=True, sent=True, rand=rand)
        for a in range(10)
    ]
    assert all(d is not None and 0 < d <= MAX_DELAY for d in delays)
    assert delays[-1] is not None and delays[-1] >= MAX_DELAY / 2, "backoff grows to its cap"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "plain",
        "a b+c%20/=?&",
        "Bearer akm-test-key-0001",
        '{"content": "héllo wörld 你好 ✓", "mode": "append"}',
        "".join(chr(c) for c in range(1, 400)),
        "x" * 1000 + "+/=" * 300,
    ],
)
def test_form_encoding_is_what_the_official_sdk_sends(value: str) -> None:
    from urllib.parse import urlencode

    from agentbay._wire import encode_form

    # The official SDK's body is urlencode(form): str() of each value, so `VpcResource=False`.
    fields = {"Authorization": "Bearer k", "Args": value, "Flag": True, "Off": False, "Count": 10}
    assert encode_form(fields) == urlencode(fields).encode("ascii")
    assert encode_form({"VpcResource": False}) == b"VpcResource=False"
