from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.shell_args_envs import ShellArgsEnvs


T = TypeVar("T", bound="ShellArgs")


@_attrs_define
class ShellArgs:
    """`shell`: run a command line with /bin/sh in the session."""

    command: str
    """ The shell command line. """
    timeout_ms: int
    """ Kill the command (its whole process group) after this many milliseconds. """
    cwd: str | Unset = UNSET
    """ (0.22.3) Working directory, a session path; `/home/wuying` by default. """
    envs: ShellArgsEnvs | Unset = UNSET
    """ (0.22.3) Extra environment variables. """

    def to_dict(self) -> dict[str, Any]:
        command = self.command

        timeout_ms = self.timeout_ms

        cwd = self.cwd

        envs: dict[str, Any] | Unset = UNSET
        if not isinstance(self.envs, Unset):
            envs = self.envs.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "command": command,
                "timeout_ms": timeout_ms,
            }
        )
        if cwd is not UNSET:
            field_dict["cwd"] = cwd
        if envs is not UNSET:
            field_dict["envs"] = envs

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.shell_args_envs import ShellArgsEnvs

        d = dict(src_dict)
        command = d.pop("command")

        timeout_ms = d.pop("timeout_ms")

        cwd = d.pop("cwd", UNSET)

        _envs = d.pop("envs", UNSET)
        envs: ShellArgsEnvs | Unset
        if isinstance(_envs, Unset):
            envs = UNSET
        else:
            envs = ShellArgsEnvs.from_dict(_envs)

        shell_args = cls(
            command=command,
            timeout_ms=timeout_ms,
            cwd=cwd,
            envs=envs,
        )

        return shell_args
