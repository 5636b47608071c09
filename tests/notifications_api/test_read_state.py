import pytest

from notifications.models import Notification
from tests.factories import MemberFactory, NotificationFactory

NOTIFICATIONS_COUNT = """
query ($isRead: Boolean, $kind: NotificationKind) { notificationsCount(isRead: $isRead, kind: $kind) }
"""

MARK_READ = """
mutation ($ids: [Int!], $all: Boolean) { markNotificationsAsRead(ids: $ids, all: $all) }
"""

MARK_UNREAD = """
mutation ($ids: [Int!]) { markNotificationsAsUnread(ids: $ids) }
"""

pytestmark = pytest.mark.django_db


def unread_ids(member) -> set[int]:
    return set(Notification.objects.filter(member=member, is_read=False).values_list("id", flat=True))


def test_counts(member_api_client, member):
    NotificationFactory.create_batch(3, member=member, kind="FORUM_POST_MENTION")
    NotificationFactory(member=member, kind="FORUM_POST_REPLY", is_read=True)
    NotificationFactory.create_batch(2, member=MemberFactory(id=2))

    def count(**variables) -> int:
        return member_api_client.execute(NOTIFICATIONS_COUNT, variables)["notificationsCount"]

    assert count() == 4
    assert count(isRead=False) == 3
    assert count(isRead=True) == 1
    assert count(kind="FORUM_POST_REPLY") == 1
    assert count(kind="FORUM_POST_REPLY", isRead=False) == 0


def test_mark_read_by_ids_counts_only_changed_rows(member_api_client, member):
    first, second, third = NotificationFactory.create_batch(3, member=member)

    changed = member_api_client.execute(MARK_READ, {"ids": [first.id, second.id]})
    again = member_api_client.execute(MARK_READ, {"ids": [first.id, second.id]})

    assert changed == {"markNotificationsAsRead": 2}
    assert again == {"markNotificationsAsRead": 0}
    assert unread_ids(member) == {third.id}


def test_mark_all_read(member_api_client, member):
    NotificationFactory.create_batch(3, member=member)
    NotificationFactory(member=member, is_read=True)
    other = MemberFactory(id=2)
    theirs = NotificationFactory(member=other)

    changed = member_api_client.execute(MARK_READ, {"all": True})

    assert changed == {"markNotificationsAsRead": 3}
    assert unread_ids(member) == set()
    assert unread_ids(other) == {theirs.id}


def test_mark_unread(member_api_client, member):
    read = NotificationFactory(member=member, is_read=True)
    unread = NotificationFactory(member=member)

    changed = member_api_client.execute(MARK_UNREAD, {"ids": [read.id, unread.id]})

    assert changed == {"markNotificationsAsUnread": 1}
    assert unread_ids(member) == {read.id, unread.id}


def test_other_members_ids_are_ignored(member_api_client, member):
    other = MemberFactory(id=2)
    theirs_unread = NotificationFactory(member=other)
    theirs_read = NotificationFactory(member=other, is_read=True)

    read = member_api_client.execute(MARK_READ, {"ids": [theirs_unread.id]})
    unread = member_api_client.execute(MARK_UNREAD, {"ids": [theirs_read.id]})

    assert read == {"markNotificationsAsRead": 0}
    assert unread == {"markNotificationsAsUnread": 0}
    assert unread_ids(other) == {theirs_unread.id}


def test_empty_ids_change_nothing(member_api_client, member):
    NotificationFactory(member=member)

    assert member_api_client.execute(MARK_READ, {"ids": []}) == {"markNotificationsAsRead": 0}
    assert len(unread_ids(member)) == 1


@pytest.mark.parametrize(
    ("query", "variables", "code", "message"),
    [
        (MARK_READ, {}, "BAD_USER_INPUT", "Pass ids, or all: true"),
        (MARK_READ, {"all": False}, "BAD_USER_INPUT", "Pass ids, or all: true"),
        (MARK_UNREAD, {}, "BAD_USER_INPUT", "Pass the ids to mark unread"),
        (MARK_READ, {"ids": list(range(1, 1002))}, "BAD_USER_INPUT", "At most 1000 ids"),
        (MARK_READ, {"ids": ["one"]}, "GRAPHQL_VALIDATION_FAILED", "Int cannot represent non-integer value"),
        (MARK_READ, {"ids": [None]}, "GRAPHQL_VALIDATION_FAILED", "Expected non-nullable type 'Int!'"),
        (MARK_UNREAD, {"ids": [2**40]}, "GRAPHQL_VALIDATION_FAILED", "non 32-bit signed integer"),
        (NOTIFICATIONS_COUNT, {"kind": "EVERYTHING"}, "GRAPHQL_VALIDATION_FAILED", "EVERYTHING"),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(
    member_api_client, member, query, variables, code, message
):
    NotificationFactory(member=member)

    result = member_api_client.post(query, variables)

    [error] = result["errors"]
    assert error["extensions"]["code"] == code
    assert message in error["message"]
    assert len(unread_ids(member)) == 1
