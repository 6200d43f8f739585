from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.run_code_args_language import (
    RunCodeArgsLanguage,
    check_run_code_args_language,
)

T = TypeVar("T", bound="RunCodeArgs")


@_attrs_define
class RunCodeArgs:
    """`run_code`: run `code` with `python` (python3) or `javascript` (node) in the session, working directory
    `/home/wuying`; replies the program's output (stdout then stderr). A syntax or runtime error is a tool error whose
    text holds the traceback (e.g. `NameError`); a run longer than `timeout_s` is killed and is a tool error that says
    it timed out. 0.22.3 also reads a JSON reply `{"result": [JSON strings of `{mime type: value, "isMainResult"}`],
    "stdout": [str], "stderr": [str], "executionError", "execution_count", "execution_time"}` (a notebook kernel's); the
    local server replies plain text.

    """

    code: str
    """ The program's source. """
    language: RunCodeArgsLanguage
    """ Checked (and lower-cased by 0.22.3) before sending. """
    timeout_s: int
    """ Seconds before the run is killed; 300 by 0.8.0, 60 by 0.9+ (a gateway limit). """

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        language: str = self.language

        timeout_s = self.timeout_s

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "language": language,
                "timeout_s": timeout_s,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        language = check_run_code_args_language(d.pop("language"))

        timeout_s = d.pop("timeout_s")

        run_code_args = cls(
            code=code,
            language=language,
            timeout_s=timeout_s,
        )

        return run_code_args
