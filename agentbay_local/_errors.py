"""POP-style error replies.

The official SDK turns any HTTP 4xx/5xx with a JSON body into `ClientException`/`ServerException`, and
fails with a JSON parse error on anything else (protocol.md section 5). So every failure here, even a
bug, becomes `{"RequestId","HostId","Code","Message","Recommend"}` JSON, never an HTML page.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A failure to report as a POP error reply: HTTP `status`, POP `code` and a human `message`."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def error_body(request_id: str, host_id: str, code: str, message: str) -> dict[str, Any]:
    """The JSON body of an error reply, in the gateway's field order."""
    return {"RequestId": request_id, "HostId": host_id, "Code": code, "Message": message, "Recommend": ""}


# The two texts below are the real gateway's (protocol.md section 5); the SDKs and users grep for them.
def not_login() -> ApiError:
    """A missing or unknown API key."""
    return ApiError(400, "NOT_LOGIN", "You are not logged in or your login token has expired")


def session_not_found() -> ApiError:
    """An unknown session, another key's session, or a deleted one: the caller cannot tell them apart."""
    return ApiError(400, "InvalidMcpSession.NotFound", "Resource [McpSession] is not found.")


def context_not_found() -> ApiError:
    """An unknown context or another key's: the caller cannot tell them apart. The real gateway's
    text for this case is not known; this one follows the McpSession text."""
    return ApiError(400, "InvalidContext.NotFound", "Resource [Context] is not found.")


def invalid_parameter(field: str, message: str) -> ApiError:
    """A present parameter with a bad value."""
    return ApiError(400, f"InvalidParameter.{field}", message)


def missing_parameter(field: str) -> ApiError:
    """A mandatory parameter that is absent or empty."""
    return ApiError(
        400,
        f"MissingParameter.{field}",
        f'The input parameter "{field}" that is mandatory for processing this request is not supplied.',
    )


def invalid_action(action: str) -> ApiError:
    """An Action this server does not implement."""
    return ApiError(400, "InvalidAction.NotFound", f"Specified api is not found: Action={action!r}.")
