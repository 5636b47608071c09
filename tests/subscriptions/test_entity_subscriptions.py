import pytest

from members.tokens import auth_token_issue
from subscriptions.models import Subscription
from tests.conftest import GraphQLClient
from tests.factories import MemberFactory, SubscriptionFactory

ENTITY_SUBSCRIPTION = """
mutation ($kind: EntitySubscriptionKind!, $entityId: String!, $status: EntitySubscriptionStatus!) {
  entitySubscription(kind: $kind, entityId: $entityId, status: $status) { id kind entityId status }
}
"""

SUBSCRIBE_TO_ENTITY = """
mutation ($kind: EntitySubscriptionKind!, $entityId: String!, $status: EntitySubscriptionStatus!) {
  subscribeToEntity(kind: $kind, entityId: $entityId, status: $status) { id kind entityId status }
}
"""

ENTITY_SUBSCRIPTIONS = """
query ($id: String, $kind: EntitySubscriptionKind, $entityId: String, $status: EntitySubscriptionStatus) {
  entitySubscriptions(id: $id, kind: $kind, entityId: $entityId, status: $status) {
    id kind entityId status
  }
}
"""

pytestmark = pytest.mark.django_db


def set_status(
    client, status, *, kind="FORUM_THREAD_ENTITY_POST", entity_id="123", mutation=ENTITY_SUBSCRIPTION
):
    data = client.execute(mutation, {"kind": kind, "entityId": entity_id, "status": status})
    return next(iter(data.values()))


def test_watch_list_default_list(member_api_client, member):
    watched = set_status(member_api_client, "WATCH")

    assert isinstance(watched["id"], int)
    assert watched == {**watched, "kind": "FORUM_THREAD_ENTITY_POST", "entityId": "123", "status": "WATCH"}
    row = Subscription.objects.get(id=watched["id"])
    assert (row.member_id, row.should_notify, row.should_notify_by_email) == (member.id, True, True)
    assert member_api_client.execute(ENTITY_SUBSCRIPTIONS)["entitySubscriptions"] == [watched]

    reset = set_status(member_api_client, "DEFAULT")

    assert reset == {
        "id": watched["id"],
        "kind": "FORUM_THREAD_ENTITY_POST",
        "entityId": "123",
        "status": "DEFAULT",
    }
    assert member_api_client.execute(ENTITY_SUBSCRIPTIONS)["entitySubscriptions"] == []
    assert not Subscription.objects.filter(member=member).exists()


def test_default_without_a_stored_row_returns_a_null_id(member_api_client):
    assert set_status(member_api_client, "DEFAULT")["id"] is None


def test_mute_turns_both_flags_off_and_keeps_the_id(member_api_client):
    watched = set_status(member_api_client, "WATCH")

    muted = set_status(member_api_client, "MUTE")

    assert muted["id"] == watched["id"]
    assert muted["status"] == "MUTE"
    row = Subscription.objects.get(id=muted["id"])
    assert (row.should_notify, row.should_notify_by_email) == (False, False)
    assert member_api_client.execute(ENTITY_SUBSCRIPTIONS)["entitySubscriptions"] == [muted]


def test_alias_subscribe_to_entity_behaves_the_same(member_api_client, member):
    watched = set_status(
        member_api_client,
        "WATCH",
        kind="FORUM_CATEGORY_ENTITY_POST",
        entity_id="3",
        mutation=SUBSCRIBE_TO_ENTITY,
    )
    muted = set_status(
        member_api_client,
        "MUTE",
        kind="FORUM_CATEGORY_ENTITY_POST",
        entity_id="3",
        mutation=SUBSCRIBE_TO_ENTITY,
    )
    reset = set_status(
        member_api_client,
        "DEFAULT",
        kind="FORUM_CATEGORY_ENTITY_POST",
        entity_id="3",
        mutation=SUBSCRIBE_TO_ENTITY,
    )

    assert watched["status"] == "WATCH" and muted["status"] == "MUTE" and reset["status"] == "DEFAULT"
    assert watched["id"] == muted["id"] == reset["id"]
    assert not Subscription.objects.filter(member=member).exists()


def test_entity_id_is_stored_trimmed(member_api_client):
    assert set_status(member_api_client, "WATCH", entity_id=" 42 ")["entityId"] == "42"


