from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from graphql import ExecutionContext

from notifications.models import Notification
from tests.factories import MemberFactory, NotificationFactory

NOTIFICATIONS = """
query ($id: String, $kind: NotificationKind, $eventId: String, $entityId: String,
       $emailStatus: NotificationEmailStatus, $isRead: Boolean, $limit: Int, $offset: Int) {
  notifications(id: $id, kind: $kind, eventId: $eventId, entityId: $entityId, emailStatus: $emailStatus,
                isRead: $isRead, limit: $limit, offset: $offset) {
    id kind eventId entityId emailStatus isRead createdAt inBlock message link
  }
}
"""

NOTIFICATION_IDS = """
query ($limit: Int, $offset: Int) { notifications(limit: $limit, offset: $offset) { id } }
"""

pytestmark = pytest.mark.django_db


def make_notifications(member, count: int) -> list[Notification]:
    """count notifications, the first one oldest; one INSERT so large feeds stay quick to build."""
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                member=member, kind="FORUM_POST_ALL", event_id=f"9-{n}", entity_id=str(n), in_block=9
            )
            for n in range(count)
        ]
    )
    rows = list(Notification.objects.filter(member=member).order_by("id"))
    for n, row in enumerate(rows):
        row.created_at = now - timedelta(seconds=count - n)
    Notification.objects.bulk_update(rows, ["created_at"])
    return rows


def feed_ids(client, **variables) -> list[int]:
    return [row["id"] for row in client.execute(NOTIFICATION_IDS, variables)["notifications"]]


def test_fields_and_display_text(member_api_client, member):
    notification = NotificationFactory(
        member=member,
        kind="FORUM_POST_REPLY",
        event_id="120-4",
        entity_id="55",
        in_block=120,
        data={
            "author": {"id": 2, "handle": "bob"},
            "thread": {"id": "5", "title": "Hello"},
            "post": {"id": "55"},
        },
    )

    [row] = member_api_client.execute(NOTIFICATIONS)["notifications"]

    assert row == {
        "id": notification.id,
        "kind": "FORUM_POST_REPLY",
        "eventId": "120-4",
        "entityId": "55",
        "emailStatus": "PENDING",
        "isRead": False,
        "createdAt": row["createdAt"],
        "inBlock": 120,
        "message": "bob replied to your post in Hello",
        "link": f"{settings.PIONEER_URL.rstrip('/')}/#/forum/thread/5?post=55",
    }
    assert row["createdAt"].startswith(notification.created_at.date().isoformat())


def test_election_notification_links_to_the_election_page(member_api_client, member):
    NotificationFactory(member=member, kind="ELECTION_VOTING_STARTED", data={"election": {"stage": "VOTING"}})

    [row] = member_api_client.execute(NOTIFICATIONS)["notifications"]

    assert row["message"] == "The council election voting period has started"
    assert row["link"].endswith("/#/election")


def test_newest_first_with_ties_broken_by_id(member_api_client, member):
    rows = make_notifications(member, 3)
    tie = NotificationFactory(member=member)
    Notification.objects.filter(id=tie.id).update(created_at=rows[2].created_at)

    assert feed_ids(member_api_client) == [tie.id, rows[2].id, rows[1].id, rows[0].id]


def test_filters(member_api_client, member):
    mention = NotificationFactory(member=member, kind="FORUM_POST_MENTION", event_id="1-1", entity_id="10")
    read = NotificationFactory(
        member=member, kind="FORUM_POST_REPLY", event_id="1-2", entity_id="11", is_read=True
    )
    sent = NotificationFactory(
        member=member, kind="FORUM_POST_REPLY", event_id="2-1", entity_id="10", email_status="SENT"
    )

    def ids(**variables):
        return sorted(
            row["id"] for row in member_api_client.execute(NOTIFICATIONS, variables)["notifications"]
        )

    assert ids(id=str(read.id)) == [read.id]
    assert ids(kind="FORUM_POST_REPLY") == sorted([read.id, sent.id])
    assert ids(eventId="1-1") == [mention.id]
    assert ids(entityId="10") == sorted([mention.id, sent.id])
    assert ids(emailStatus="SENT") == [sent.id]
    assert ids(isRead=True) == [read.id]
    assert ids(isRead=False, kind="FORUM_POST_REPLY") == [sent.id]
    assert ids(kind="ELECTION_VOTING_STARTED") == []


def test_limit_defaults_to_100_and_offset_pages_without_overlap(member_api_client, member):
    rows = make_notifications(member, 120)
    newest_first = [row.id for row in reversed(rows)]

    assert feed_ids(member_api_client) == newest_first[:100]
    assert feed_ids(member_api_client, limit=50, offset=100) == newest_first[100:]
    assert feed_ids(member_api_client, limit=0) == []
    assert feed_ids(member_api_client, offset=2_000_000_000) == []


