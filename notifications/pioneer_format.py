"""Working-group names and JOY amounts written the way the Pioneer UI writes them, so that an
email names the group and the amount exactly as the page it links to does."""

from __future__ import annotations

import re

# The chain's JOY has 10 decimals: amounts arrive from the query node in the smallest unit.
JOY_DECIMALS = 10

# Groups whose Pioneer name and URL parameter do not follow from their id (Pioneer's
# `nameMapping` and `urlParamToWorkingGroupId`).
_RENAMED_GROUPS = {
    "operationsWorkingGroupAlpha": ("Builders", "builders"),
    "operationsWorkingGroupBeta": ("HR", "hr"),
    "operationsWorkingGroupGamma": ("Marketing", "marketing"),
    "appWorkingGroup": ("Apps", "apps"),
}


def _words(group_id: str) -> list[str]:
    """`contentDirectoryWorkingGroup` → ["content", "Directory"]."""
    return re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", group_id.replace("WorkingGroup", ""))


def group_name(group_id: str) -> str:
    """The group's name in Pioneer: `forumWorkingGroup` → "Forum", `operationsWorkingGroupBeta` → "HR"."""
    if group_id in _RENAMED_GROUPS:
        return _RENAMED_GROUPS[group_id][0]
    words = _words(group_id)
    return " ".join(word[:1].upper() + word[1:] for word in words) or group_id


def group_url_param(group_id: str) -> str:
    """The group's parameter in Pioneer's `/#/working-groups/<param>` route: the inverse of its
    `urlParamToWorkingGroupId` (camelCase without the suffix → kebab-case)."""
    if group_id in _RENAMED_GROUPS:
        return _RENAMED_GROUPS[group_id][1]
    return "-".join(word.lower() for word in _words(group_id)) or group_id


def joy(amount: int, *, signed: bool = False) -> str:
    """An amount in the chain's smallest unit as Pioneer shows JOY (`formatJoyValue`): thousands
    separated by commas, the 10 decimals without trailing zeros. `signed` adds "+" to gains."""
    sign = "-" if amount < 0 else ("+" if signed and amount > 0 else "")
    whole, fraction = divmod(abs(amount), 10**JOY_DECIMALS)
    decimals = str(fraction).rjust(JOY_DECIMALS, "0").rstrip("0")
    return f"{sign}{whole:,}{'.' + decimals if decimals else ''} JOY"
