"""The feed's answers are cached per member and feed version (pioneer/graphql_feed_cache.py): a hit
is the uncached answer, any change to the member's feed rows is seen at once, and nothing about
who may read what changes."""

import uuid

import pytest
from django.core.cache import caches
from django.db import connection, transaction

from members.tokens import auth_token_issue, token_issue
from notifications.models import Notification
from qn_ingest.bulk_write import notifications_write
from qn_ingest.planning import NotificationDraft
from tests.conftest import GraphQLClient
from tests.factories import MemberFactory, NotificationFactory
from tests.services import redis_url

pytestmark = pytest.mark.django_db

FEED = "{ notifications(limit: 50) { id kind eventId entityId isRead createdAt message link } }"
BADGE = "query Badge($read: Boolean) { unread: notificationsCount(isRead: $read) total: notificationsCount }"
MARK_READ = "mutation ($ids: [Int!], $all: Boolean) { markNotificationsAsRead(ids: $ids, all: $all) }"
MARK_UNREAD = "mutation ($ids: [Int!]) { markNotificationsAsUnread(ids: $ids) }"


def cached_answers() -> int:
    return len(caches["feed"]._cache)  # the test's own local-memory cache (tests/conftest.py)


def uncached(client: GraphQLClient, query: str, variables: dict | None = None) -> dict:
    from django.conf import settings

    ttl = settings.FEED_CACHE_TTL_SECONDS
    settings.FEED_CACHE_TTL_SECONDS = 0
    try:
        return client.post(query, variables)
    finally:
        settings.FEED_CACHE_TTL_SECONDS = ttl


def assert_fresh(client: GraphQLClient, query: str = FEED, variables: dict | None = None) -> dict:
    """The (possibly cached) answer equals the one computed now without the cache."""
    answer = client.post(query, variables)
    assert "errors" not in answer, answer
    assert answer == uncached(client, query, variables)
    return answer["data"]


def test_a_hit_is_the_uncached_answer_in_one_query(member_api_client, member, django_assert_num_queries):
    NotificationFactory.create_batch(3, member=member)
    NotificationFactory(member=member, is_read=True)
    first = member_api_client.post(FEED)
    assert len(first["data"]["notifications"]) == 4 and cached_answers() == 1

    with django_assert_num_queries(1):  # the member's version; no parsing, no resolvers
        again = member_api_client.post(FEED)

    assert again == first == uncached(member_api_client, FEED)
    badge = member_api_client.post(BADGE, {"read": False})
    with django_assert_num_queries(1):
        assert member_api_client.post(BADGE, {"read": False}) == badge
    assert badge["data"] == {"unread": 3, "total": 4}
    # The variables are part of the key: another value is another answer.
    assert member_api_client.post(BADGE, {"read": True})["data"] == {"unread": 1, "total": 4}


def test_every_change_to_the_feed_is_seen_at_once(member_api_client, member):
    mine = NotificationFactory.create_batch(3, member=member)
    assert_fresh(member_api_client)

    member_api_client.execute(MARK_READ, {"ids": [mine[0].id]})
    assert assert_fresh(member_api_client)["notifications"][-1]["isRead"] is True
    member_api_client.execute(MARK_UNREAD, {"ids": [mine[0].id]})
    assert assert_fresh(member_api_client)["notifications"][-1]["isRead"] is False
    member_api_client.execute(MARK_READ, {"all": True})
    assert all(row["isRead"] for row in assert_fresh(member_api_client)["notifications"])
    assert assert_fresh(member_api_client, BADGE, {"read": False})["unread"] == 0

    Notification.objects.filter(id=mine[1].id).delete()
    assert len(assert_fresh(member_api_client)["notifications"]) == 2
    # An operator's edit of what a row shows (not its owner or read state: the counts stay).
    Notification.objects.filter(id=mine[2].id).update(data={"actor": "carol", "thread_title": "Edited"})
    Notification.objects.filter(id=mine[2].id).update(entity_id="77")
    assert assert_fresh(member_api_client)["notifications"][0]["entityId"] == "77"
    # Leaving the feed (email only) and coming back.
    Notification.objects.filter(id=mine[2].id).update(in_app=False)
    assert len(assert_fresh(member_api_client)["notifications"]) == 1
    Notification.objects.filter(id=mine[2].id).update(in_app=True)
    assert len(assert_fresh(member_api_client)["notifications"]) == 2


def test_a_new_notification_from_the_ingest_is_seen_at_once(member_api_client, member):
    NotificationFactory(member=member)
    assert len(assert_fresh(member_api_client)["notifications"]) == 1
    assert_fresh(member_api_client, BADGE)
    draft = NotificationDraft(
        member_id=member.id,
        kind="FORUM_POST_ALL",
        event_id="12-1",
        entity_id="5",
        in_block=12,
        email_status="IGNORED",
        in_app=True,
        data={"thread_title": "New"},
    )

    with transaction.atomic():  # the ingest's page transaction (COPY on PostgreSQL)
        assert notifications_write([draft], on_new=lambda ids, pending: None) == 1

    assert [row["eventId"] for row in assert_fresh(member_api_client)["notifications"]][0] == "12-1"
    assert assert_fresh(member_api_client, BADGE)["total"] == 2


def test_two_members_never_share_an_answer(member_api_client, member):
    bob = MemberFactory(id=2)
    bob_client = GraphQLClient(token=auth_token_issue(member_id=bob.id))
    NotificationFactory.create_batch(2, member=member)
    mine = assert_fresh(member_api_client)
    bobs = assert_fresh(bob_client)  # same document, same (zero) history for bob

    assert len(mine["notifications"]) == 2 and bobs["notifications"] == []
    assert member_api_client.post(FEED)["data"] == mine
    assert bob_client.post(FEED)["data"] == bobs
    assert cached_answers() == 2


