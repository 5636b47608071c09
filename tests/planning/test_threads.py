"""New forum threads: mentions, category watches through the chain, mutes, FORUM_THREAD_ALL."""

from __future__ import annotations

from tests.factories import MemberFactory, SubscriptionFactory
from tests.planning.builders import forum_thread, kinds_by_member, mention, plan

CHAIN = ("child", "parent", "root")


def test_mention_in_a_new_thread(db):
    MemberFactory(id=5)
    event = forum_thread(text=f"hey {mention(5)}", category_chain=CHAIN)

    drafts = plan([event])

    assert kinds_by_member(drafts) == {5: "FORUM_THREAD_MENTION"}
    assert drafts[0].entity_id == event.thread_id


def test_watching_a_parent_category_notifies_of_threads_in_its_children(db):
    SubscriptionFactory(member=MemberFactory(id=5), kind="FORUM_CATEGORY_ENTITY_THREAD", entity_id="parent")
    SubscriptionFactory(
        member=MemberFactory(id=6), kind="FORUM_CATEGORY_ENTITY_THREAD", entity_id="elsewhere"
    )

    drafts = plan([forum_thread(category_chain=CHAIN)])

    assert kinds_by_member(drafts) == {5: "FORUM_CATEGORY_ENTITY_THREAD"}


def test_a_muted_parent_category_blocks_a_mention(db):
    muted = MemberFactory(id=5)
    SubscriptionFactory(
        member=muted, kind="FORUM_CATEGORY_ENTITY_THREAD", entity_id="root", should_notify=False
    )
    MemberFactory(id=6)

    drafts = plan([forum_thread(text=f"{mention(5)} {mention(6)}", category_chain=CHAIN)])

    assert kinds_by_member(drafts) == {6: "FORUM_THREAD_MENTION"}


def test_watching_a_nearer_category_outranks_a_muted_farther_one(db):
    member = MemberFactory(id=5)
    SubscriptionFactory(member=member, kind="FORUM_CATEGORY_ENTITY_THREAD", entity_id="child")
    SubscriptionFactory(
        member=member, kind="FORUM_CATEGORY_ENTITY_THREAD", entity_id="root", should_notify=False
    )
    other = MemberFactory(id=6)
    SubscriptionFactory(
        member=other, kind="FORUM_CATEGORY_ENTITY_THREAD", entity_id="child", should_notify=False
    )
    SubscriptionFactory(member=other, kind="FORUM_CATEGORY_ENTITY_THREAD", entity_id="root")

    drafts = plan([forum_thread(text=mention(5), category_chain=CHAIN)])

    assert kinds_by_member(drafts) == {5: "FORUM_CATEGORY_ENTITY_THREAD"}


def test_forum_thread_all_is_off_unless_subscribed(db):
    SubscriptionFactory(member=MemberFactory(id=5), kind="FORUM_THREAD_ALL")
    SubscriptionFactory(
        member=MemberFactory(id=6), kind="FORUM_THREAD_ALL", should_notify=False, should_notify_by_email=False
    )
    MemberFactory(id=7)  # never chose: off by default
    SubscriptionFactory(member=MemberFactory(id=8), kind="FORUM_THREAD_ALL")

    drafts = plan([forum_thread(author_id=8, category_chain=CHAIN)])

    assert kinds_by_member(drafts) == {5: "FORUM_THREAD_ALL"}


def test_mention_outranks_category_watch_and_thread_all(db):
    member = MemberFactory(id=5)
    SubscriptionFactory(member=member, kind="FORUM_THREAD_ALL")
    SubscriptionFactory(member=member, kind="FORUM_CATEGORY_ENTITY_THREAD", entity_id="child")
    watcher = MemberFactory(id=6)
    SubscriptionFactory(member=watcher, kind="FORUM_THREAD_ALL")
    SubscriptionFactory(member=watcher, kind="FORUM_CATEGORY_ENTITY_THREAD", entity_id="parent")

    drafts = plan([forum_thread(text=mention(5), category_chain=CHAIN)])

    assert kinds_by_member(drafts) == {5: "FORUM_THREAD_MENTION", 6: "FORUM_CATEGORY_ENTITY_THREAD"}
