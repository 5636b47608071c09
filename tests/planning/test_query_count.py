"""Planning a page costs the same few queries whatever its size: none per event or member."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from qn_ingest.events import ElectionStage, Roles, Worker
from tests.factories import MemberFactory, SubscriptionFactory
from tests.planning.builders import (
    election,
    forum_post,
    forum_thread,
    mention,
    plan,
    proposal_post,
    role_mention,
)

ROLES = Roles(council_member_ids=frozenset({1, 2}), workers=(Worker(3, "forumWorkingGroup", True),))


def _members_with_subscriptions(first: int, last: int) -> None:
    for member_id in range(first, last + 1):
        member = MemberFactory(id=member_id)
        SubscriptionFactory(member=member, kind="FORUM_POST_ALL")
        SubscriptionFactory(member=member, kind="FORUM_THREAD_ENTITY_POST", entity_id=f"t{member_id % 7}")
        SubscriptionFactory(
            member=member, kind="FORUM_CATEGORY_ENTITY_POST", entity_id="c1", should_notify=member_id % 2 == 0
        )
        SubscriptionFactory(member=member, kind="PROPOSAL_ENTITY_DISCUSSION", entity_id=f"pr{member_id % 3}")


def _page(size: int, members: int) -> list:
    """A mixed page: every event type, mentions, roles, replies, contributors."""
    builders = [
        lambda i: forum_post(
            thread_id=f"t{i % 7}",
            author_id=i % members + 1,
            thread_author_id=(i + 1) % members + 1,
            text=f"{mention((i + 2) % members + 1)} {role_mention('dao')}",
            replied_to_author_id=(i + 3) % members + 1,
            earlier_post_author_ids=frozenset({(i + 4) % members + 1, (i + 5) % members + 1}),
            category_chain=("c1", "root"),
        ),
        lambda i: forum_thread(thread_id=f"n{i}", text=mention(i % members + 1), category_chain=("c1",)),
        lambda i: proposal_post(
            proposal_id=f"pr{i % 3}", creator_id=i % members + 1, text=role_mention("council")
        ),
        lambda i: election(list(ElectionStage)[i % 3]),
    ]
    return [builders[i % len(builders)](i) for i in range(size)]


def _queries_for(size: int, members: int) -> tuple[int, int]:
    events = _page(size, members)
    with CaptureQueriesContext(connection) as captured:
        drafts = plan(events, ROLES)
    return len(captured), len(drafts)


def test_query_count_is_constant_in_events_and_members(db):
    _members_with_subscriptions(1, 5)
    small_queries, small_drafts = _queries_for(4, 5)

    _members_with_subscriptions(6, 120)
    big_queries, big_drafts = _queries_for(50, 120)

    assert big_drafts > small_drafts > 0
    assert small_queries == big_queries == 2
