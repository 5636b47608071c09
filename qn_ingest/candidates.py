"""Each event's candidates, in priority order (docs/matching-rules.md, "Candidates").

A builder says whom an event concerns, kind by kind; the kinds table (subscriptions.kinds)
says which role each kind plays, and the role is the priority. Kinds whose role is EVERYONE
need no builder: every kind the table lists for the event's type with that role is a
candidate for every member. The author, unregistered members and subscriptions are handled
by subscriptions.resolution, which sees a whole page at once.
"""

from __future__ import annotations

from collections.abc import Callable

from qn_ingest.council_planning import COUNCIL_CANDIDATE_BUILDERS
from qn_ingest.events import (
    ElectionStageStarted,
    ForumPostAdded,
    ForumThreadCreated,
    ProposalDiscussionPostCreated,
    QueryNodeEvent,
    Roles,
)
from qn_ingest.mentions import mentioned_member_ids
from qn_ingest.proposal_candidates import PROPOSAL_CANDIDATE_BUILDERS
from qn_ingest.working_groups import WorkingGroupEvent, working_group_candidates
from subscriptions.kinds import KINDS_BY_NAME, Role, kinds_for_event_type

# The candidate vocabulary is defined where it is interpreted; re-exported for the builders' users.
from subscriptions.resolution import ANY, AnyMember, Candidate, EntityCandidate, GeneralCandidate

__all__ = ["ANY", "AnyMember", "Candidate", "EntityCandidate", "GeneralCandidate", "candidates_for_event"]


def _members(member_id: int | None) -> frozenset[int]:
    return frozenset() if member_id is None else frozenset({member_id})


def _category_candidates(kind: str, category_chain: tuple[str, ...]) -> list[EntityCandidate]:
    # The query node may repeat a category if its data is odd; the nearest occurrence counts.
    unique_chain = dict.fromkeys(str(category_id) for category_id in category_chain)
    return [EntityCandidate(kind, category_id) for category_id in unique_chain]


def forum_post_candidates(event: ForumPostAdded, roles: Roles) -> list[Candidate]:
    return [
        GeneralCandidate("FORUM_POST_MENTION", mentioned_member_ids(event.text, roles)),
        GeneralCandidate("FORUM_POST_REPLY", _members(event.replied_to_author_id)),
        GeneralCandidate("FORUM_THREAD_CREATOR", _members(event.thread_author_id)),
        GeneralCandidate("FORUM_THREAD_CONTRIBUTOR", frozenset(event.earlier_post_author_ids)),
        EntityCandidate("FORUM_THREAD_ENTITY_POST", str(event.thread_id)),
        *_category_candidates("FORUM_CATEGORY_ENTITY_POST", event.category_chain),
    ]


def forum_thread_candidates(event: ForumThreadCreated, roles: Roles) -> list[Candidate]:
    return [
        GeneralCandidate("FORUM_THREAD_MENTION", mentioned_member_ids(event.text, roles)),
        *_category_candidates("FORUM_CATEGORY_ENTITY_THREAD", event.category_chain),
    ]


def proposal_discussion_candidates(event: ProposalDiscussionPostCreated, roles: Roles) -> list[Candidate]:
    return [
        GeneralCandidate("PROPOSAL_DISCUSSION_MENTION", mentioned_member_ids(event.text, roles)),
        GeneralCandidate("PROPOSAL_DISCUSSION_REPLY", _members(event.replied_to_author_id)),
        GeneralCandidate("PROPOSAL_DISCUSSION_CREATOR", _members(event.proposal_creator_id)),
        GeneralCandidate("PROPOSAL_DISCUSSION_CONTRIBUTOR", frozenset(event.earlier_post_author_ids)),
        EntityCandidate("PROPOSAL_ENTITY_DISCUSSION", str(event.proposal_id)),
    ]


def _no_one_in_particular(event: QueryNodeEvent, roles: Roles) -> list[Candidate]:
    return []


Builder = Callable[[QueryNodeEvent, Roles], list[Candidate]]

# One builder per event class; its kinds must list the class's event type in the table
# (tests/planning/test_kinds_table.py checks that).
CANDIDATE_BUILDERS: dict[type, Builder] = {
    ForumPostAdded: forum_post_candidates,
    ForumThreadCreated: forum_thread_candidates,
    ProposalDiscussionPostCreated: proposal_discussion_candidates,
    ElectionStageStarted: _no_one_in_particular,  # its kinds concern everyone
    **PROPOSAL_CANDIDATE_BUILDERS,
    **COUNCIL_CANDIDATE_BUILDERS,
    WorkingGroupEvent: working_group_candidates,
}


def _everyone_candidates(event_type: str) -> list[Candidate]:
    return [
        GeneralCandidate(kind.name, ANY)
        for kind in kinds_for_event_type(event_type)
        if kind.role == Role.EVERYONE
    ]


def candidates_for_event(event: QueryNodeEvent, roles: Roles) -> list[Candidate]:
    """The event's candidates, earlier beats later: by the role of their kind, then as built."""
    try:
        builder = CANDIDATE_BUILDERS[type(event)]
    except KeyError:
        raise TypeError(f"no candidate rules for {type(event).__name__}") from None
    candidates = [*builder(event, roles), *_everyone_candidates(event.event_type)]
    return sorted(candidates, key=lambda candidate: KINDS_BY_NAME[candidate.kind].role)
