import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from subscriptions.kinds import DEFAULT_ON_KINDS, KINDS, GeneralKind
from subscriptions.models import Subscription
from tests.conftest import error_messages
from tests.factories import MemberFactory, SubscriptionFactory

GENERAL_SUBSCRIPTIONS = """
query ($kind: GeneralSubscriptionKind, $shouldNotify: Boolean, $shouldNotifyByEmail: Boolean) {
  generalSubscriptions(kind: $kind, shouldNotify: $shouldNotify, shouldNotifyByEmail: $shouldNotifyByEmail) {
    id kind shouldNotify shouldNotifyByEmail
  }
}
"""

UPDATE_GENERAL_SUBSCRIPTIONS = """
mutation ($data: [GeneralSubscriptionInput]) {
  generalSubscriptions(data: $data) { id kind shouldNotify shouldNotifyByEmail }
}
"""

pytestmark = pytest.mark.django_db


def test_default_listing_has_every_general_kind_in_enum_order_with_null_ids(member_api_client):
    data = member_api_client.execute(GENERAL_SUBSCRIPTIONS)

    entries = data["generalSubscriptions"]
    assert [entry["kind"] for entry in entries] == GeneralKind.values
    assert all(entry["id"] is None for entry in entries)
    for entry in entries:
        on = entry["kind"] in DEFAULT_ON_KINDS
        assert entry["shouldNotify"] is on, entry
        assert entry["shouldNotifyByEmail"] is on, entry
    by_kind = {entry["kind"]: entry for entry in entries}
    assert by_kind["FORUM_POST_ALL"]["shouldNotify"] is False
    assert by_kind["FORUM_POST_MENTION"]["shouldNotify"] is True


def test_customisation_round_trip(member_api_client, member):
    changes = [
        {"kind": "FORUM_THREAD_CREATOR", "shouldNotify": False, "shouldNotifyByEmail": False},
        {"kind": "FORUM_THREAD_ALL"},
        {"kind": "FORUM_POST_MENTION", "shouldNotifyByEmail": False},
    ]

    touched = member_api_client.execute(UPDATE_GENERAL_SUBSCRIPTIONS, {"data": changes})[
        "generalSubscriptions"
    ]

    assert [row["kind"] for row in touched] == [
        "FORUM_THREAD_CREATOR",
        "FORUM_THREAD_ALL",
        "FORUM_POST_MENTION",
    ]
    assert all(isinstance(row["id"], int) for row in touched)
    # Absent flags mean true.
    assert touched[1] == {**touched[1], "shouldNotify": True, "shouldNotifyByEmail": True}
    assert touched[2]["shouldNotify"] is True and touched[2]["shouldNotifyByEmail"] is False

    listed = {
        entry["kind"]: entry
        for entry in member_api_client.execute(GENERAL_SUBSCRIPTIONS)["generalSubscriptions"]
    }
    for row in touched:
        assert listed[row["kind"]] == row
    assert listed["FORUM_POST_REPLY"]["id"] is None
    assert Subscription.objects.filter(member=member).count() == 3


def test_updating_a_stored_row_keeps_its_id(member_api_client):
    first = member_api_client.execute(UPDATE_GENERAL_SUBSCRIPTIONS, {"data": [{"kind": "FORUM_POST_ALL"}]})[
        "generalSubscriptions"
    ][0]

    second = member_api_client.execute(
        UPDATE_GENERAL_SUBSCRIPTIONS, {"data": [{"kind": "FORUM_POST_ALL", "shouldNotify": False}]}
    )["generalSubscriptions"][0]

    assert second["id"] == first["id"]
    assert second["shouldNotify"] is False and second["shouldNotifyByEmail"] is True


def test_input_equal_to_the_default_stores_nothing(member_api_client, member):
    data = member_api_client.execute(
        UPDATE_GENERAL_SUBSCRIPTIONS,
        {
            "data": [
                {"kind": "FORUM_POST_MENTION"},  # on by default, absent flags = true
                {"kind": "FORUM_POST_ALL", "shouldNotify": False, "shouldNotifyByEmail": False},
            ]
        },
    )

    assert data["generalSubscriptions"] == []
    assert not Subscription.objects.filter(member=member).exists()


def test_input_equal_to_the_default_updates_a_stored_row(member_api_client, member):
    stored = SubscriptionFactory(member=member, kind="FORUM_POST_MENTION", should_notify=False)

    data = member_api_client.execute(UPDATE_GENERAL_SUBSCRIPTIONS, {"data": [{"kind": "FORUM_POST_MENTION"}]})

    assert data["generalSubscriptions"] == [
        {"id": stored.id, "kind": "FORUM_POST_MENTION", "shouldNotify": True, "shouldNotifyByEmail": True}
    ]