@pytest.mark.parametrize(
    ("variables", "code", "message"),
    [
        ({"entityId": ""}, "BAD_USER_INPUT", "entityId must be a non-empty string"),
        ({"entityId": "   "}, "BAD_USER_INPUT", "entityId must be a non-empty string"),
        ({"entityId": "1" * 129}, "BAD_USER_INPUT", "entityId must be at most 128 characters"),
        ({"entityId": "x" * 10_000}, "BAD_USER_INPUT", "entityId must be at most 128 characters"),
        ({"entityId": "a\x01b"}, "BAD_USER_INPUT", "entityId must not contain control characters"),
        ({"entityId": 5}, "GRAPHQL_VALIDATION_FAILED", "String cannot represent a non string value"),
        ({"kind": "FORUM_POST_ALL"}, "GRAPHQL_VALIDATION_FAILED", "FORUM_POST_ALL"),
        ({"kind": "NOPE"}, "GRAPHQL_VALIDATION_FAILED", "NOPE"),
        ({"status": "SUBSCRIBE"}, "GRAPHQL_VALIDATION_FAILED", "SUBSCRIBE"),
        ({"entityId": None}, "GRAPHQL_VALIDATION_FAILED", "entityId"),
    ],
)
def test_invalid_input_is_rejected_and_stores_nothing(member_api_client, member, variables, code, message):
    base = {"kind": "FORUM_THREAD_ENTITY_POST", "entityId": "1", "status": "WATCH"}

    result = member_api_client.post(ENTITY_SUBSCRIPTION, {**base, **variables})

    error = result["errors"][0]
    assert error["extensions"]["code"] == code
    assert message in error["message"]
    assert not Subscription.objects.filter(member=member).exists()


def test_filters(member_api_client, member):
    thread_watch = SubscriptionFactory(member=member, kind="FORUM_THREAD_ENTITY_POST", entity_id="1")
    thread_mute = SubscriptionFactory(
        member=member,
        kind="FORUM_THREAD_ENTITY_POST",
        entity_id="2",
        should_notify=False,
        should_notify_by_email=False,
    )
    proposal_watch = SubscriptionFactory(member=member, kind="PROPOSAL_ENTITY_DISCUSSION", entity_id="1")
    SubscriptionFactory(member=member, kind="FORUM_POST_ALL")  # general: never listed here

    def ids(**variables):
        return [
            row["id"]
            for row in member_api_client.execute(ENTITY_SUBSCRIPTIONS, variables)["entitySubscriptions"]
        ]

    assert ids() == [thread_watch.id, thread_mute.id, proposal_watch.id]
    assert ids(id=str(thread_mute.id)) == [thread_mute.id]
    assert ids(kind="FORUM_THREAD_ENTITY_POST") == [thread_watch.id, thread_mute.id]
    assert ids(entityId="1") == [thread_watch.id, proposal_watch.id]
    assert ids(status="WATCH") == [thread_watch.id, proposal_watch.id]
    assert ids(status="MUTE") == [thread_mute.id]
    assert ids(status="DEFAULT") == []
    assert ids(kind="PROPOSAL_ENTITY_DISCUSSION", entityId="2") == []


def test_filter_by_entity_id_matches_the_stored_form_and_rejects_control_characters(
    member_api_client, member
):
    stored = SubscriptionFactory(member=member, kind="FORUM_THREAD_ENTITY_POST", entity_id="7")

    found = member_api_client.execute(ENTITY_SUBSCRIPTIONS, {"entityId": " 7 "})["entitySubscriptions"]
    result = member_api_client.post(ENTITY_SUBSCRIPTIONS, {"entityId": "7\x01"})

    assert [row["id"] for row in found] == [stored.id]
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "control characters" in result["errors"][0]["message"]


@pytest.mark.parametrize("bad_id", ["abc", "-1", "1.5", "9" * 40, "1\x01"])
def test_non_numeric_id_filter_is_a_clear_error(member_api_client, bad_id):
    result = member_api_client.post(ENTITY_SUBSCRIPTIONS, {"id": bad_id})

    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "id must be a decimal subscription id" in result["errors"][0]["message"]


def test_other_members_subscriptions_are_invisible_and_untouched(member_api_client, member):
    other = MemberFactory(id=2)
    theirs = SubscriptionFactory(member=other, kind="FORUM_THREAD_ENTITY_POST", entity_id="123")

    listed = member_api_client.execute(ENTITY_SUBSCRIPTIONS, {"id": str(theirs.id)})["entitySubscriptions"]
    reset = set_status(member_api_client, "DEFAULT")  # same kind and entity, but their row

    assert listed == []
    assert reset["id"] is None
    assert Subscription.objects.filter(id=theirs.id).exists()
    # And the other member still sees it.
    other_client = GraphQLClient(token=auth_token_issue(member_id=other.id))
    assert [r["id"] for r in other_client.execute(ENTITY_SUBSCRIPTIONS)["entitySubscriptions"]] == [theirs.id]
