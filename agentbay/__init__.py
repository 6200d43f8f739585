"""agentbay: a fast, typed, offline-testable SDK for Alibaba Cloud Wuying AgentBay.

```python
from agentbay import AgentBay, CreateSessionParams

with AgentBay() as agent_bay:  # AGENTBAY_API_KEY from the environment
    with agent_bay.create(CreateSessionParams(labels={"project": "demo"})).unwrap() as session:
        print(session.get_link())
```

`AsyncAgentBay` and `AsyncSession` are the same API with ``await``.
"""

from ._async._client import AsyncAgentBay
from ._async._command import AsyncCommand
from ._async._contexts import AsyncContextService
from ._async._filesystem import AsyncFileSystem
from ._async._session import AsyncSession
from ._async._session_context import AsyncSessionContext
from ._command import CommandResult
from ._context_sync import (
    BWList,
    ContextInfoResult,
    ContextStatusData,
    ContextSync,
    ContextSyncResult,
    DeletePolicy,
    DownloadPolicy,
    DownloadStrategy,
    ExtractPolicy,
    Lifecycle,
    MappingPolicy,
    RecyclePolicy,
    SyncPolicy,
    UploadMode,
    UploadPolicy,
    UploadStrategy,
    WhiteList,
)
from ._contexts import (
    Context,
    ContextFileEntry,
    ContextFileListResult,
    ContextListParams,
    ContextListResult,
    ContextResult,
    FileUrlResult,
)
from ._exceptions import (
    AgentBayError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    CommandTimeoutError,
    ContextSyncError,
    InvalidInputError,
    InvalidParameterError,
    NonZeroExitError,
    NoSuchFileError,
    NotFoundError,
    RateLimitError,
    ServerError,
    SessionClosedError,
    ToolError,
    TransportError,
)
from ._files import (
    BinaryFileContentResult,
    BoolResult,
    DirectoryEntry,
    DirectoryListResult,
    FileContentResult,
    FileInfo,
    FileInfoResult,
    FileSearchResult,
    FileTransferResult,
    MultipleFileContentResult,
)
from ._sync._client import AgentBay
from ._sync._command import Command
from ._sync._contexts import ContextService
from ._sync._filesystem import FileSystem
from ._sync._session import Session
from ._sync._session_context import SessionContext
from ._types import (
    ApiResult,
    CreateSessionParams,
    DeleteResult,
    McpTool,
    McpToolsResult,
    OperationResult,
    SessionInfo,
    SessionListResult,
    SessionResult,
    SessionSummary,
)
from ._version import __version__

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AgentBay",
    "AgentBayError",
    "ApiResult",
    "AsyncAgentBay",
    "AsyncCommand",
    "AsyncContextService",
    "AsyncFileSystem",
    "AsyncSession",
    "AsyncSessionContext",
    "AuthenticationError",
    "BWList",
    "BinaryFileContentResult",
    "BoolResult",
    "Command",
    "CommandResult",
    "CommandTimeoutError",
    "Context",
    "ContextFileEntry",
    "ContextFileListResult",
    "ContextInfoResult",
    "ContextListParams",
    "ContextListResult",
    "ContextResult",
    "ContextService",
    "ContextStatusData",
    "ContextSync",
    "ContextSyncError",
    "ContextSyncResult",
    "CreateSessionParams",
    "DeletePolicy",
    "DeleteResult",
    "DirectoryEntry",
    "DirectoryListResult",
    "DownloadPolicy",
    "DownloadStrategy",
    "ExtractPolicy",
    "FileContentResult",
    "FileInfo",
    "FileInfoResult",
    "FileSearchResult",
    "FileSystem",
    "FileTransferResult",
    "FileUrlResult",
    "InvalidInputError",
    "InvalidParameterError",
    "Lifecycle",
    "MappingPolicy",
    "McpTool",
    "McpToolsResult",
    "MultipleFileContentResult",
    "NoSuchFileError",
    "NonZeroExitError",
    "NotFoundError",
    "OperationResult",
    "RateLimitError",
    "RecyclePolicy",
    "ServerError",
    "Session",
    "SessionClosedError",
    "SessionContext",
    "SessionInfo",
    "SessionListResult",
    "SessionResult",
    "SessionSummary",
    "SyncPolicy",
    "ToolError",
    "TransportError",
    "UploadMode",
    "UploadPolicy",
    "UploadStrategy",
    "WhiteList",
    "__version__",
]

# Show the public path in reprs and tracebacks (httpx does the same).
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = "agentbay"
del _name, _obj
