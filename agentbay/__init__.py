"""agentbay: a fast, typed, offline-testable SDK for Alibaba Cloud Wuying AgentBay.

```python
from agentbay import AgentBay, CreateSessionParams

with AgentBay() as agent_bay:  # AGENTBAY_API_KEY from the environment
    with agent_bay.create(CreateSessionParams(labels={"project": "demo"})).unwrap() as session:
        print(session.get_link())
```

`AsyncAgentBay` and `AsyncSession` are the same API with ``await``.
"""

import importlib
import sys
from typing import TYPE_CHECKING, Any

# `import httpx` also imports its own command line (httpx._main) whenever click, rich and pygments are
# installed, which they are with our `[cli]` extra: about 50 ms, a fifth of `import agentbay`, for a
# program nobody runs in this process. Marking that one module absent before httpx is first imported
# makes httpx take its own fallback (a `httpx.main` that says its extras are missing); the `httpx`
# command, which runs in its own process, is unaffected. When httpx is already imported, this is a no-op.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

from ._async._client import AsyncAgentBay
from ._async._command import AsyncCommand
from ._async._filesystem import AsyncFileSystem
from ._async._session import AsyncSession
from ._command import CommandResult
from ._exceptions import (
    AgentBayError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BrowserError,
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
from ._sync._filesystem import FileSystem
from ._sync._session import Session
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
from ._watch import FileChangeEvent, FileChangeResult, FileChangeType
from ._watchers import AsyncDirectoryWatcher, DirectoryWatcher

if TYPE_CHECKING:
    from ._application import (
        AppOperationResult,
        InstalledApp,
        InstalledAppListResult,
        Process,
        ProcessListResult,
    )
    from ._async._application import AsyncApplicationManager
    from ._async._browser import AsyncBrowser
    from ._async._code import AsyncCode
    from ._async._computer import AsyncComputer
    from ._async._contexts import AsyncContextService
    from ._async._oss import AsyncOss
    from ._async._session_context import AsyncSessionContext
    from ._async._ui import AsyncUI
    from ._async._window import AsyncWindowManager
    from ._browser import (
        BrowserContext,
        BrowserFingerprint,
        BrowserOption,
        BrowserProxy,
        BrowserScreen,
        BrowserSyncMode,
        BrowserViewport,
    )
    from ._code import CodeExecutionResult, ExecutionResult
    from ._computer import (
        CursorPositionResult,
        Key,
        MouseButton,
        ScreenshotImageResult,
        ScreenshotResult,
        ScreenSizeResult,
        ScrollDirection,
    )
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
    from ._oss import OSSClientResult, OSSDownloadResult, OSSUploadResult
    from ._sync._application import ApplicationManager
    from ._sync._browser import Browser
    from ._sync._code import Code
    from ._sync._computer import Computer
    from ._sync._contexts import ContextService
    from ._sync._oss import Oss
    from ._sync._session_context import SessionContext
    from ._sync._ui import UI
    from ._sync._window import WindowManager
    from ._ui import Bounds, KeyCode, UIElement, UIElementListResult
    from ._window import Window, WindowInfoResult, WindowListResult

# Contexts load on first use (PEP 562): they are about a third of `import agentbay`, and most
# programs never touch them.
_LAZY = {
    # ui and computer (the desktop's mouse, keyboard and screen) load on first use as well.
    "AsyncComputer": "._async._computer",
    "AsyncUI": "._async._ui",
    "Bounds": "._ui",
    "Computer": "._sync._computer",
    "CursorPositionResult": "._computer",
    "Key": "._computer",
    "KeyCode": "._ui",
    "MouseButton": "._computer",
    "ScreenSizeResult": "._computer",
    "ScreenshotImageResult": "._computer",
    "ScreenshotResult": "._computer",
    "ScrollDirection": "._computer",
    "UI": "._sync._ui",
    "UIElement": "._ui",
    "UIElementListResult": "._ui",
    # The desktop managers (application, window) load on first use too: most programs drive no desktop.
    "AppOperationResult": "._application",
    "ApplicationManager": "._sync._application",
    "AsyncApplicationManager": "._async._application",
    "AsyncWindowManager": "._async._window",
    "InstalledApp": "._application",
    "InstalledAppListResult": "._application",
    "Process": "._application",
    "ProcessListResult": "._application",
    "Window": "._window",
    "WindowInfoResult": "._window",
    "WindowListResult": "._window",
    "WindowManager": "._sync._window",
    # Object storage (session.oss) loads on first use as well.
    "AsyncOss": "._async._oss",
    "OSSClientResult": "._oss",
    "OSSDownloadResult": "._oss",
    "OSSUploadResult": "._oss",
    "Oss": "._sync._oss",
    # The browser (session.browser) loads on first use as well.
    "AsyncBrowser": "._async._browser",
    "Browser": "._sync._browser",
    "BrowserContext": "._browser",
    "BrowserFingerprint": "._browser",
    "BrowserOption": "._browser",
    "BrowserProxy": "._browser",
    "BrowserScreen": "._browser",
    "BrowserSyncMode": "._browser",
    "BrowserViewport": "._browser",
    # Code execution (session.code) loads on first use as well.
    "AsyncCode": "._async._code",
    "Code": "._sync._code",
    "CodeExecutionResult": "._code",
    "ExecutionResult": "._code",
    "AsyncContextService": "._async._contexts",
    "AsyncSessionContext": "._async._session_context",
    "BWList": "._context_sync",
    "Context": "._contexts",
    "ContextFileEntry": "._contexts",
    "ContextFileListResult": "._contexts",
    "ContextInfoResult": "._context_sync",
    "ContextListParams": "._contexts",
    "ContextListResult": "._contexts",
    "ContextResult": "._contexts",
    "ContextService": "._sync._contexts",
    "ContextStatusData": "._context_sync",
    "ContextSync": "._context_sync",
    "ContextSyncResult": "._context_sync",
    "DeletePolicy": "._context_sync",
    "DownloadPolicy": "._context_sync",
    "DownloadStrategy": "._context_sync",
    "ExtractPolicy": "._context_sync",
    "FileUrlResult": "._contexts",
    "Lifecycle": "._context_sync",
    "MappingPolicy": "._context_sync",
    "RecyclePolicy": "._context_sync",
    "SessionContext": "._sync._session_context",
    "SyncPolicy": "._context_sync",
    "UploadMode": "._context_sync",
    "UploadPolicy": "._context_sync",
    "UploadStrategy": "._context_sync",
    "WhiteList": "._context_sync",
}


__all__ = [  # noqa: RUF022 - plain sorted (`UI` is no constant), as test_parity checks
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AgentBay",
    "AgentBayError",
    "ApiResult",
    "AppOperationResult",
    "ApplicationManager",
    "AsyncAgentBay",
    "AsyncApplicationManager",
    "AsyncBrowser",
    "AsyncCode",
    "AsyncCommand",
    "AsyncComputer",
    "AsyncContextService",
    "AsyncDirectoryWatcher",
    "AsyncFileSystem",
    "AsyncOss",
    "AsyncSession",
    "AsyncSessionContext",
    "AsyncUI",
    "AsyncWindowManager",
    "AuthenticationError",
    "BWList",
    "BinaryFileContentResult",
    "BoolResult",
    "Bounds",
    "Browser",
    "BrowserContext",
    "BrowserError",
    "BrowserFingerprint",
    "BrowserOption",
    "BrowserProxy",
    "BrowserScreen",
    "BrowserSyncMode",
    "BrowserViewport",
    "Code",
    "CodeExecutionResult",
    "Command",
    "CommandResult",
    "CommandTimeoutError",
    "Computer",
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
    "CursorPositionResult",
    "DeletePolicy",
    "DeleteResult",
    "DirectoryEntry",
    "DirectoryListResult",
    "DirectoryWatcher",
    "DownloadPolicy",
    "DownloadStrategy",
    "ExecutionResult",
    "ExtractPolicy",
    "FileChangeEvent",
    "FileChangeResult",
    "FileChangeType",
    "FileContentResult",
    "FileInfo",
    "FileInfoResult",
    "FileSearchResult",
    "FileSystem",
    "FileTransferResult",
    "FileUrlResult",
    "InstalledApp",
    "InstalledAppListResult",
    "InvalidInputError",
    "InvalidParameterError",
    "Key",
    "KeyCode",
    "Lifecycle",
    "MappingPolicy",
    "McpTool",
    "McpToolsResult",
    "MouseButton",
    "MultipleFileContentResult",
    "NoSuchFileError",
    "NonZeroExitError",
    "NotFoundError",
    "OSSClientResult",
    "OSSDownloadResult",
    "OSSUploadResult",
    "OperationResult",
    "Oss",
    "Process",
    "ProcessListResult",
    "RateLimitError",
    "RecyclePolicy",
    "ScreenSizeResult",
    "ScreenshotImageResult",
    "ScreenshotResult",
    "ScrollDirection",
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
    "UI",
    "UIElement",
    "UIElementListResult",
    "UploadMode",
    "UploadPolicy",
    "UploadStrategy",
    "WhiteList",
    "Window",
    "WindowInfoResult",
    "WindowListResult",
    "WindowManager",
    "__version__",
]


# Show the public path in reprs and tracebacks (httpx does the same).
def _publish(obj: Any) -> Any:
    if isinstance(obj, type):
        obj.__module__ = "agentbay"
    return obj


for _name in __all__:
    if _name not in _LAZY:
        _publish(globals()[_name])
del _name


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = _publish(getattr(importlib.import_module(module, __name__), name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
