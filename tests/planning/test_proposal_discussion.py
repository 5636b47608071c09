"""Proposal discussion posts: all, entity watch/mute, mention, reply, creator, contributor."""

from __future__ import annotations

from tests.factories import MemberFactory, SubscriptionFactory
from tests.planning.builders import kinds_by_member, mention, plan, proposal_post


def test_proposal_discussion_all_is_off_unless_subscribed(db):
    SubscriptionFactory(member=MemberFactory(id=5), kind="PROPOSAL_DISCUSSION_ALL")
    MemberFactory(id=6)

    drafts = plan([proposal_post()])

    assert kinds_by_member(drafts) == {5: "PROPOSAL_DISCUSSION_ALL"}


def test_watching_a_proposal(db):
    SubscriptionFactory(member=MemberFactory(id=5), kind="PROPOSAL_ENTITY_DISCUSSION", entity_id="pr1")
    SubscriptionFactory(member=MemberFactory(id=6), kind="PROPOSAL_ENTITY_DISCUSSION", entity_id="pr2")

    event = proposal_post(proposal_id="pr1")
    drafts = plan([event])

    assert kinds_by_member(drafts) == {5: "PROPOSAL_ENTITY_DISCUSSION"}
    assert drafts[0].entity_id == event.post_id


def test_muting_a_proposal_blocks_everything_about_it(db):
    member = MemberFactory(id=5)
    SubscriptionFactory(
        member=member, kind="PROPOSAL_ENTITY_DISCUSSION", entity_id="pr1", should_notify=False
    )
    SubscriptionFactory(member=member, kind="PROPOSAL_DISCUSSION_ALL")

    event = proposal_post(
        proposal_id="pr1",
        creator_id=5,
        text=mention(5),
        replied_to_author_id=5,
        earlier_post_author_ids=frozenset({5}),
    )

    assert plan([event]) == []
    # the mute is about that proposal only
    assert kinds_by_member(plan([proposal_post(proposal_id="pr2", text=mention(5))])) == {
        5: "PROPOSAL_DISCUSSION_MENTION"
    }


def test_priority_mention_reply_creator_contributor(db):
    for member_id in (5, 6, 7, 8):
        MemberFactory(id=member_id)

    event = proposal_post(
        creator_id=7,
        text=mention(5),
        replied_to_author_id=6,
        earlier_post_author_ids=frozenset({5, 6, 7, 8}),
    )

    assert kinds_by_member(plan([event])) == {
        5: "PROPOSAL_DISCUSSION_MENTION",
        6: "PROPOSAL_DISCUSSION_REPLY",
        7: "PROPOSAL_DISCUSSION_CREATOR",
        8: "PROPOSAL_DISCUSSION_CONTRIBUTOR",
    }


def test_creator_reply_and_contributor_alone(db):
    for member_id in (5, 6, 7):
        MemberFactory(id=member_id)

    assert kinds_by_member(plan([proposal_post(creator_id=5)])) == {5: "PROPOSAL_DISCUSSION_CREATOR"}
    assert kinds_by_member(plan([proposal_post(replied_to_author_id=6)])) == {6: "PROPOSAL_DISCUSSION_REPLY"}
    assert kinds_by_member(plan([proposal_post(earlier_post_author_ids=frozenset({7, 404}))])) == {
        7: "PROPOSAL_DISCUSSION_CONTRIBUTOR"
    }


def test_general_kinds_beat_a_watched_proposal_and_the_author_gets_nothing(db):
    for member_id in (5, 6):
        member = MemberFactory(id=member_id)
        SubscriptionFactory(member=member, kind="PROPOSAL_ENTITY_DISCUSSION", entity_id="pr1")
        SubscriptionFactory(member=member, kind="PROPOSAL_DISCUSSION_ALL")

    event = proposal_post(author_id=6, creator_id=5, earlier_post_author_ids=frozenset({6}))

    assert kinds_by_member(plan([event])) == {5: "PROPOSAL_DISCUSSION_CREATOR"}
