"""The per-member counts behind notificationsCount are kept by database triggers: whatever
writes the notification table, they equal a real count of the rows (on SQLite and PostgreSQL)."""

import pytest
from django.db import connection

from members.models import Member
from notifications.models import Notification, NotificationCount
from notifications.selectors import notifications_count_for_member
from notifications.services import notifications_mark_read, notifications_mark_unread
from tests.factories import MemberFactory, NotificationFactory

pytestmark = pytest.mark.django_db


def assert_counts_match_rows() -> None:
    for member in Member.objects.all():
        rows = Notification.objects.filter(member=member, in_app=True)  # the feed's rows
        assert notifications_count_for_member(member_id=member.id) == rows.count()
        assert (
            notifications_count_for_member(member_id=member.id, is_read=False)
            == rows.filter(is_read=False).count()
        )
        assert (
            notifications_count_for_member(member_id=member.id, is_read=True)
            == rows.filter(is_read=True).count()
        )


def test_counts_follow_inserts_reads_moves_and_deletes():
    alice, bob = MemberFactory(id=1), MemberFactory(id=2)
    mine = NotificationFactory.create_batch(4, member=alice)
    NotificationFactory.create_batch(2, member=bob, is_read=True)
    email_only = NotificationFactory(member=alice, in_app=False)  # not in the feed: not counted
    assert NotificationCount.objects.get(member_id=1).unread == 4
    assert_counts_match_rows()

    notifications_mark_read(member=alice, ids=[mine[0].id, mine[1].id])
    assert_counts_match_rows()
    notifications_mark_unread(member=alice, ids=[mine[0].id])
    assert_counts_match_rows()
    notifications_mark_read(member=bob, all_notifications=True)  # nothing to change
    assert_counts_match_rows()

    # An operator's edits in the admin go through the ORM like anything else.
    Notification.objects.filter(id=mine[2].id).update(member=bob)
    Notification.objects.filter(id=mine[3].id).update(email_status="SENT")  # not a count change
    assert_counts_match_rows()
    Notification.objects.filter(id=mine[0].id).delete()
    assert_counts_match_rows()
    Notification.objects.filter(id=email_only.id).update(in_app=True)
    assert_counts_match_rows()
    Notification.objects.filter(id=email_only.id).update(in_app=False, is_read=True)
    assert_counts_match_rows()

    bob.delete()  # cascades to bob's notifications
    assert_counts_match_rows()
    assert notifications_count_for_member(member_id=alice.id) == 2
    assert Notification.objects.filter(member=alice).count() == 3


def test_a_member_without_notifications_counts_zero():
    member = MemberFactory()
    assert notifications_count_for_member(member_id=member.id) == 0
    assert notifications_count_for_member(member_id=member.id, is_read=False) == 0


@pytest.mark.django_db(transaction=True)
def test_truncating_the_table_clears_the_counts():
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    member = MemberFactory()
    NotificationFactory.create_batch(3, member=member)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_notification CASCADE")
    assert notifications_count_for_member(member_id=member.id) == 0
    NotificationFactory(member=member)
    assert notifications_count_for_member(member_id=member.id, is_read=False) == 1


@pytest.mark.parametrize("arguments", ["", "(isRead: false)", "(isRead: true)"])
def test_a_count_request_is_one_query(
    member_api_client, member, arguments, django_assert_num_queries, settings
):
    # The resolver's queries, uncached (the cache's: tests/notifications_api/test_feed_cache.py).
    settings.FEED_CACHE_TTL_SECONDS = 0
    NotificationFactory.create_batch(3, member=member)
    NotificationFactory(member=member, is_read=True)
    expected = {"": 4, "(isRead: false)": 3, "(isRead: true)": 1}[arguments]

    # The token's member and its counts row, joined: no lookup of the member first.
    with django_assert_num_queries(1):
        data = member_api_client.execute(f"{{ notificationsCount{arguments} }}")

    assert data == {"notificationsCount": expected}


def test_a_member_never_notified_counts_zero_over_the_api(member_api_client, member):
    assert not NotificationCount.objects.filter(member_id=member.id).exists()
    assert member_api_client.execute(
        "{ unread: notificationsCount(isRead: false) total: notificationsCount }"
    ) == {
        "unread": 0,
        "total": 0,
    }


def test_a_count_of_one_kind_counts_the_members_rows(member_api_client, member):
    NotificationFactory.create_batch(2, member=member, kind="FORUM_POST_ALL")
    NotificationFactory(member=member, kind="FORUM_POST_MENTION")
    NotificationFactory(member=MemberFactory(id=2), kind="FORUM_POST_ALL")

    data = member_api_client.execute("{ notificationsCount(kind: FORUM_POST_ALL, isRead: false) }")

    assert data == {"notificationsCount": 2}


def test_the_version_moves_with_what_the_feed_shows_and_only_that():
    from django.utils import timezone

    from notifications.selectors import feed_version

    member, other = MemberFactory(id=1), MemberFactory(id=2)
    assert feed_version(member.id) == 0  # never notified: no counts row yet
    assert feed_version(999) is None  # no such member
    row = NotificationFactory(member=member)
    NotificationFactory(member=other)
    seen = [feed_version(member.id)]

    def moved() -> bool:
        seen.append(feed_version(member.id))
        return seen[-1] > seen[-2]

    rows = Notification.objects.filter(id=row.id)
    # Delivery bookkeeping and tracking: not in the feed.
    rows.update(retry_count=2, last_error="timeout", next_attempt_at=timezone.now())
    rows.update(opened_at=timezone.now(), clicked_at=timezone.now(), provider_message_id="m-1")
    assert not moved()
    NotificationFactory(member=other)  # another member's feed
    assert not moved()
    for change in [
        {"email_status": "SENT"},
        {"is_read": True},
        {"data": {"thread_title": "Renamed"}},
        {"entity_id": "9"},
        {"in_block": 77},
        {"created_at": timezone.now()},
        {"in_app": False},
        {"in_app": True},
    ]:
        rows.update(**change)
        assert moved(), change
    NotificationFactory(member=member, in_app=False)  # email only: not in the feed
    assert not moved()
    NotificationFactory(member=member)
    assert moved()
    rows.delete()
    assert moved()
    assert_counts_match_rows()
