"""agentbay_local: a local AgentBay server that speaks the cloud's wire protocol.

Point any AgentBay SDK at it (`AGENTBAY_ENDPOINT=http://127.0.0.1:PORT`) to run sessions on this
machine. State (API keys, sessions, labels, contexts) lives in SQLite in a state directory, session files under
`<state_dir>/sessions/<id>`.

```python
from agentbay_local import LocalServer

with LocalServer("/tmp/agentbay-state", api_keys=["akm-test"]) as server:
    print(server.endpoint)
```

This package never imports the `agentbay` SDK: it is the other end of the wire.
"""

from ._app import MAX_BODY_BYTES, create_app
from ._server import LocalServer, run
from ._tools import TOOL_HANDLERS, ToolHandler

__all__ = ["MAX_BODY_BYTES", "TOOL_HANDLERS", "LocalServer", "ToolHandler", "create_app", "run"]
