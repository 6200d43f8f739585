from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="GetInstalledAppsArgs")


@_attrs_define
class GetInstalledAppsArgs:
    """`get_installed_apps`: the applications of the `.desktop` files; replies a JSON list `[{"name", "start_cmd",
    "stop_cmd", "work_directory"}]` (the last two may be missing).

    """

    start_menu: bool
    """ Include the start menu's applications. """
    desktop: bool
    """ Include the desktop's applications. """
    ignore_system_apps: bool | Unset = UNSET
    """ (0.8.0, 0.9.0) Leave system applications out. """
    ignore_system_app: bool | Unset = UNSET
    """ (0.22.3) The same, as 0.22.3 spells it. """

    def to_dict(self) -> dict[str, Any]:
        start_menu = self.start_menu

        desktop = self.desktop

        ignore_system_apps = self.ignore_system_apps

        ignore_system_app = self.ignore_system_app

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "start_menu": start_menu,
                "desktop": desktop,
            }
        )
        if ignore_system_apps is not UNSET:
            field_dict["ignore_system_apps"] = ignore_system_apps
        if ignore_system_app is not UNSET:
            field_dict["ignore_system_app"] = ignore_system_app

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        start_menu = d.pop("start_menu")

        desktop = d.pop("desktop")

        ignore_system_apps = d.pop("ignore_system_apps", UNSET)

        ignore_system_app = d.pop("ignore_system_app", UNSET)

        get_installed_apps_args = cls(
            start_menu=start_menu,
            desktop=desktop,
            ignore_system_apps=ignore_system_apps,
            ignore_system_app=ignore_system_app,
        )

        return get_installed_apps_args
