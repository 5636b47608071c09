"""`shouldNotifyInApp` is `shouldNotify` under its clear name; `generalSubscriptionsAll` sets every
general kind at once and leaves entity watches and mutes alone."""

import pytest

from subscriptions.kinds import DEFAULT_ON_KINDS, GeneralKind
from subscriptions.models import Subscription
from tests.conftest import error_messages
from tests.factories import MemberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

# The documents the Pioneer UI sends today, with the old name only: they must keep working.
UI_GENERAL_SUBSCRIPTIONS = """
query GetBackendGeneralSubscriptions {
  generalSubscriptions { id kind shouldNotify shouldNotifyByEmail }
}
"""
UI_GENERAL_SUBSCRIPTIONS_FILTERED = """
query ($shouldNotify: Boolean) {
  generalSubscriptions(shouldNotify: $shouldNotify) { kind shouldNotify }
}
"""
UI_UPDATE_GENERAL_SUBSCRIPTIONS = """
mutation UpdateBackendGeneralSubscriptions($data: [GeneralSubscriptionInput]) {
  generalSubscriptions(data: $data) { id kind shouldNotify shouldNotifyByEmail }
}
"""
UI_ENTITY_SUBSCRIPTIONS = """
query GetBackendEntitySubscriptions($entityId: String) {
  entitySubscriptions(entityId: $entityId) { id kind entityId status }
}
"""
UI_ENTITY_SUBSCRIPTION = """
mutation UpdateBackendEntitySubscription($kind: EntitySubscriptionKind!, $entityId: String!, $status: EntitySubscriptionStatus!) {
  entitySubscription(kind: $kind, entityId: $entityId, status: $status) { id kind entityId status }
}
"""  # noqa: E501 - kept as the UI sends it
UI_SUBSCRIBE_TO_ENTITY = """
mutation SubscribeToEntity($kind: EntitySubscriptionKind!, $entityId: String!, $status: EntitySubscriptionStatus!) {
  subscribeToEntity(kind: $kind, entityId: $entityId, status: $status) { id status }
}
"""  # noqa: E501
BOTH_NAMES = """
query ($shouldNotify: Boolean, $shouldNotifyInApp: Boolean) {
  generalSubscriptions(shouldNotify: $shouldNotify, shouldNotifyInApp: $shouldNotifyInApp) {
    kind shouldNotify shouldNotifyInApp shouldNotifyByEmail
  }
}
"""
UPDATE_BOTH_NAMES = """
mutation ($data: [GeneralSubscriptionInput]) {
  generalSubscriptions(data: $data) { kind shouldNotify shouldNotifyInApp shouldNotifyByEmail }
}
"""
ALL = """
mutation ($inApp: Boolean, $email: Boolean) {
  generalSubscriptionsAll(shouldNotifyInApp: $inApp, shouldNotifyByEmail: $email) {
    id kind shouldNotifyInApp shouldNotifyByEmail
  }
}
"""


def stored(member) -> dict[str, tuple[bool, bool]]:
    rows = Subscription.objects.filter(member=member, entity_id__isnull=True)
    return {row.kind: (row.should_notify, row.should_notify_by_email) for row in rows}


def test_the_ui_operations_with_should_notify_work_unchanged(member_api_client, member):
    client = member_api_client

    listing = client.execute(UI_GENERAL_SUBSCRIPTIONS)["generalSubscriptions"]
    off = client.execute(UI_GENERAL_SUBSCRIPTIONS_FILTERED, {"shouldNotify": False})["generalSubscriptions"]
    changed = client.execute(
        UI_UPDATE_GENERAL_SUBSCRIPTIONS,
        {"data": [{"kind": "FORUM_POST_MENTION", "shouldNotify": False, "shouldNotifyByEmail": True}]},
    )["generalSubscriptions"]
    watched = client.execute(
        UI_ENTITY_SUBSCRIPTION, {"kind": "FORUM_THREAD_ENTITY_POST", "entityId": "7", "status": "WATCH"}
    )["entitySubscription"]
    muted = client.execute(
        UI_SUBSCRIBE_TO_ENTITY, {"kind": "FORUM_CATEGORY_ENTITY_POST", "entityId": "3", "status": "MUTE"}
    )["subscribeToEntity"]
    entities = client.execute(UI_ENTITY_SUBSCRIPTIONS, {"entityId": "7"})["entitySubscriptions"]

    assert [entry["kind"] for entry in listing] == GeneralKind.values
    assert {entry["kind"] for entry in off} == set(GeneralKind.values) - DEFAULT_ON_KINDS
    assert changed == [
        {
            "id": changed[0]["id"],
            "kind": "FORUM_POST_MENTION",
            "shouldNotify": False,
            "shouldNotifyByEmail": True,
        }
    ]
    assert stored(member) == {"FORUM_POST_MENTION": (False, True)}
    assert (watched["status"], muted["status"]) == ("WATCH", "MUTE")
    assert entities == [watched]


