"""A raw POP client for the local server: plain httpx, the request line and form body of protocol.md."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

KEY = "akm-test-key-0001"
OTHER_KEY = "akm-test-key-0002"

ENVELOPE_KEYS = {"Code", "HttpStatusCode", "Message", "RequestId", "Success"}
ERROR_KEYS = {"RequestId", "HostId", "Code", "Message", "Recommend"}


def pop_query(action: str | None, **extra: str) -> dict[str, str]:
    """The query string the official SDK sends, in its order."""
    query = {} if action is None else {"Action": action}
    query.update(
        {
            "Format": "json",
            "Version": "2025-05-06",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "SignatureNonce": uuid.uuid4().hex,
        }
    )
    query.update(extra)
    return query


class Wire:
    """Sends one action at a time and checks the envelope of the reply."""

    def __init__(self, client: httpx.Client, key: str = KEY, other_key: str = OTHER_KEY) -> None:
        self.client = client
        self.key = key
        self.other_key = other_key

    def post(
        self,
        action: str | None,
        *,
        key: str | None = None,
        anonymous: bool = False,
        query: dict[str, str] | None = None,
        **form: str,
    ) -> httpx.Response:
        """`POST /?Action=...` with `Authorization=Bearer <key>` (this wire's key by default; none if
        `anonymous`) and `form`."""
        body = dict(form)
        if not anonymous:
            body.setdefault("Authorization", f"Bearer {key or self.key}")
        return self.client.post("/", params=pop_query(action, **(query or {})), data=body)

    def ok(self, action: str, **kwargs: Any) -> dict[str, Any]:
        """The body of a successful reply, after checking the success envelope."""
        response = self.post(action, **kwargs)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        body: dict[str, Any] = response.json()
        assert body.keys() >= ENVELOPE_KEYS
        assert body["Success"] is True
        assert (body["Code"], body["HttpStatusCode"], body["Message"]) == ("ok", 200, "success")
        uuid.UUID(body["RequestId"])
        return body

    def error(self, action: str | None, **kwargs: Any) -> dict[str, Any]:
        """The body of a 400 reply, after checking its POP error shape (`check_error` for others)."""
        return check_error(self.post(action, **kwargs), 400)

    def create(self, **form: str) -> str:
        """A new session's id."""
        session_id: str = self.ok("CreateMcpSession", **form)["Data"]["SessionId"]
        return session_id


def check_error(response: httpx.Response, status: int) -> dict[str, Any]:
    """The body of a POP error reply with this status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == ERROR_KEYS
    assert body["HostId"] == "127.0.0.1"
    uuid.UUID(body["RequestId"])
    assert body["Message"]
    return body
