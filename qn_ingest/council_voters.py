"""Who voted in an election round, and from which accounts (docs/kinds/council.md, "Voters"
and "Accounts I care about").

`account_owners` is THE account → members matching: a vote's `castBy` account belongs to every
membership whose root, controller or bound account it is, and to every registered member who
watches it (members.WatchedAccount, compared by public key, whatever SS58 format either side
uses). Everything that matches votes to members goes through it: the reveal notification and
the deadline reminders. A constant number of queries per call, whatever the number of votes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from members.account_addresses import public_key_or_none
from members.selectors import watched_account_watchers
from qn_ingest import council_queries as queries
from qn_ingest.fetch import QueryNodeReader, _list

# Rows per request when reading a round's votes or the memberships of its voters.
VOTES_PAGE_SIZE = 1000
ACCOUNTS_BATCH_SIZE = 500

K = TypeVar("K")


@dataclass(frozen=True, order=True)
class VoteAccount:
    """An account a member voted from; `label` is the member's own name for it ("" for none)."""

    address: str
    label: str = ""


# member id → the accounts of that member that voted (sorted).
VoteAccounts = dict[int, tuple[VoteAccount, ...]]


def _paged(reader: QueryNodeReader, document: str, key: str, variables: dict[str, Any]) -> Iterator[dict]:
    offset = 0
    while True:
        page = _list(
            reader.client.execute(document, {**variables, "limit": VOTES_PAGE_SIZE, "offset": offset}), key
        )
        yield from page
        if len(page) < VOTES_PAGE_SIZE:
            return
        offset += VOTES_PAGE_SIZE


def account_owners(reader: QueryNodeReader, accounts: Iterable[str]) -> dict[str, dict[int, str]]:
    """account → {member id: label}: the memberships owning it (root, controller or bound;
    label "") and the registered members watching it (their label). Accounts nobody owns or
    watches are left out."""
    owners: dict[str, dict[int, str]] = defaultdict(dict)
    every_account = sorted(set(accounts))
    for start in range(0, len(every_account), ACCOUNTS_BATCH_SIZE):
        batch = every_account[start : start + ACCOUNTS_BATCH_SIZE]
        for membership in _paged(reader, queries.MEMBERSHIPS_BY_ACCOUNTS, "memberships", {"accounts": batch}):
            owned = {membership.get("rootAccount"), membership.get("controllerAccount")}
            owned |= set(membership.get("boundAccounts") or ())
            member_id = str(membership.get("id") or "")
            if not member_id.isdigit():
                continue
            for account in owned.intersection(batch):
                owners[account].setdefault(int(member_id), "")
        keys = {account: key for account in batch if (key := public_key_or_none(account))}
        watchers = watched_account_watchers(public_keys=keys.values())
        for account, key in keys.items():
            for member_id, label in watchers.get(key, {}).items():
                # A member who also owns the account keeps one entry, with their label.
                if label or member_id not in owners[account]:
                    owners[account][member_id] = label
    return {account: members for account, members in owners.items() if members}


def voting_ranges(reader: QueryNodeReader, reveal_blocks: list[int]) -> dict[int, tuple[int, int]]:
    """reveal block → (its round's voting start, the reveal block); a stage whose voting start
    cannot be found has no range (its voters are unknown: they keep the general kind)."""
    data = reader.client.execute(
        queries.VOTING_STARTS_BEFORE, {"block": max(reveal_blocks), "limit": len(reveal_blocks)}
    )
    nodes = _list(data, "votingPeriodStartedEvents")
    starts = sorted(node["inBlock"] for node in nodes if isinstance(node.get("inBlock"), int))
    ranges = {}
    for reveal in reveal_blocks:
        before = [start for start in starts if start <= reveal]
        if before:
            ranges[reveal] = (before[-1], reveal)
    return ranges


def vote_accounts_in_ranges(
    reader: QueryNodeReader, ranges: Mapping[K, tuple[int, int]], *, unrevealed_only: bool = False
) -> dict[K, VoteAccounts]:
    """key → member → the member's accounts that cast a vote in the key's block range (both
    ends included). With `unrevealed_only`, a vote revealed since (the query node sets its
    `castVote.voteForId` when it indexes the VoteRevealedEvent) no longer counts: the accounts
    left are those that still have a vote to reveal. One paged query for the votes and the
    queries of account_owners, whatever the number of ranges."""
    if not ranges:
        return {}
    where = {
        "OR": [{"inBlock_gte": start, "inBlock_lte": end} for start, end in sorted(set(ranges.values()))]
    }
    voted: dict[K, set[str]] = defaultdict(set)  # key → accounts that voted in its range
    for vote in _paged(reader, queries.ROUND_VOTES, "voteCastEvents", {"where": where}):
        cast = vote.get("castVote") or {}
        account, block = cast.get("castBy"), vote.get("inBlock")
        if not account or not isinstance(block, int) or (unrevealed_only and cast.get("voteForId")):
            continue
        for key, (start, end) in ranges.items():
            if start <= block <= end:
                voted[key].add(str(account))
    owners = account_owners(reader, set().union(*voted.values()))
    result: dict[K, VoteAccounts] = {}
    for key, accounts in voted.items():
        by_member: dict[int, set[VoteAccount]] = defaultdict(set)
        for account in accounts:
            for member_id, label in owners.get(account, {}).items():
                by_member[member_id].add(VoteAccount(address=account, label=label))
        if by_member:
            result[key] = {member_id: tuple(sorted(found)) for member_id, found in by_member.items()}
    return result


def voters_in_ranges(
    reader: QueryNodeReader, ranges: Mapping[K, tuple[int, int]], *, unrevealed_only: bool = False
) -> dict[K, frozenset[int]]:
    """key → the members who voted in its range (see vote_accounts_in_ranges)."""
    return {
        key: frozenset(members)
        for key, members in vote_accounts_in_ranges(reader, ranges, unrevealed_only=unrevealed_only).items()
    }


def unrevealed_vote_accounts(reader: QueryNodeReader, revealing_since: int) -> VoteAccounts:
    """member → the accounts of that member with a vote of the round not revealed yet: the
    round being revealed since block `revealing_since` (its votes are those from its voting
    start to that block, as for ELECTION_REVEALING_VOTER). What the revealing-stage reminder
    asks about: a member absent from it has nothing left to reveal."""
    ranges = voting_ranges(reader, [revealing_since])
    return vote_accounts_in_ranges(reader, ranges, unrevealed_only=True).get(revealing_since, {})
