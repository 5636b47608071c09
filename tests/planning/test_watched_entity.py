"""An entity-subscription notification records which watch matched, so its email's unsubscribe
link can name it: the thread, the (possibly parent) category or the proposal, never the post."""

from __future__ import annotations

from tests.factories import MemberFactory, SubscriptionFactory
from tests.planning.builders import forum_post, mention, plan, proposal_post


def test_a_thread_watch_records_the_thread(db):
    SubscriptionFactory(member=MemberFactory(id=5), kind="FORUM_THREAD_ENTITY_POST", entity_id="t9")

    [draft] = plan([forum_post(thread_id="t9")])

    assert (draft.kind, draft.data["watched"]) == ("FORUM_THREAD_ENTITY_POST", {"id": "t9"})
    assert draft.entity_id != "t9"  # the notification's own entity is the post


def test_a_parent_category_watch_records_that_parent_not_the_nearest_category(db):
    SubscriptionFactory(member=MemberFactory(id=5), kind="FORUM_CATEGORY_ENTITY_POST", entity_id="root")

    [draft] = plan([forum_post(category_chain=("leaf", "root"))])

    assert draft.data["watched"] == {"id": "root"}
    assert draft.data["category"]["id"] == "leaf"


def test_a_proposal_watch_records_the_proposal(db):
    SubscriptionFactory(member=MemberFactory(id=5), kind="PROPOSAL_ENTITY_DISCUSSION", entity_id="42")

    [draft] = plan([proposal_post(proposal_id="42")])

    assert draft.data["watched"] == {"id": "42"}


def test_general_kinds_share_the_event_data_without_a_watch(db):
    MemberFactory(id=5)
    MemberFactory(id=6)

    drafts = plan([forum_post(text=f"{mention(5)} {mention(6)}")])

    assert [draft.kind for draft in drafts] == ["FORUM_POST_MENTION"] * 2
    assert all("watched" not in draft.data for draft in drafts)
    assert drafts[0].data is drafts[1].data  # one dict per event, not per recipient
