"""Every notification kind, in the order the API exposes them, and which are on by default.

One source for models, GraphQL enums and the ingest (RULES.md, CONTRACT.md section 4).
Adding a kind means adding it here (and a migration for the choices).
"""

from __future__ import annotations

from django.db import models


class GeneralKind(models.TextChoices):
    FORUM_POST_ALL = "FORUM_POST_ALL", "Every new forum post"
    FORUM_POST_MENTION = "FORUM_POST_MENTION", "Mentions in forum posts"
    FORUM_POST_REPLY = "FORUM_POST_REPLY", "Replies to my forum posts"
    FORUM_THREAD_CREATOR = "FORUM_THREAD_CREATOR", "Posts in threads I created"
    FORUM_THREAD_CONTRIBUTOR = "FORUM_THREAD_CONTRIBUTOR", "Posts in threads I posted in"
    FORUM_THREAD_ALL = "FORUM_THREAD_ALL", "Every new forum thread"
    FORUM_THREAD_MENTION = "FORUM_THREAD_MENTION", "Mentions in new forum threads"
    PROPOSAL_DISCUSSION_MENTION = "PROPOSAL_DISCUSSION_MENTION", "Mentions in proposal discussions"
    PROPOSAL_DISCUSSION_REPLY = "PROPOSAL_DISCUSSION_REPLY", "Replies to my proposal discussion posts"
    PROPOSAL_DISCUSSION_CREATOR = "PROPOSAL_DISCUSSION_CREATOR", "Discussion of proposals I created"
    PROPOSAL_DISCUSSION_CONTRIBUTOR = (
        "PROPOSAL_DISCUSSION_CONTRIBUTOR",
        "Discussion of proposals I posted in",
    )
    PROPOSAL_DISCUSSION_ALL = "PROPOSAL_DISCUSSION_ALL", "Every proposal discussion post"
    ELECTION_ANNOUNCING_STARTED = "ELECTION_ANNOUNCING_STARTED", "Election: announcing period started"
    ELECTION_VOTING_STARTED = "ELECTION_VOTING_STARTED", "Election: voting period started"
    ELECTION_REVEALING_STARTED = "ELECTION_REVEALING_STARTED", "Election: revealing period started"


class EntityKind(models.TextChoices):
    FORUM_THREAD_ENTITY_POST = "FORUM_THREAD_ENTITY_POST", "New posts in a thread"
    FORUM_CATEGORY_ENTITY_POST = "FORUM_CATEGORY_ENTITY_POST", "New posts in a category"
    FORUM_CATEGORY_ENTITY_THREAD = "FORUM_CATEGORY_ENTITY_THREAD", "New threads in a category"
    PROPOSAL_ENTITY_DISCUSSION = "PROPOSAL_ENTITY_DISCUSSION", "New posts in a proposal discussion"


NotificationKind = models.TextChoices(
    "NotificationKind",
    [(kind.value, (kind.value, kind.label)) for kind in (*GeneralKind, *EntityKind)],
)

DEFAULT_ON_KINDS: frozenset[str] = frozenset(
    {
        GeneralKind.FORUM_POST_MENTION,
        GeneralKind.FORUM_POST_REPLY,
        GeneralKind.FORUM_THREAD_CREATOR,
        GeneralKind.FORUM_THREAD_CONTRIBUTOR,
        GeneralKind.FORUM_THREAD_MENTION,
        GeneralKind.PROPOSAL_DISCUSSION_MENTION,
        GeneralKind.PROPOSAL_DISCUSSION_REPLY,
        GeneralKind.PROPOSAL_DISCUSSION_CREATOR,
        GeneralKind.PROPOSAL_DISCUSSION_CONTRIBUTOR,
        GeneralKind.ELECTION_ANNOUNCING_STARTED,
        GeneralKind.ELECTION_VOTING_STARTED,
        GeneralKind.ELECTION_REVEALING_STARTED,
    }
)

GENERAL_KINDS: frozenset[str] = frozenset(GeneralKind.values)
ENTITY_KINDS: frozenset[str] = frozenset(EntityKind.values)
ENTITY_ID_MAX_LENGTH = 128


def is_on_by_default(kind: str) -> bool:
    return kind in DEFAULT_ON_KINDS


def is_general(kind: str) -> bool:
    return kind in GENERAL_KINDS


def is_entity(kind: str) -> bool:
    return kind in ENTITY_KINDS
