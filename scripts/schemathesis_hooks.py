"""schemathesis hooks for scripts/fuzz_server.py: real credentials and session ids in generated bodies.

Without them nearly every case would stop at NOT_LOGIN or InvalidMcpSession.NotFound; with them the
cases reach the actions' own parsing, which is what the fuzzing is for. Bad keys and unknown sessions
are covered by tests/local.
"""

from __future__ import annotations

import os
import re
from typing import Any

import schemathesis

KEY = os.environ["AGENTBAY_FUZZ_KEY"]
SESSIONS = os.environ["AGENTBAY_FUZZ_SESSIONS"].split(",")


@schemathesis.hook
def map_body(ctx: Any, body: Any) -> Any:
    if isinstance(body, dict):
        # Only well-formed keys become the real one, so negative cases with a malformed one stay negative.
        if isinstance(body.get("Authorization"), str) and re.fullmatch(r"Bearer \S+", body["Authorization"]):
            body["Authorization"] = f"Bearer {KEY}"
        if "SessionId" in body and isinstance(body["SessionId"], str):
            # Spread the cases over the seeded sessions; a Release only ends one of them.
            body["SessionId"] = SESSIONS[len(body["SessionId"]) % len(SESSIONS)]
    return body