def test_limit_is_capped_at_500(member_api_client, member):
    make_notifications(member, 501)

    assert len(feed_ids(member_api_client, limit=501)) == 500
    assert len(feed_ids(member_api_client, limit=2**31 - 1)) == 500


@pytest.mark.parametrize(
    ("variables", "code", "message"),
    [
        ({"limit": -1}, "BAD_USER_INPUT", "limit must not be negative"),
        ({"offset": -5}, "BAD_USER_INPUT", "offset must not be negative"),
        ({"limit": 2**31}, "GRAPHQL_VALIDATION_FAILED", "Int cannot represent non 32-bit signed integer"),
        ({"limit": "ten"}, "GRAPHQL_VALIDATION_FAILED", "Int cannot represent non-integer value"),
        ({"kind": "FORUM_POST_EVERYTHING"}, "GRAPHQL_VALIDATION_FAILED", "FORUM_POST_EVERYTHING"),
        ({"emailStatus": "QUEUED"}, "GRAPHQL_VALIDATION_FAILED", "QUEUED"),
        ({"isRead": "no"}, "GRAPHQL_VALIDATION_FAILED", "Boolean cannot represent a non boolean value"),
        ({"id": "seven"}, "BAD_USER_INPUT", "id must be a decimal notification id"),
        ({"eventId": "1-" + "9" * 10_000}, "BAD_USER_INPUT", "eventId must be at most 255 characters"),
        ({"entityId": "9" * 129}, "BAD_USER_INPUT", "entityId must be at most 128 characters"),
        ({"eventId": "1-\x01"}, "BAD_USER_INPUT", "eventId must not contain control characters"),
        ({"entityId": "\x01"}, "BAD_USER_INPUT", "entityId must not contain control characters"),
        ({"id": "1\x01"}, "BAD_USER_INPUT", "id must be a decimal notification id"),
    ],
)
def test_bad_arguments_are_clear_errors(member_api_client, variables, code, message):
    result = member_api_client.post(NOTIFICATIONS, variables)

    [error] = result["errors"]
    assert error["extensions"]["code"] == code
    assert message in error["message"]


def test_inline_negative_limit_is_a_clear_error(member_api_client):
    result = member_api_client.post("{ notifications(limit: -1) { id } }")

    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert result["data"] == {"notifications": None}


def test_other_members_notifications_are_invisible(member_api_client, member):
    mine = NotificationFactory(member=member)
    theirs = NotificationFactory(member=MemberFactory(id=2))

    assert feed_ids(member_api_client) == [mine.id]
    assert member_api_client.execute(NOTIFICATIONS, {"id": str(theirs.id)})["notifications"] == []


def test_a_page_of_100_takes_a_constant_number_of_queries(member_api_client, member, settings):
    # The resolver's queries, uncached (the cache's: tests/notifications_api/test_feed_cache.py).
    settings.FEED_CACHE_TTL_SECONDS = 0

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            data = member_api_client.execute(NOTIFICATIONS, {"limit": 100})
        assert data["notifications"] is not None
        return len(queries)

    make_notifications(member, 2)
    few = count_queries()
    make_notifications(MemberFactory(id=2), 1)
    Notification.objects.bulk_create(
        [
            Notification(member=member, kind="FORUM_POST_MENTION", event_id=f"7-{n}", data={})
            for n in range(150)
        ]
    )
    many = count_queries()

    # One page of notifications: its rows prove the token's member exists.
    assert few == many == 1


def test_an_empty_page_asks_whether_the_member_exists(member_api_client, member, settings):
    settings.FEED_CACHE_TTL_SECONDS = 0  # the resolver's queries
    with CaptureQueriesContext(connection) as queries:
        data = member_api_client.execute(NOTIFICATIONS, {"limit": 100})
    assert data["notifications"] == []
    assert len(queries) == 2


def test_the_page_is_completed_without_graphql_cores_per_field_path(member_api_client, member, monkeypatch):
    """The view executes with pioneer.graphql_execution's shortcut: of the fields, graphql-core's
    own per-field path runs for `notifications` only, not for each of the rows' fields."""
    calls = []
    original = ExecutionContext.execute_field

    def counted(self, parent_type, source, field_nodes, path):
        calls.append(path.key)
        return original(self, parent_type, source, field_nodes, path)

    monkeypatch.setattr(ExecutionContext, "execute_field", counted)
    make_notifications(member, 3)

    data = member_api_client.execute(NOTIFICATIONS, {"limit": 3})

    assert len(data["notifications"]) == 3
    assert all(row["message"] and row["link"] for row in data["notifications"])
    assert calls == ["notifications"]
