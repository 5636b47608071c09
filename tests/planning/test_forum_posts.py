"""Forum posts beyond the worked example: candidate order, contributors, the category chain."""

from __future__ import annotations

from qn_ingest.candidates import ANY, EntityCandidate, GeneralCandidate, candidates_for_event
from qn_ingest.events import Roles
from tests.factories import MemberFactory, SubscriptionFactory
from tests.planning.builders import forum_post, kinds_by_member, mention, plan


def test_candidates_are_in_rules_order_with_string_entity_ids():
    event = forum_post(
        thread_id="5",
        thread_author_id=3,
        text=mention(1),
        replied_to_author_id=2,
        earlier_post_author_ids=frozenset({4}),
        category_chain=("12", "3", "12"),
    )

    assert candidates_for_event(event, Roles()) == [
        GeneralCandidate("FORUM_POST_MENTION", frozenset({1})),
        GeneralCandidate("FORUM_POST_REPLY", frozenset({2})),
        GeneralCandidate("FORUM_THREAD_CREATOR", frozenset({3})),
        GeneralCandidate("FORUM_THREAD_CONTRIBUTOR", frozenset({4})),
        EntityCandidate("FORUM_THREAD_ENTITY_POST", "5"),
        EntityCandidate("FORUM_CATEGORY_ENTITY_POST", "12"),
        EntityCandidate("FORUM_CATEGORY_ENTITY_POST", "3"),
        GeneralCandidate("FORUM_POST_ALL", ANY),
    ]


def test_contributors_and_parent_category_watchers(db):
    MemberFactory(id=5)
    SubscriptionFactory(member=MemberFactory(id=6), kind="FORUM_CATEGORY_ENTITY_POST", entity_id="root")

    event = forum_post(earlier_post_author_ids=frozenset({5, 404}), category_chain=("leaf", "mid", "root"))

    assert kinds_by_member(plan([event])) == {5: "FORUM_THREAD_CONTRIBUTOR", 6: "FORUM_CATEGORY_ENTITY_POST"}


def test_one_notification_per_member_even_when_every_candidate_names_them(db):
    member = MemberFactory(id=5)
    SubscriptionFactory(member=member, kind="FORUM_POST_ALL")
    SubscriptionFactory(member=member, kind="FORUM_THREAD_ENTITY_POST", entity_id="t1")
    SubscriptionFactory(member=member, kind="FORUM_CATEGORY_ENTITY_POST", entity_id="c1")

    event = forum_post(
        thread_id="t1",
        thread_author_id=5,
        text=f"{mention(5)} {mention(5)}",
        replied_to_author_id=5,
        earlier_post_author_ids=frozenset({5}),
    )

    assert kinds_by_member(plan([event])) == {5: "FORUM_POST_MENTION"}


def test_unregistered_members_and_empty_pages_give_nothing(db):
    event = forum_post(text=mention(77), replied_to_author_id=78, thread_author_id=79)

    assert plan([event]) == []
    assert plan([]) == []


def test_an_event_repeated_in_a_page_is_planned_once(db):
    MemberFactory(id=5)
    event = forum_post(text=mention(5))

    drafts = plan([event, event])

    assert [(d.member_id, d.event_id) for d in drafts] == [(5, event.event_id)]