def test_repeated_kind_in_one_request_last_one_wins(member_api_client, member):
    data = member_api_client.execute(
        UPDATE_GENERAL_SUBSCRIPTIONS,
        {"data": [{"kind": "FORUM_POST_ALL"}, {"kind": "FORUM_POST_ALL", "shouldNotifyByEmail": False}]},
    )

    assert len(data["generalSubscriptions"]) == 1
    row = Subscription.objects.get(member=member)
    assert (row.should_notify, row.should_notify_by_email) == (True, False)


@pytest.mark.parametrize(
    "item",
    [
        {"kind": "FORUM_THREAD_ENTITY_POST"},
        {"kind": "FORUM_POST_ALL", "entityId": "3"},
        {"kind": "NOT_A_KIND"},
        {"kind": "FORUM_POST_ALL", "shouldNotify": "yes"},
        {"shouldNotify": True},
    ],
)
def test_invalid_input_is_a_validation_error_and_changes_nothing(member_api_client, member, item):
    data = [{"kind": "FORUM_THREAD_ALL"}, item]

    result = member_api_client.post(UPDATE_GENERAL_SUBSCRIPTIONS, {"data": data})

    assert result["errors"][0]["extensions"]["code"] in {"GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"}
    assert result.get("data") is None or result["data"]["generalSubscriptions"] is None
    assert not Subscription.objects.filter(member=member).exists()


def test_entity_kind_inline_is_rejected(member_api_client, member):
    result = member_api_client.post(
        "mutation { generalSubscriptions(data: [{kind: FORUM_THREAD_ALL}, "
        "{kind: PROPOSAL_ENTITY_DISCUSSION}])"
        " { id } }"
    )

    assert "PROPOSAL_ENTITY_DISCUSSION" in error_messages(result)[0]
    assert not Subscription.objects.filter(member=member).exists()


def test_null_entry_and_too_many_entries_are_rejected(member_api_client, member):
    null_entry = member_api_client.post(
        UPDATE_GENERAL_SUBSCRIPTIONS, {"data": [{"kind": "FORUM_POST_ALL"}, None]}
    )
    too_many = member_api_client.post(
        UPDATE_GENERAL_SUBSCRIPTIONS, {"data": [{"kind": "FORUM_POST_ALL"}] * 101}
    )

    assert null_entry["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "At most 100" in too_many["errors"][0]["message"]
    assert not Subscription.objects.filter(member=member).exists()


def test_filters(member_api_client, member):
    SubscriptionFactory(
        member=member, kind="FORUM_POST_ALL", should_notify=True, should_notify_by_email=False
    )
    SubscriptionFactory(
        member=member, kind="FORUM_POST_REPLY", should_notify=False, should_notify_by_email=False
    )

    by_kind = member_api_client.execute(GENERAL_SUBSCRIPTIONS, {"kind": "FORUM_POST_ALL"})
    off = member_api_client.execute(GENERAL_SUBSCRIPTIONS, {"shouldNotify": False})
    on_without_email = member_api_client.execute(
        GENERAL_SUBSCRIPTIONS, {"shouldNotify": True, "shouldNotifyByEmail": False}
    )

    assert [(e["kind"], e["shouldNotifyByEmail"]) for e in by_kind["generalSubscriptions"]] == [
        ("FORUM_POST_ALL", False)
    ]
    # The stored row turned off, and every opt-in kind the member never subscribed to, in table order.
    assert [e["kind"] for e in off["generalSubscriptions"]] == [
        kind.name
        for kind in KINDS
        if not kind.is_entity
        and (kind.name == "FORUM_POST_REPLY" or not kind.default_on and kind.name != "FORUM_POST_ALL")
    ]
    assert {"FORUM_THREAD_ALL", "PROPOSAL_DISCUSSION_ALL"} <= {e["kind"] for e in off["generalSubscriptions"]}
    assert [e["kind"] for e in on_without_email["generalSubscriptions"]] == ["FORUM_POST_ALL"]


def test_other_members_rows_are_invisible(member_api_client, member):
    other = MemberFactory(id=2)
    SubscriptionFactory(member=other, kind="FORUM_POST_ALL")

    entries = member_api_client.execute(GENERAL_SUBSCRIPTIONS)["generalSubscriptions"]

    assert all(entry["id"] is None for entry in entries)


def test_listing_takes_a_constant_number_of_queries(member_api_client, member):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            member_api_client.execute(GENERAL_SUBSCRIPTIONS)
        return len(queries)

    few = count_queries()
    for kind in GeneralKind.values:
        SubscriptionFactory(member=member, kind=kind, should_notify=False)
    many = count_queries()

    # The member of the token, then all of their general subscriptions at once.
    assert few == many == 2