def test_refused_tokens_and_members_never_reach_the_cache(
    member_api_client, member, django_assert_num_queries
):
    NotificationFactory(member=member)
    member_api_client.execute(FEED)  # cached for the member
    expired = token_issue(payload={"memberId": member.id, "type": 0}, ttl_seconds=-1)
    wrong_type = token_issue(payload={"memberId": member.id, "type": 1, "email": "a@b.c"}, ttl_seconds=60)
    for token in [None, "not-a-token", expired, wrong_type, member_api_client.token + "x"]:
        client = GraphQLClient(token=token)
        with django_assert_num_queries(0):
            refused = client.post(FEED)
        assert refused == uncached(client, FEED)
        assert refused["errors"][0]["extensions"]["code"] == "UNAUTHORIZED"

    member.delete()  # its token outlives it, and its answer is still in the cache
    assert cached_answers() == 1
    refused = member_api_client.post(FEED)
    assert refused == uncached(member_api_client, FEED)
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHORIZED"


@pytest.mark.parametrize(
    "query",
    [
        "{ notificationsCount me { id } }",
        "{ __typename notificationsCount }",
        "{ ...F } fragment F on Query { notificationsCount }",
        "{ notifications(limit: -1) { id } }",  # an error: never cached
    ],
)
def test_only_error_free_queries_of_the_feed_alone_are_cached(member_api_client, member, query):
    NotificationFactory(member=member)
    first = member_api_client.post(query)
    assert first == member_api_client.post(query)
    assert cached_answers() == 0


def test_a_mutation_is_never_cached(member_api_client, member):
    NotificationFactory(member=member)
    mark_all = "mutation { markNotificationsAsRead(all: true) }"
    assert member_api_client.execute(mark_all) == {"markNotificationsAsRead": 1}
    assert member_api_client.execute(mark_all) == {"markNotificationsAsRead": 0}  # ran again
    assert cached_answers() == 0


def test_the_operation_name_picks_what_is_cached(member_api_client, member):
    document = f"query Feed {FEED} mutation Read {{ markNotificationsAsRead(all: true) }}"
    NotificationFactory(member=member)
    client = member_api_client
    feed = client.client.post(
        "/graphql",
        data={"query": document, "operationName": "Feed"},
        content_type="application/json",
        **client.headers(),
    ).json()
    assert cached_answers() == 1 and feed["data"]["notifications"][0]["isRead"] is False
    client.client.post(
        "/graphql",
        data={"query": document, "operationName": "Read"},
        content_type="application/json",
        **client.headers(),
    )
    assert cached_answers() == 1  # the mutation was not cached, but it moved the version
    again = client.client.post(
        "/graphql",
        data={"query": document, "operationName": "Feed"},
        content_type="application/json",
        **client.headers(),
    ).json()
    assert again["data"]["notifications"][0]["isRead"] is True


def test_the_links_base_url_is_part_of_the_key(member_api_client, member, settings):
    NotificationFactory(member=member)
    before = member_api_client.execute(FEED)["notifications"][0]["link"]
    settings.PIONEER_URL = "https://pioneer.example.org"
    after = member_api_client.execute(FEED)["notifications"][0]["link"]
    assert not before.startswith("https://pioneer.example.org")
    assert after.startswith("https://pioneer.example.org/")


@pytest.mark.django_db(transaction=True)
def test_truncating_the_table_never_repeats_a_version(member_api_client, member):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    NotificationFactory.create_batch(2, member=member)
    assert len(assert_fresh(member_api_client)["notifications"]) == 2
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_notification CASCADE")
    assert assert_fresh(member_api_client)["notifications"] == []
    NotificationFactory(member=member)
    assert len(assert_fresh(member_api_client)["notifications"]) == 1


def test_answers_are_shared_through_redis(member_api_client, member, settings, django_assert_num_queries):
    import redis

    prefix = f"pioneer-feed-test-{uuid.uuid4().hex}"  # its own keys: other runs share this Redis
    url = redis_url()
    settings.CACHES = {
        **settings.CACHES,
        "feed": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        },
    }
    client = redis.Redis.from_url(url)
    try:
        NotificationFactory.create_batch(2, member=member)
        first = member_api_client.post(FEED)
        assert len(list(client.scan_iter(f"{prefix}:*"))) == 1
        with django_assert_num_queries(1):
            assert member_api_client.post(FEED) == first
        member_api_client.execute(MARK_READ, {"all": True})
        assert all(row["isRead"] for row in assert_fresh(member_api_client)["notifications"])
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def test_an_unreachable_cache_answers_as_without_it(member_api_client, member, settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "feed": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        },
    }
    NotificationFactory(member=member)

    assert len(assert_fresh(member_api_client)["notifications"]) == 1
    assert "The feed cache could not be read" in caplog.text
    assert "The feed cache could not store an answer" in caplog.text


def test_an_oversized_query_is_refused_before_any_lookup(
    member_api_client, member, settings, django_assert_num_queries
):
    settings.GRAPHQL_MAX_QUERY_CHARS = len(FEED) - 1
    with django_assert_num_queries(0):
        refused = member_api_client.client.post(
            "/graphql", data={"query": FEED}, content_type="application/json", **member_api_client.headers()
        )
    assert refused.status_code == 400
    assert cached_answers() == 0
