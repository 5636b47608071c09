"""The worked example of docs/matching-rules.md, row by row, as one page of six forum posts."""

from __future__ import annotations

import json

from notifications.models import EmailStatus, Notification
from tests.factories import MemberFactory, SubscriptionFactory
from tests.planning.builders import forum_post, mention, plan

ALICE, BOB, MEMBER_3, DAVE = 1, 2, 3, 4


def _worked_example_members() -> None:
    alice = MemberFactory(id=ALICE, name="alice")
    bob = MemberFactory(id=BOB, name="bob")
    MemberFactory(id=DAVE, name="dave", receive_emails=False)
    SubscriptionFactory(member=alice, kind="FORUM_THREAD_ENTITY_POST", entity_id="foo")
    SubscriptionFactory(member=alice, kind="FORUM_CATEGORY_ENTITY_POST", entity_id="baz")
    SubscriptionFactory(member=bob, kind="FORUM_POST_ALL")
    SubscriptionFactory(member=bob, kind="FORUM_THREAD_ENTITY_POST", entity_id="foo", should_notify=False)
    SubscriptionFactory(member=bob, kind="FORUM_THREAD_ENTITY_POST", entity_id="bar")
    SubscriptionFactory(member=bob, kind="FORUM_CATEGORY_ENTITY_POST", entity_id="qux", should_notify=False)


def test_worked_example_six_posts_give_exactly_seven_notifications(db):
    # given the members and subscriptions of the worked example (member 3 is not registered)
    _worked_example_members()
    lobby = ("lobby",)
    posts = [
        # 1: on foo (Alice's thread), mentions Bob
        forum_post(
            thread_id="foo",
            thread_author_id=ALICE,
            category_chain=lobby,
            author_id=MEMBER_3,
            text=f"hi {mention(BOB, 'bob')}",
        ),
        # 2: on bar (Alice's thread), mentions and replies to Alice
        forum_post(
            thread_id="bar",
            thread_author_id=ALICE,
            category_chain=lobby,
            author_id=MEMBER_3,
            text=f"{mention(ALICE, 'alice')} agreed",
            replied_to_author_id=ALICE,
        ),
        # 3: in category baz, thread by member 3
        forum_post(
            thread_id="baz-thread", thread_author_id=MEMBER_3, category_chain=("baz",), author_id=MEMBER_3
        ),
        # 4: by Alice in qux, mentions and replies to herself
        forum_post(
            thread_id="qux-thread",
            thread_author_id=MEMBER_3,
            category_chain=("qux",),
            author_id=ALICE,
            text=f"me: {mention(ALICE)}",
            replied_to_author_id=ALICE,
        ),
        # 5: on foo (Alice's thread), replies to Alice, mentions Dave
        forum_post(
            thread_id="foo",
            thread_author_id=ALICE,
            category_chain=lobby,
            author_id=MEMBER_3,
            text=f"cc {mention(DAVE, 'dave')}",
            replied_to_author_id=ALICE,
        ),
        # 6: by Alice in her own thread in qux
        forum_post(thread_id="alice-qux", thread_author_id=ALICE, category_chain=("qux",), author_id=ALICE),
    ]

    # when
    drafts = plan(posts)

    # then
    got = {(d.member_id, d.event_id, d.kind, d.email_status) for d in drafts}
    pending, ignored = EmailStatus.PENDING, EmailStatus.IGNORED
    assert got == {
        (ALICE, posts[0].event_id, "FORUM_THREAD_CREATOR", pending),
        (ALICE, posts[1].event_id, "FORUM_POST_MENTION", pending),
        (BOB, posts[1].event_id, "FORUM_THREAD_ENTITY_POST", pending),
        (ALICE, posts[2].event_id, "FORUM_CATEGORY_ENTITY_POST", pending),
        (BOB, posts[2].event_id, "FORUM_POST_ALL", pending),
        (ALICE, posts[4].event_id, "FORUM_POST_REPLY", pending),
        (DAVE, posts[4].event_id, "FORUM_POST_MENTION", ignored),
    }
    assert len(drafts) == 7
    assert sum(d.email_status == pending for d in drafts) == 6
    assert all(d.entity_id == post.post_id for post in posts for d in drafts if d.event_id == post.event_id)

    # and the drafts are rows the Notification model accepts as they are
    Notification.objects.bulk_create(
        Notification(
            member_id=d.member_id,
            kind=d.kind,
            event_id=d.event_id,
            entity_id=d.entity_id,
            in_block=d.in_block,
            email_status=d.email_status,
            data=json.loads(json.dumps(d.data)),
        )
        for d in drafts
    )
    assert Notification.objects.count() == 7
    assert Notification.objects.filter(email_status=EmailStatus.PENDING).count() == 6
