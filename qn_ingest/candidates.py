"""Each event's candidates, in priority order (RULES.md, "Candidates").

Builders only say who an event concerns; the author, unregistered members and
subscriptions are handled by subscriptions.resolution, which sees a whole page at once.
"""

from __future__ import annotations

from qn_ingest.events import (
    ElectionStage,
    ElectionStageStarted,
    ForumPostAdded,
    ForumThreadCreated,
    ProposalDiscussionPostCreated,
    QueryNodeEvent,
    Roles,
)
from qn_ingest.mentions import mentioned_member_ids
from subscriptions.kinds import EntityKind, GeneralKind

# The candidate vocabulary is defined where it is interpreted; re-exported for the builders' users.
from subscriptions.resolution import ANY, AnyMember, Candidate, EntityCandidate, GeneralCandidate

__all__ = ["ANY", "AnyMember", "Candidate", "EntityCandidate", "GeneralCandidate", "candidates_for_event"]


ELECTION_STAGE_KINDS: dict[ElectionStage, str] = {
    ElectionStage.ANNOUNCING: GeneralKind.ELECTION_ANNOUNCING_STARTED,
    ElectionStage.VOTING: GeneralKind.ELECTION_VOTING_STARTED,
    ElectionStage.REVEALING: GeneralKind.ELECTION_REVEALING_STARTED,
}


def _members(member_id: int | None) -> frozenset[int]:
    return frozenset() if member_id is None else frozenset({member_id})


def _category_candidates(kind: str, category_chain: tuple[str, ...]) -> list[EntityCandidate]:
    # The query node may repeat a category if its data is odd; the nearest occurrence counts.
    unique_chain = dict.fromkeys(str(category_id) for category_id in category_chain)
    return [EntityCandidate(kind, category_id) for category_id in unique_chain]


def forum_post_candidates(event: ForumPostAdded, roles: Roles) -> list[Candidate]:
    return [
        GeneralCandidate(GeneralKind.FORUM_POST_MENTION, mentioned_member_ids(event.text, roles)),
        GeneralCandidate(GeneralKind.FORUM_POST_REPLY, _members(event.replied_to_author_id)),
        GeneralCandidate(GeneralKind.FORUM_THREAD_CREATOR, _members(event.thread_author_id)),
        GeneralCandidate(GeneralKind.FORUM_THREAD_CONTRIBUTOR, frozenset(event.earlier_post_author_ids)),
        EntityCandidate(EntityKind.FORUM_THREAD_ENTITY_POST, str(event.thread_id)),
        *_category_candidates(EntityKind.FORUM_CATEGORY_ENTITY_POST, event.category_chain),
        GeneralCandidate(GeneralKind.FORUM_POST_ALL, ANY),
    ]


def forum_thread_candidates(event: ForumThreadCreated, roles: Roles) -> list[Candidate]:
    return [
        GeneralCandidate(GeneralKind.FORUM_THREAD_MENTION, mentioned_member_ids(event.text, roles)),
        *_category_candidates(EntityKind.FORUM_CATEGORY_ENTITY_THREAD, event.category_chain),
        GeneralCandidate(GeneralKind.FORUM_THREAD_ALL, ANY),
    ]


def proposal_discussion_candidates(event: ProposalDiscussionPostCreated, roles: Roles) -> list[Candidate]:
    return [
        GeneralCandidate(GeneralKind.PROPOSAL_DISCUSSION_MENTION, mentioned_member_ids(event.text, roles)),
        GeneralCandidate(GeneralKind.PROPOSAL_DISCUSSION_REPLY, _members(event.replied_to_author_id)),
        GeneralCandidate(GeneralKind.PROPOSAL_DISCUSSION_CREATOR, _members(event.proposal_creator_id)),
        GeneralCandidate(
            GeneralKind.PROPOSAL_DISCUSSION_CONTRIBUTOR, frozenset(event.earlier_post_author_ids)
        ),
        EntityCandidate(EntityKind.PROPOSAL_ENTITY_DISCUSSION, str(event.proposal_id)),
        GeneralCandidate(GeneralKind.PROPOSAL_DISCUSSION_ALL, ANY),
    ]


def election_candidates(event: ElectionStageStarted) -> list[Candidate]:
    return [GeneralCandidate(ELECTION_STAGE_KINDS[ElectionStage(event.stage)], ANY)]


def candidates_for_event(event: QueryNodeEvent, roles: Roles) -> list[Candidate]:
    """The event's candidates, earlier beats later."""
    if isinstance(event, ForumPostAdded):
        return forum_post_candidates(event, roles)
    if isinstance(event, ForumThreadCreated):
        return forum_thread_candidates(event, roles)
    if isinstance(event, ProposalDiscussionPostCreated):
        return proposal_discussion_candidates(event, roles)
    if isinstance(event, ElectionStageStarted):
        return election_candidates(event)
    raise TypeError(f"no candidate rules for {type(event).__name__}")
