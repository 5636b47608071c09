"""The working-group kinds through the API: listed with their defaults, a group watched or muted
by its id, and a notification's feed entry (message and link)."""

from __future__ import annotations

import pytest

from qn_ingest.planning import event_display_data
from qn_ingest.working_groups import WORKING_GROUP_EVENT_TYPES
from subscriptions.models import Subscription
from tests.factories import NotificationFactory
from tests.planning.working_group_builders import BUILDERS_GROUP, person, wg_event

pytestmark = pytest.mark.django_db

GENERAL_SUBSCRIPTIONS = "{ generalSubscriptions { id kind shouldNotify shouldNotifyByEmail } }"
ENTITY_SUBSCRIPTION = """
mutation ($entityId: String!, $status: EntitySubscriptionStatus!) {
  entitySubscription(kind: WG_ENTITY_ALL, entityId: $entityId, status: $status) { kind entityId status }
}
"""
FEED = "{ notifications { kind message link } }"

WG_GENERAL_KINDS = [
    f"WG_{event}_{audience}"
    for event in (
        "OPENING",
        "APPLICATION",
        "NEW_WORKER",
        "BUDGET_UPDATE",
        "NEW_BUDGET",
        "SPENDING",
        "NEW_LEAD",
        "LEAD_EXIT",
        "WORKER_LEAVING",
        "WORKER_EXIT",
    )
    for audience in ("ALL", "WORKER")
]


def test_general_subscriptions_list_the_twenty_kinds_in_table_order_all_off_worker_on(member_api_client):
    entries = member_api_client.execute(GENERAL_SUBSCRIPTIONS)["generalSubscriptions"]

    listed = [entry for entry in entries if entry["kind"] in WG_GENERAL_KINDS]
    assert [entry["kind"] for entry in listed] == WG_GENERAL_KINDS
    for entry in listed:
        on = entry["kind"].endswith("_WORKER")
        assert (entry["id"], entry["shouldNotify"], entry["shouldNotifyByEmail"]) == (None, on, on), entry
    assert len(WORKING_GROUP_EVENT_TYPES) * 2 == len(listed) == 20


@pytest.mark.parametrize("status", ["WATCH", "MUTE"])
def test_a_member_watches_or_mutes_one_group_by_its_id(member_api_client, member, status):
    result = member_api_client.execute(ENTITY_SUBSCRIPTION, {"entityId": BUILDERS_GROUP, "status": status})

    assert result["entitySubscription"] == {
        "kind": "WG_ENTITY_ALL",
        "entityId": BUILDERS_GROUP,
        "status": status,
    }
    row = Subscription.objects.get(member=member, kind="WG_ENTITY_ALL")
    assert (row.entity_id, row.should_notify) == (BUILDERS_GROUP, status == "WATCH")


def test_the_feed_shows_a_working_group_notification_with_its_message_and_link(
    member_api_client, member, settings
):
    settings.PIONEER_URL = "https://pioneer.test"
    event = wg_event("AppliedOnOpeningEvent", group_id=BUILDERS_GROUP, applicant=person(7))
    NotificationFactory(member=member, kind="WG_APPLICATION_WORKER", data=event_display_data(event))

    [entry] = member_api_client.execute(FEED)["notifications"]

    assert entry == {
        "kind": "WG_APPLICATION_WORKER",
        "message": "handle7 applied to Forum moderator in your group Builders",
        "link": "https://pioneer.test/#/working-groups/openings/forumWorkingGroup-3",
    }
