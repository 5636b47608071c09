"""Role mentions reach the role's registered holders, for posts, threads and proposal posts;
the author, though holding the role, is never notified."""

from __future__ import annotations

import pytest

from qn_ingest.events import Roles, Worker
from tests.factories import MemberFactory
from tests.planning.builders import (
    forum_post,
    forum_thread,
    kinds_by_member,
    plan,
    proposal_post,
    role_mention,
)

# Member 12 sits on the council but is not registered; member 21 writes every post.
ROLES = Roles(
    council_member_ids=frozenset({10, 11, 12}),
    workers=(
        Worker(20, "forumWorkingGroup", True),
        Worker(21, "forumWorkingGroup", False),
        Worker(22, "storageWorkingGroup", True),
        Worker(23, "storageWorkingGroup", False),
    ),
)
AUTHOR = 21

EXPECTED = {
    "dao": {10, 11, 20, 22, 23},
    "council": {10, 11},
    "workers_forumWorkingGroup": {20},
    "workers_storageWorkingGroup": {22, 23},
    "leads": {20, 22},
    "lead_storageWorkingGroup": {22},
    "lead_forumWorkingGroup": {20},
    "robots": set(),
}

EVENT_BUILDERS = {
    "FORUM_POST_MENTION": lambda text: forum_post(author_id=AUTHOR, text=text),
    "FORUM_THREAD_MENTION": lambda text: forum_thread(author_id=AUTHOR, text=text),
    "PROPOSAL_DISCUSSION_MENTION": lambda text: proposal_post(author_id=AUTHOR, text=text),
}


@pytest.fixture
def registered(db):
    for member_id in (10, 11, 20, 21, 22, 23):
        MemberFactory(id=member_id)


@pytest.mark.parametrize("kind", sorted(EVENT_BUILDERS))
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_role_mention_reaches_registered_holders_but_not_the_author(registered, kind, role):
    event = EVENT_BUILDERS[kind](f"ping {role_mention(role)} please")

    drafts = plan([event], ROLES)

    assert kinds_by_member(drafts) == {member_id: kind for member_id in EXPECTED[role]}


def test_role_and_member_mention_of_the_same_member_is_one_notification(registered):
    event = forum_post(author_id=AUTHOR, text=f"{role_mention('council')} [@x](#mention?member-id=10)")

    drafts = plan([event], ROLES)

    assert kinds_by_member(drafts) == {10: "FORUM_POST_MENTION", 11: "FORUM_POST_MENTION"}
