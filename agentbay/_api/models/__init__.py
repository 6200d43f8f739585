"""Contains all the data models used in inputs/outputs"""

from .authorized import Authorized
from .call_mcp_tool_data import CallMcpToolData
from .call_mcp_tool_request import CallMcpToolRequest
from .call_mcp_tool_response import CallMcpToolResponse
from .create_mcp_session_data import CreateMcpSessionData
from .create_mcp_session_request import CreateMcpSessionRequest
from .create_mcp_session_response import CreateMcpSessionResponse
from .desktop_info import DesktopInfo
from .edit_file_args import EditFileArgs
from .edit_file_args_edits_item import EditFileArgsEditsItem
from .error_response import ErrorResponse
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
from .list_mcp_tools_request import ListMcpToolsRequest
from .list_mcp_tools_response import ListMcpToolsResponse
from .list_session_request import ListSessionRequest
from .list_session_response import ListSessionResponse
from .mcp_content import McpContent
from .move_file_args import MoveFileArgs
from .path_args import PathArgs
from .read_file_args import ReadFileArgs
from .read_file_args_format import ReadFileArgsFormat
from .read_multiple_files_args import ReadMultipleFilesArgs
from .response_envelope import ResponseEnvelope
from .search_files_args import SearchFilesArgs
from .session_id_request import SessionIdRequest
from .session_summary import SessionSummary
from .set_label_request import SetLabelRequest
from .shell_args import ShellArgs
from .shell_args_envs import ShellArgsEnvs
from .write_file_args import WriteFileArgs
from .write_file_args_format import WriteFileArgsFormat
from .write_file_args_mode import WriteFileArgsMode

__all__ = (
    "Authorized",
    "CallMcpToolData",
    "CallMcpToolRequest",
    "CallMcpToolResponse",
    "CreateMcpSessionData",
    "CreateMcpSessionRequest",
    "CreateMcpSessionResponse",
    "DesktopInfo",
    "EditFileArgs",
    "EditFileArgsEditsItem",
    "ErrorResponse",
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
    "ListMcpToolsRequest",
    "ListMcpToolsResponse",
    "ListSessionRequest",
    "ListSessionResponse",
    "McpContent",
    "MoveFileArgs",
    "PathArgs",
    "ReadFileArgs",
    "ReadFileArgsFormat",
    "ReadMultipleFilesArgs",
    "ResponseEnvelope",
    "SearchFilesArgs",
    "SessionIdRequest",
    "SessionSummary",
    "SetLabelRequest",
    "ShellArgs",
    "ShellArgsEnvs",
    "WriteFileArgs",
    "WriteFileArgsFormat",
    "WriteFileArgsMode",
)
