"""Contains all the data models used in inputs/outputs.

Loaded lazily (PEP 562): importing this package loads no model module; `from .models import X` (or
`models.X`) loads the module of X alone. With over a hundred attrs classes, loading them all cost
`import agentbay` more than the rest of the SDK together.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .authorized import Authorized
    from .browser_option import BrowserOption
    from .browser_option_browser_type import BrowserOptionBrowserType
    from .browser_option_fingerprint import BrowserOptionFingerprint
    from .browser_option_fingerprint_devices_item import (
        BrowserOptionFingerprintDevicesItem,
    )
    from .browser_option_fingerprint_operating_systems_item import (
        BrowserOptionFingerprintOperatingSystemsItem,
    )
    from .browser_proxy import BrowserProxy
    from .browser_proxy_strategy import BrowserProxyStrategy
    from .browser_proxy_type import BrowserProxyType
    from .browser_size import BrowserSize
    from .call_mcp_tool_data import CallMcpToolData
    from .call_mcp_tool_request import CallMcpToolRequest
    from .call_mcp_tool_response import CallMcpToolResponse
    from .click_args import ClickArgs
    from .click_args_button import ClickArgsButton
    from .click_mouse_args import ClickMouseArgs
    from .click_mouse_args_button import ClickMouseArgsButton
    from .context_data import ContextData
    from .context_file_data import ContextFileData
    from .context_file_request import ContextFileRequest
    from .create_mcp_session_data import CreateMcpSessionData
    from .create_mcp_session_request import CreateMcpSessionRequest
    from .create_mcp_session_response import CreateMcpSessionResponse
    from .delete_context_request import DeleteContextRequest
    from .describe_context_files_request import DescribeContextFilesRequest
    from .describe_context_files_response import DescribeContextFilesResponse
    from .desktop_info import DesktopInfo
    from .drag_mouse_args import DragMouseArgs
    from .drag_mouse_args_button import DragMouseArgsButton
    from .edit_file_args import EditFileArgs
    from .edit_file_args_edits_item import EditFileArgsEditsItem
    from .error_response import ErrorResponse
    from .file_url_data import FileUrlData
    from .focus_mode_args import FocusModeArgs
    from .get_and_load_internal_context_request import GetAndLoadInternalContextRequest
    from .get_and_load_internal_context_request_context_types_1 import (
        GetAndLoadInternalContextRequestContextTypes1,
    )
    from .get_and_load_internal_context_response import (
        GetAndLoadInternalContextResponse,
    )
    from .get_cdp_link_data import GetCdpLinkData
    from .get_cdp_link_response import GetCdpLinkResponse
    from .get_context_file_download_url_response import (
        GetContextFileDownloadUrlResponse,
    )
    from .get_context_file_upload_url_response import GetContextFileUploadUrlResponse
    from .get_context_info_data import GetContextInfoData
    from .get_context_info_request import GetContextInfoRequest
    from .get_context_info_request_task_type import GetContextInfoRequestTaskType
    from .get_context_info_response import GetContextInfoResponse
    from .get_context_request import GetContextRequest
    from .get_context_response import GetContextResponse
    from .get_file_change_args import GetFileChangeArgs
    from .get_installed_apps_args import GetInstalledAppsArgs
    from .get_label_data import GetLabelData
    from .get_label_request import GetLabelRequest
    from .get_label_response import GetLabelResponse
    from .get_link_data import GetLinkData
    from .get_link_request import GetLinkRequest
    from .get_link_response import GetLinkResponse
    from .get_mcp_resource_data import GetMcpResourceData
    from .get_mcp_resource_response import GetMcpResourceResponse
    from .get_session_data import GetSessionData
    from .get_session_response import GetSessionResponse
    from .init_browser_data import InitBrowserData
    from .init_browser_request import InitBrowserRequest
    from .init_browser_response import InitBrowserResponse
    from .input_text_args import InputTextArgs
    from .internal_context_data import InternalContextData
    from .list_contexts_request import ListContextsRequest
    from .list_contexts_response import ListContextsResponse
    from .list_mcp_tools_request import ListMcpToolsRequest
    from .list_mcp_tools_response import ListMcpToolsResponse
    from .list_session_request import ListSessionRequest
    from .list_session_response import ListSessionResponse
    from .mcp_content import McpContent
    from .modify_context_request import ModifyContextRequest
    from .move_file_args import MoveFileArgs
    from .move_mouse_args import MoveMouseArgs
    from .no_args import NoArgs
    from .oss_env_init_args import OssEnvInitArgs
    from .oss_object_args import OssObjectArgs
    from .oss_url_args import OssUrlArgs
    from .path_args import PathArgs
    from .persistence_data import PersistenceData
    from .press_keys_args import PressKeysArgs
    from .read_file_args import ReadFileArgs
    from .read_file_args_format import ReadFileArgsFormat
    from .read_multiple_files_args import ReadMultipleFilesArgs
    from .release_keys_args import ReleaseKeysArgs
    from .resize_window_args import ResizeWindowArgs
    from .response_envelope import ResponseEnvelope
    from .run_code_args import RunCodeArgs
    from .run_code_args_language import RunCodeArgsLanguage
    from .scroll_args import ScrollArgs
    from .scroll_args_direction import ScrollArgsDirection
    from .search_files_args import SearchFilesArgs
    from .send_key_args import SendKeyArgs
    from .session_id_request import SessionIdRequest
    from .session_summary import SessionSummary
    from .set_label_request import SetLabelRequest
    from .shell_args import ShellArgs
    from .shell_args_envs import ShellArgsEnvs
    from .start_app_args import StartAppArgs
    from .stop_app_by_cmd_args import StopAppByCmdArgs
    from .stop_app_by_pid_args import StopAppByPidArgs
    from .stop_app_by_pname_args import StopAppByPnameArgs
    from .swipe_args import SwipeArgs
    from .sync_context_request import SyncContextRequest
    from .sync_context_request_mode import SyncContextRequestMode
    from .sync_policy import SyncPolicy
    from .sync_policy_bw_list import SyncPolicyBwList
    from .sync_policy_bw_list_white_lists_item import SyncPolicyBwListWhiteListsItem
    from .sync_policy_delete_policy import SyncPolicyDeletePolicy
    from .sync_policy_download_policy import SyncPolicyDownloadPolicy
    from .sync_policy_download_policy_download_strategy import (
        SyncPolicyDownloadPolicyDownloadStrategy,
    )
    from .sync_policy_extract_policy import SyncPolicyExtractPolicy
    from .sync_policy_mapping_policy import SyncPolicyMappingPolicy
    from .sync_policy_recycle_policy import SyncPolicyRecyclePolicy
    from .sync_policy_recycle_policy_lifecycle import SyncPolicyRecyclePolicyLifecycle
    from .sync_policy_upload_policy import SyncPolicyUploadPolicy
    from .sync_policy_upload_policy_upload_mode import SyncPolicyUploadPolicyUploadMode
    from .sync_policy_upload_policy_upload_strategy import (
        SyncPolicyUploadPolicyUploadStrategy,
    )
    from .ui_elements_args import UiElementsArgs
    from .ui_elements_args_format import UiElementsArgsFormat
    from .window_id_args import WindowIdArgs
    from .window_timeout_args import WindowTimeoutArgs
    from .write_file_args import WriteFileArgs
    from .write_file_args_format import WriteFileArgsFormat
    from .write_file_args_mode import WriteFileArgsMode

_MODULES = {
    "Authorized": ".authorized",
    "BrowserOption": ".browser_option",
    "BrowserOptionBrowserType": ".browser_option_browser_type",
    "BrowserOptionFingerprint": ".browser_option_fingerprint",
    "BrowserOptionFingerprintDevicesItem": ".browser_option_fingerprint_devices_item",
    "BrowserOptionFingerprintOperatingSystemsItem": ".browser_option_fingerprint_operating_systems_item",
    "BrowserProxy": ".browser_proxy",
    "BrowserProxyStrategy": ".browser_proxy_strategy",
    "BrowserProxyType": ".browser_proxy_type",
    "BrowserSize": ".browser_size",
    "CallMcpToolData": ".call_mcp_tool_data",
    "CallMcpToolRequest": ".call_mcp_tool_request",
    "CallMcpToolResponse": ".call_mcp_tool_response",
    "ClickArgs": ".click_args",
    "ClickArgsButton": ".click_args_button",
    "ClickMouseArgs": ".click_mouse_args",
    "ClickMouseArgsButton": ".click_mouse_args_button",
    "ContextData": ".context_data",
    "ContextFileData": ".context_file_data",
    "ContextFileRequest": ".context_file_request",
    "CreateMcpSessionData": ".create_mcp_session_data",
    "CreateMcpSessionRequest": ".create_mcp_session_request",
    "CreateMcpSessionResponse": ".create_mcp_session_response",
    "DeleteContextRequest": ".delete_context_request",
    "DescribeContextFilesRequest": ".describe_context_files_request",
    "DescribeContextFilesResponse": ".describe_context_files_response",
    "DesktopInfo": ".desktop_info",
    "DragMouseArgs": ".drag_mouse_args",
    "DragMouseArgsButton": ".drag_mouse_args_button",
    "EditFileArgs": ".edit_file_args",
    "EditFileArgsEditsItem": ".edit_file_args_edits_item",
    "ErrorResponse": ".error_response",
    "FileUrlData": ".file_url_data",
    "FocusModeArgs": ".focus_mode_args",
    "GetAndLoadInternalContextRequest": ".get_and_load_internal_context_request",
    "GetAndLoadInternalContextRequestContextTypes1": ".get_and_load_internal_context_request_context_types_1",
    "GetAndLoadInternalContextResponse": ".get_and_load_internal_context_response",
    "GetCdpLinkData": ".get_cdp_link_data",
    "GetCdpLinkResponse": ".get_cdp_link_response",
    "GetContextFileDownloadUrlResponse": ".get_context_file_download_url_response",
    "GetContextFileUploadUrlResponse": ".get_context_file_upload_url_response",
    "GetContextInfoData": ".get_context_info_data",
    "GetContextInfoRequest": ".get_context_info_request",
    "GetContextInfoRequestTaskType": ".get_context_info_request_task_type",
    "GetContextInfoResponse": ".get_context_info_response",
    "GetContextRequest": ".get_context_request",
    "GetContextResponse": ".get_context_response",
    "GetFileChangeArgs": ".get_file_change_args",
    "GetInstalledAppsArgs": ".get_installed_apps_args",
    "GetLabelData": ".get_label_data",
    "GetLabelRequest": ".get_label_request",
    "GetLabelResponse": ".get_label_response",
    "GetLinkData": ".get_link_data",
    "GetLinkRequest": ".get_link_request",
    "GetLinkResponse": ".get_link_response",
    "GetMcpResourceData": ".get_mcp_resource_data",
    "GetMcpResourceResponse": ".get_mcp_resource_response",
    "GetSessionData": ".get_session_data",
    "GetSessionResponse": ".get_session_response",
    "InitBrowserData": ".init_browser_data",
    "InitBrowserRequest": ".init_browser_request",
    "InitBrowserResponse": ".init_browser_response",
    "InputTextArgs": ".input_text_args",
    "InternalContextData": ".internal_context_data",
    "ListContextsRequest": ".list_contexts_request",
    "ListContextsResponse": ".list_contexts_response",
    "ListMcpToolsRequest": ".list_mcp_tools_request",
    "ListMcpToolsResponse": ".list_mcp_tools_response",
    "ListSessionRequest": ".list_session_request",
    "ListSessionResponse": ".list_session_response",
    "McpContent": ".mcp_content",
    "ModifyContextRequest": ".modify_context_request",
    "MoveFileArgs": ".move_file_args",
    "MoveMouseArgs": ".move_mouse_args",
    "NoArgs": ".no_args",
    "OssEnvInitArgs": ".oss_env_init_args",
    "OssObjectArgs": ".oss_object_args",
    "OssUrlArgs": ".oss_url_args",
    "PathArgs": ".path_args",
    "PersistenceData": ".persistence_data",
    "PressKeysArgs": ".press_keys_args",
    "ReadFileArgs": ".read_file_args",
    "ReadFileArgsFormat": ".read_file_args_format",
    "ReadMultipleFilesArgs": ".read_multiple_files_args",
    "ReleaseKeysArgs": ".release_keys_args",
    "ResizeWindowArgs": ".resize_window_args",
    "ResponseEnvelope": ".response_envelope",
    "RunCodeArgs": ".run_code_args",
    "RunCodeArgsLanguage": ".run_code_args_language",
    "ScrollArgs": ".scroll_args",
    "ScrollArgsDirection": ".scroll_args_direction",
    "SearchFilesArgs": ".search_files_args",
    "SendKeyArgs": ".send_key_args",
    "SessionIdRequest": ".session_id_request",
    "SessionSummary": ".session_summary",
    "SetLabelRequest": ".set_label_request",
    "ShellArgs": ".shell_args",
    "ShellArgsEnvs": ".shell_args_envs",
    "StartAppArgs": ".start_app_args",
    "StopAppByCmdArgs": ".stop_app_by_cmd_args",
    "StopAppByPidArgs": ".stop_app_by_pid_args",
    "StopAppByPnameArgs": ".stop_app_by_pname_args",
    "SwipeArgs": ".swipe_args",
    "SyncContextRequest": ".sync_context_request",
    "SyncContextRequestMode": ".sync_context_request_mode",
    "SyncPolicy": ".sync_policy",
    "SyncPolicyBwList": ".sync_policy_bw_list",
    "SyncPolicyBwListWhiteListsItem": ".sync_policy_bw_list_white_lists_item",
    "SyncPolicyDeletePolicy": ".sync_policy_delete_policy",
    "SyncPolicyDownloadPolicy": ".sync_policy_download_policy",
    "SyncPolicyDownloadPolicyDownloadStrategy": ".sync_policy_download_policy_download_strategy",
    "SyncPolicyExtractPolicy": ".sync_policy_extract_policy",
    "SyncPolicyMappingPolicy": ".sync_policy_mapping_policy",
    "SyncPolicyRecyclePolicy": ".sync_policy_recycle_policy",
    "SyncPolicyRecyclePolicyLifecycle": ".sync_policy_recycle_policy_lifecycle",
    "SyncPolicyUploadPolicy": ".sync_policy_upload_policy",
    "SyncPolicyUploadPolicyUploadMode": ".sync_policy_upload_policy_upload_mode",
    "SyncPolicyUploadPolicyUploadStrategy": ".sync_policy_upload_policy_upload_strategy",
    "UiElementsArgs": ".ui_elements_args",
    "UiElementsArgsFormat": ".ui_elements_args_format",
    "WindowIdArgs": ".window_id_args",
    "WindowTimeoutArgs": ".window_timeout_args",
    "WriteFileArgs": ".write_file_args",
    "WriteFileArgsFormat": ".write_file_args_format",
    "WriteFileArgsMode": ".write_file_args_mode",
}


def __getattr__(name: str) -> Any:
    try:
        module = _MODULES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = (
    "Authorized",
    "BrowserOption",
    "BrowserOptionBrowserType",
    "BrowserOptionFingerprint",
    "BrowserOptionFingerprintDevicesItem",
    "BrowserOptionFingerprintOperatingSystemsItem",
    "BrowserProxy",
    "BrowserProxyStrategy",
    "BrowserProxyType",
    "BrowserSize",
    "CallMcpToolData",
    "CallMcpToolRequest",
    "CallMcpToolResponse",
    "ClickArgs",
    "ClickArgsButton",
    "ClickMouseArgs",
    "ClickMouseArgsButton",
    "ContextData",
    "ContextFileData",
    "ContextFileRequest",
    "CreateMcpSessionData",
    "CreateMcpSessionRequest",
    "CreateMcpSessionResponse",
    "DeleteContextRequest",
    "DescribeContextFilesRequest",
    "DescribeContextFilesResponse",
    "DesktopInfo",
    "DragMouseArgs",
    "DragMouseArgsButton",
    "EditFileArgs",
    "EditFileArgsEditsItem",
    "ErrorResponse",
    "FileUrlData",
    "FocusModeArgs",
    "GetAndLoadInternalContextRequest",
    "GetAndLoadInternalContextRequestContextTypes1",
    "GetAndLoadInternalContextResponse",
    "GetCdpLinkData",
    "GetCdpLinkResponse",
    "GetContextFileDownloadUrlResponse",
    "GetContextFileUploadUrlResponse",
    "GetContextInfoData",
    "GetContextInfoRequest",
    "GetContextInfoRequestTaskType",
    "GetContextInfoResponse",
    "GetContextRequest",
    "GetContextResponse",
    "GetFileChangeArgs",
    "GetInstalledAppsArgs",
    "GetLabelData",
    "GetLabelRequest",
    "GetLabelResponse",
    "GetLinkData",
    "GetLinkRequest",
    "GetLinkResponse",
    "GetMcpResourceData",
    "GetMcpResourceResponse",
    "GetSessionData",
    "GetSessionResponse",
    "InitBrowserData",
    "InitBrowserRequest",
    "InitBrowserResponse",
    "InputTextArgs",
    "InternalContextData",
    "ListContextsRequest",
    "ListContextsResponse",
    "ListMcpToolsRequest",
    "ListMcpToolsResponse",
    "ListSessionRequest",
    "ListSessionResponse",
    "McpContent",
    "ModifyContextRequest",
    "MoveFileArgs",
    "MoveMouseArgs",
    "NoArgs",
    "OssEnvInitArgs",
    "OssObjectArgs",
    "OssUrlArgs",
    "PathArgs",
    "PersistenceData",
    "PressKeysArgs",
    "ReadFileArgs",
    "ReadFileArgsFormat",
    "ReadMultipleFilesArgs",
    "ReleaseKeysArgs",
    "ResizeWindowArgs",
    "ResponseEnvelope",
    "RunCodeArgs",
    "RunCodeArgsLanguage",
    "ScrollArgs",
    "ScrollArgsDirection",
    "SearchFilesArgs",
    "SendKeyArgs",
    "SessionIdRequest",
    "SessionSummary",
    "SetLabelRequest",
    "ShellArgs",
    "ShellArgsEnvs",
    "StartAppArgs",
    "StopAppByCmdArgs",
    "StopAppByPidArgs",
    "StopAppByPnameArgs",
    "SwipeArgs",
    "SyncContextRequest",
    "SyncContextRequestMode",
    "SyncPolicy",
    "SyncPolicyBwList",
    "SyncPolicyBwListWhiteListsItem",
    "SyncPolicyDeletePolicy",
    "SyncPolicyDownloadPolicy",
    "SyncPolicyDownloadPolicyDownloadStrategy",
    "SyncPolicyExtractPolicy",
    "SyncPolicyMappingPolicy",
    "SyncPolicyRecyclePolicy",
    "SyncPolicyRecyclePolicyLifecycle",
    "SyncPolicyUploadPolicy",
    "SyncPolicyUploadPolicyUploadMode",
    "SyncPolicyUploadPolicyUploadStrategy",
    "UiElementsArgs",
    "UiElementsArgsFormat",
    "WindowIdArgs",
    "WindowTimeoutArgs",
    "WriteFileArgs",
    "WriteFileArgsFormat",
    "WriteFileArgsMode",
)
