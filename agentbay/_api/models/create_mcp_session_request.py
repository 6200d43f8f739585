from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateMcpSessionRequest")


@_attrs_define
class CreateMcpSessionRequest:
    authorization: str
    """ `Bearer <api key>`. """
    image_id: str | Unset = UNSET
    """ The image to start, e.g. `linux_latest`, `code_latest`. The service's default when absent. """
    labels: str | Unset = UNSET
    """ A JSON object of string keys to string values, e.g. `{"project": "demo"}`. """
    persistence_data_list: str | Unset = UNSET
    """ The contexts to mount in the new session: a compact JSON list (`separators=(",", ":")`) of
    `PersistenceData` items `{"ContextId","Path","Policy"}`, e.g.
    `[{"ContextId":"SdkCtx-1","Path":"/home/wuying/data","Policy":"{\\"uploadPol
    icy\\": ...}"}]`.
    `Path` is the absolute sandbox path the context is mounted at; `Policy`, when present, is
    itself a JSON string (`json.dumps` with default separators) of a `SyncPolicy` object, and is
    absent for a default mount (0.9.0's file-transfer context). At create, each context is
    downloaded into its path (a `download` task of `GetContextInfo`); an unknown `ContextId`
    gives a `Failed` task, not a failed create [assumed for the cloud; the local server does so].
     """
    mcp_policy_id: str | Unset = UNSET
    """ The MCP policy to apply to the session. """
    vpc_resource: bool | Unset = UNSET
    """ Whether the session lives in the caller's VPC (0.8/0.9 always send it). """
    context_id: str | Unset = UNSET
    """ A context to bind (present in the official request model). """
    external_user_id: str | Unset = UNSET
    """ The caller's own user id, for their bookkeeping. """
    session_id: str | Unset = UNSET
    """ A caller-chosen session id (present in the official request model). """
    login_region_id: str | Unset = UNSET
    """ (0.22.3) The region the caller logged in to. """
    timeout: int | Unset = UNSET
    """ (0.22.3) Idle timeout in seconds. """
    max_runtime: int | Unset = UNSET
    """ (0.22.3) Maximum lifetime in seconds. """
    manual_release: bool | Unset = UNSET
    """ (0.22.3) Keep the session until it is deleted explicitly. """
    network_id: str | Unset = UNSET
    """ (0.22.3) A network created with CreateNetwork. """
    enable_record: bool | Unset = UNSET
    """ (0.22.3) Record the session's screen. """
    sdk_stats: str | Unset = UNSET
    """ (0.22.3) JSON telemetry about the calling SDK. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authorization = self.authorization

        image_id = self.image_id

        labels = self.labels

        persistence_data_list = self.persistence_data_list

        mcp_policy_id = self.mcp_policy_id

        vpc_resource = self.vpc_resource

        context_id = self.context_id

        external_user_id = self.external_user_id

        session_id = self.session_id

        login_region_id = self.login_region_id

        timeout = self.timeout

        max_runtime = self.max_runtime

        manual_release = self.manual_release

        network_id = self.network_id

        enable_record = self.enable_record

        sdk_stats = self.sdk_stats

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Authorization": authorization,
            }
        )
        if image_id is not UNSET:
            field_dict["ImageId"] = image_id
        if labels is not UNSET:
            field_dict["Labels"] = labels
        if persistence_data_list is not UNSET:
            field_dict["PersistenceDataList"] = persistence_data_list
        if mcp_policy_id is not UNSET:
            field_dict["McpPolicyId"] = mcp_policy_id
        if vpc_resource is not UNSET:
            field_dict["VpcResource"] = vpc_resource
        if context_id is not UNSET:
            field_dict["ContextId"] = context_id
        if external_user_id is not UNSET:
            field_dict["ExternalUserId"] = external_user_id
        if session_id is not UNSET:
            field_dict["SessionId"] = session_id
        if login_region_id is not UNSET:
            field_dict["LoginRegionId"] = login_region_id
        if timeout is not UNSET:
            field_dict["Timeout"] = timeout
        if max_runtime is not UNSET:
            field_dict["MaxRuntime"] = max_runtime
        if manual_release is not UNSET:
            field_dict["ManualRelease"] = manual_release
        if network_id is not UNSET:
            field_dict["NetworkId"] = network_id
        if enable_record is not UNSET:
            field_dict["EnableRecord"] = enable_record
        if sdk_stats is not UNSET:
            field_dict["SdkStats"] = sdk_stats

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        authorization = d.pop("Authorization")

        image_id = d.pop("ImageId", UNSET)

        labels = d.pop("Labels", UNSET)

        persistence_data_list = d.pop("PersistenceDataList", UNSET)

        mcp_policy_id = d.pop("McpPolicyId", UNSET)

        vpc_resource = d.pop("VpcResource", UNSET)

        context_id = d.pop("ContextId", UNSET)

        external_user_id = d.pop("ExternalUserId", UNSET)

        session_id = d.pop("SessionId", UNSET)

        login_region_id = d.pop("LoginRegionId", UNSET)

        timeout = d.pop("Timeout", UNSET)

        max_runtime = d.pop("MaxRuntime", UNSET)

        manual_release = d.pop("ManualRelease", UNSET)

        network_id = d.pop("NetworkId", UNSET)

        enable_record = d.pop("EnableRecord", UNSET)

        sdk_stats = d.pop("SdkStats", UNSET)

        create_mcp_session_request = cls(
            authorization=authorization,
            image_id=image_id,
            labels=labels,
            persistence_data_list=persistence_data_list,
            mcp_policy_id=mcp_policy_id,
            vpc_resource=vpc_resource,
            context_id=context_id,
            external_user_id=external_user_id,
            session_id=session_id,
            login_region_id=login_region_id,
            timeout=timeout,
            max_runtime=max_runtime,
            manual_release=manual_release,
            network_id=network_id,
            enable_record=enable_record,
            sdk_stats=sdk_stats,
        )

        create_mcp_session_request.additional_properties = d
        return create_mcp_session_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
