"""The three fixes over the old backend (docs/matching-rules.md, marked fixed)."""

from __future__ import annotations

from notifications.models import EmailStatus
from tests.factories import MemberFactory, SubscriptionFactory
from tests.planning.builders import forum_post, kinds_by_member, mention, plan, proposal_post


def test_nobody_is_notified_of_their_own_post_in_a_watched_thread_category_or_proposal(db):
    alice = MemberFactory(id=1)
    SubscriptionFactory(member=alice, kind="FORUM_THREAD_ENTITY_POST", entity_id="t1")
    SubscriptionFactory(member=alice, kind="FORUM_CATEGORY_ENTITY_POST", entity_id="c1")
    SubscriptionFactory(member=alice, kind="PROPOSAL_ENTITY_DISCUSSION", entity_id="pr1")
    watcher = MemberFactory(id=2)
    SubscriptionFactory(member=watcher, kind="FORUM_THREAD_ENTITY_POST", entity_id="t1")

    drafts = plan([forum_post(thread_id="t1", author_id=1), proposal_post(proposal_id="pr1", author_id=1)])

    assert kinds_by_member(drafts) == {2: "FORUM_THREAD_ENTITY_POST"}


def test_a_default_on_kind_is_turned_off_only_by_a_row_of_that_same_kind(db):
    # Member 5 turned off replies, not mentions; member 6 turned off mentions only.
    SubscriptionFactory(
        member=MemberFactory(id=5), kind="FORUM_POST_REPLY", should_notify=False, should_notify_by_email=False
    )
    six = MemberFactory(id=6)
    SubscriptionFactory(
        member=six, kind="FORUM_POST_MENTION", should_notify=False, should_notify_by_email=False
    )
    SubscriptionFactory(member=six, kind="FORUM_POST_ALL")

    mentioned = plan([forum_post(text=f"{mention(5)} {mention(6)}")])
    replied = plan([forum_post(replied_to_author_id=5)])

    # 6 skips the mention it turned off and falls through to the kind it asked for
    assert kinds_by_member(mentioned) == {5: "FORUM_POST_MENTION", 6: "FORUM_POST_ALL"}
    assert kinds_by_member(replied) == {6: "FORUM_POST_ALL"}


def test_should_notify_by_email_false_means_ignored(db):
    SubscriptionFactory(member=MemberFactory(id=5), kind="FORUM_POST_MENTION", should_notify_by_email=False)
    SubscriptionFactory(
        member=MemberFactory(id=6),
        kind="FORUM_THREAD_ENTITY_POST",
        entity_id="t1",
        should_notify_by_email=False,
    )
    SubscriptionFactory(member=MemberFactory(id=7), kind="FORUM_POST_ALL", should_notify_by_email=False)
    MemberFactory(id=8)  # no stored row: a default means email on
    SubscriptionFactory(member=MemberFactory(id=9), kind="FORUM_POST_MENTION", should_notify_by_email=True)

    drafts = plan([forum_post(thread_id="t1", text=f"{mention(5)} {mention(8)} {mention(9)}")])

    assert {d.member_id: (d.kind, d.email_status) for d in drafts} == {
        5: ("FORUM_POST_MENTION", EmailStatus.IGNORED),
        6: ("FORUM_THREAD_ENTITY_POST", EmailStatus.IGNORED),
        7: ("FORUM_POST_ALL", EmailStatus.IGNORED),
        8: ("FORUM_POST_MENTION", EmailStatus.PENDING),
        9: ("FORUM_POST_MENTION", EmailStatus.PENDING),
    }


def test_no_verified_email_or_emails_off_means_ignored(db):
    MemberFactory(id=5, email=None, unverified_email="five@example.org")
    MemberFactory(id=6, email="", receive_emails=True)
    MemberFactory(id=7, receive_emails=False)
    MemberFactory(id=8)

    drafts = plan([forum_post(text=" ".join(mention(m) for m in (5, 6, 7, 8)))])

    assert {d.member_id: d.email_status for d in drafts} == {
        5: EmailStatus.IGNORED,
        6: EmailStatus.IGNORED,
        7: EmailStatus.IGNORED,
        8: EmailStatus.PENDING,
    }
