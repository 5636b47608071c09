"""Reads of members' data for other apps (the ingest, the preferences page)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from members.models import Member, WatchedAccount


def watched_accounts_list(*, member: Member) -> list[WatchedAccount]:
    return list(WatchedAccount.objects.filter(member=member).order_by("created_at", "id"))


def watched_account_watchers(*, public_keys: Iterable[str]) -> dict[str, dict[int, str]]:
    """public key → {member id: the label that member gave it ("" for none)}, for the keys some
    registered member watches; one query."""
    keys = sorted(set(public_keys))
    watchers: dict[str, dict[int, str]] = defaultdict(dict)
    if not keys:
        return {}
    rows = WatchedAccount.objects.filter(public_key__in=keys).values_list("public_key", "member_id", "label")
    for public_key, member_id, label in rows:
        watchers[public_key][int(member_id)] = label
    return dict(watchers)