def test_both_names_answer_the_same_value(member_api_client, member):
    SubscriptionFactory(
        member=member, kind="FORUM_POST_REPLY", should_notify=False, should_notify_by_email=True
    )

    entries = member_api_client.execute(BOTH_NAMES)["generalSubscriptions"]

    assert all(entry["shouldNotify"] == entry["shouldNotifyInApp"] for entry in entries)
    reply = next(entry for entry in entries if entry["kind"] == "FORUM_POST_REPLY")
    assert reply == {"kind": "FORUM_POST_REPLY", "shouldNotify": False, "shouldNotifyInApp": False,
                     "shouldNotifyByEmail": True}  # fmt: skip


@pytest.mark.parametrize("name", ["shouldNotify", "shouldNotifyInApp"])
def test_either_name_sets_and_filters_the_in_app_switch(member_api_client, member, name):
    changed = member_api_client.execute(
        UPDATE_BOTH_NAMES, {"data": [{"kind": "FORUM_POST_MENTION", name: False}]}
    )["generalSubscriptions"]
    filtered = member_api_client.execute(BOTH_NAMES, {name: False})["generalSubscriptions"]

    assert changed == [{"kind": "FORUM_POST_MENTION", "shouldNotify": False, "shouldNotifyInApp": False,
                        "shouldNotifyByEmail": True}]  # fmt: skip
    assert stored(member) == {"FORUM_POST_MENTION": (False, True)}
    assert "FORUM_POST_MENTION" in {entry["kind"] for entry in filtered}
    assert all(entry["shouldNotifyInApp"] is False for entry in filtered)


def test_both_names_agreeing_is_fine_and_differing_is_a_clear_error(member_api_client, member):
    agreeing = {"kind": "FORUM_POST_MENTION", "shouldNotify": False, "shouldNotifyInApp": False}
    differing = {"kind": "FORUM_POST_REPLY", "shouldNotify": True, "shouldNotifyInApp": False}

    member_api_client.execute(UPDATE_BOTH_NAMES, {"data": [agreeing]})
    refused = member_api_client.post(UPDATE_BOTH_NAMES, {"data": [differing]})
    refused_filter = member_api_client.post(BOTH_NAMES, {"shouldNotify": True, "shouldNotifyInApp": False})

    expected = (
        "shouldNotify and shouldNotifyInApp are the same switch; they must not differ when both are sent"
    )
    assert error_messages(refused) == [expected]
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert error_messages(refused_filter) == [expected]
    assert stored(member) == {"FORUM_POST_MENTION": (False, True)}


def test_subscribe_to_all_and_back_keeps_watches_and_mutes(member_api_client, member):
    watch = SubscriptionFactory(member=member, kind="FORUM_THREAD_ENTITY_POST", entity_id="7")
    mute = SubscriptionFactory(
        member=member, kind="PROPOSAL_ENTITY_DISCUSSION", entity_id="9", should_notify=False,
        should_notify_by_email=False,
    )  # fmt: skip
    SubscriptionFactory(
        member=member, kind="FORUM_POST_REPLY", should_notify=False, should_notify_by_email=False
    )

    everything = member_api_client.execute(ALL, {"inApp": True, "email": True})["generalSubscriptionsAll"]
    assert [entry["kind"] for entry in everything] == GeneralKind.values
    assert all(entry["shouldNotifyInApp"] and entry["shouldNotifyByEmail"] for entry in everything)
    # Off-by-default kinds needed a row; on-by-default kinds back at their default need none.
    off_by_default = set(GeneralKind.values) - DEFAULT_ON_KINDS
    assert set(stored(member)) == off_by_default | {"FORUM_POST_REPLY"}

    no_email = member_api_client.execute(ALL, {"email": False})["generalSubscriptionsAll"]
    assert all(entry["shouldNotifyInApp"] and not entry["shouldNotifyByEmail"] for entry in no_email)

    nothing = member_api_client.execute(ALL, {"inApp": False})["generalSubscriptionsAll"]
    assert not any(entry["shouldNotifyInApp"] or entry["shouldNotifyByEmail"] for entry in nothing)
    assert set(stored(member).values()) == {(False, False)}
    assert len(stored(member)) == len(GeneralKind.values)

    for row in (watch, mute):
        before = (row.should_notify, row.should_notify_by_email, row.updated_at)
        row.refresh_from_db()
        assert (row.should_notify, row.should_notify_by_email, row.updated_at) == before


def test_subscribe_to_all_needs_a_switch_and_touches_only_its_member(member_api_client, member):
    other = MemberFactory(id=2)
    SubscriptionFactory(
        member=other, kind="FORUM_POST_ALL", should_notify=False, should_notify_by_email=False
    )

    refused = member_api_client.post(ALL)
    member_api_client.execute(ALL, {"inApp": True})

    assert error_messages(refused) == ["Pass shouldNotifyInApp, shouldNotifyByEmail or both"]
    assert stored(other) == {"FORUM_POST_ALL": (False, False)}
    assert stored(member)["FORUM_POST_ALL"] == (True, False)  # email keeps its (default) value


def test_subscribe_to_all_needs_a_token(api_client):
    assert error_messages(api_client.post(ALL, {"inApp": True})) == ["Unauthorized"]
