"""Normalised working-group events for planning tests, one builder per query-node type."""

from __future__ import annotations

import itertools

from qn_ingest.events import Author, Roles, Worker
from qn_ingest.working_groups import WORKING_GROUP_EVENT_TYPES, Opening, WorkingGroupEvent

FORUM = "forumWorkingGroup"
STORAGE = "storageWorkingGroup"
BUILDERS_GROUP = "operationsWorkingGroupAlpha"
_sequence = itertools.count(1)


def person(member_id: int) -> Author:
    return Author(member_id, f"handle{member_id}")


def wg_event(
    event_type: str, *, group_id: str = FORUM, actor: int | None = None, **parts
) -> WorkingGroupEvent:
    """An event of `event_type` in `group_id`, with the parts that type carries; `actor` (a member
    id) fills the person the type is about (applicant, hired, lead, worker)."""
    n = next(_sequence)
    actor_part = {} if actor is None else _ACTOR_PARTS[event_type](person(actor))
    return WorkingGroupEvent(
        event_id=f"{5000 + n}-0",
        in_block=5000 + n,
        typename=event_type,
        group_id=group_id,
        **{**_DEFAULT_PARTS[event_type], **actor_part, **parts},
    )


_OPENING = Opening(id=f"{FORUM}-3", title="Forum moderator")
_DEFAULT_PARTS: dict[str, dict] = {
    "OpeningAddedEvent": {"opening": _OPENING},
    "AppliedOnOpeningEvent": {"opening": _OPENING},
    "OpeningFilledEvent": {"opening": _OPENING},
    "BudgetUpdatedEvent": {"budget_change": 25_000 * 10**10},
    "BudgetSetEvent": {"new_budget": 150_000 * 10**10 + 5 * 10**9},
    "BudgetSpendingEvent": {"spent": 1_200 * 10**10, "receiver": "5Grw", "rationale": "**Bounty** paid"},
    "LeaderSetEvent": {},
    "LeaderUnsetEvent": {},
    "WorkerStartedLeavingEvent": {"rationale": "Moving on"},
    "WorkerExitedEvent": {},
}
_ACTOR_PARTS = {
    "OpeningAddedEvent": lambda p: {},
    "AppliedOnOpeningEvent": lambda p: {"applicant": p},
    "OpeningFilledEvent": lambda p: {"hired": (p,)},
    "BudgetUpdatedEvent": lambda p: {},
    "BudgetSetEvent": lambda p: {},
    "BudgetSpendingEvent": lambda p: {},
    "LeaderSetEvent": lambda p: {"lead": p},
    "LeaderUnsetEvent": lambda p: {"lead": p},
    "WorkerStartedLeavingEvent": lambda p: {"worker": p},
    "WorkerExitedEvent": lambda p: {"worker": p},
}
# Event types whose event names a member it is about (who must not hear of it).
TYPES_WITH_ACTOR = tuple(t for t in WORKING_GROUP_EVENT_TYPES if _ACTOR_PARTS[t](person(0)))


def sample_events() -> list[WorkingGroupEvent]:
    """One event of every working-group type, each naming member 8 as its actor where it can."""
    return [wg_event(event_type, actor=8) for event_type in WORKING_GROUP_EVENT_TYPES]


def roles_with_workers(**groups: list[int]) -> Roles:
    """Roles where each group (by id) has these active members; the first one leads it."""
    return Roles(
        workers=tuple(
            Worker(member_id=member_id, group_id=group_id, is_lead=index == 0)
            for group_id, members in groups.items()
            for index, member_id in enumerate(members)
        )
    )
