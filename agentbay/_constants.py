"""Defaults, in one place."""

from __future__ import annotations

DEFAULT_REGION_ID = "cn-hangzhou"
ENDPOINT_TEMPLATE = "https://agentbay.{region}.aliyuncs.com"
DEFAULT_ENDPOINT = ENDPOINT_TEMPLATE.format(region=DEFAULT_REGION_ID)
DEFAULT_TIMEOUT = 60.0
"""Seconds, for connect, read, write and pool waits alike."""
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_MAX_RETRIES = 2
"""Retries after the first attempt, for failures that are safe to retry (see `_retry.py`)."""
DEFAULT_IMAGE_ID = "linux_latest"
"""The image `list_mcp_tools` asks about when a session does not know its own."""
DEFAULT_PAGE_SIZE = 10
"""The official SDK's ListSession page size."""
MAX_PAGE_SIZE = 100

ENV_API_KEY = "AGENTBAY_API_KEY"
ENV_ENDPOINT = "AGENTBAY_ENDPOINT"
ENV_REGION_ID = "AGENTBAY_REGION_ID"
ENV_TIMEOUT = "AGENTBAY_TIMEOUT"
ENV_MAX_RETRIES = "AGENTBAY_MAX_RETRIES"
