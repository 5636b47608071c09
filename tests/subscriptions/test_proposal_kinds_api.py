"""The proposal kinds through the API (issue 11): listed with their defaults, watchable and
mutable per proposal, and shown in the feed with their message and link."""

import pytest
from django.db import IntegrityError

from subscriptions.models import Subscription
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

PROPOSAL_DEFAULTS = {
    "PROPOSAL_CREATED_ALL": False,
    "PROPOSAL_STATUS_CREATOR": True,
    "PROPOSAL_STATUS_ALL": False,
    "PROPOSAL_VOTE_CREATOR": True,
    "PROPOSAL_VOTE_ALL": False,
    "PROPOSAL_DECIDING_COUNCIL": True,
}


def test_general_subscriptions_lists_the_proposal_kinds_last_with_their_defaults(member_api_client):
    entries = member_api_client.execute(
        "{ generalSubscriptions { id kind shouldNotify shouldNotifyByEmail } }"
    )["generalSubscriptions"]

    kinds = [entry["kind"] for entry in entries]
    assert kinds.index("ELECTION_REVEALING_STARTED") < kinds.index("PROPOSAL_CREATED_ALL")
    by_kind = {entry["kind"]: entry for entry in entries}
    for kind, on in PROPOSAL_DEFAULTS.items():
        assert by_kind[kind] == {"id": None, "kind": kind, "shouldNotify": on, "shouldNotifyByEmail": on}


@pytest.mark.parametrize("kind", ["PROPOSAL_ENTITY_STATUS", "PROPOSAL_ENTITY_VOTE"])
def test_a_proposal_can_be_watched_and_muted(member_api_client, member, kind):
    mutation = """
    mutation ($kind: EntitySubscriptionKind!, $status: EntitySubscriptionStatus!) {
      entitySubscription(kind: $kind, entityId: "285", status: $status) { kind entityId status }
    }"""
    for status in ("WATCH", "MUTE"):
        result = member_api_client.execute(mutation, {"kind": kind, "status": status})
        assert result["entitySubscription"] == {"kind": kind, "entityId": "285", "status": status}
    row = Subscription.objects.get(member=member, kind=kind)
    assert (row.entity_id, row.should_notify) == ("285", False)


def test_the_database_refuses_a_proposal_entity_kind_without_a_proposal(member):
    # the check constraint of migration 0003 knows the new entity kinds
    with pytest.raises(IntegrityError):
        Subscription.objects.create(member=member, kind="PROPOSAL_ENTITY_VOTE", entity_id=None)


def test_the_feed_shows_a_vote_with_its_message_and_link(member_api_client, member, settings):
    settings.PIONEER_URL = "https://pioneer.example.org"
    NotificationFactory(
        member=member,
        kind="PROPOSAL_VOTE_CREATOR",
        entity_id="285",
        data={
            "author": {"id": 2, "handle": "bob"},
            "proposal": {"id": "285", "title": "Fund the forum"},
            "vote": {"name": "Abstain", "round": 1, "excerpt": ""},
        },
    )

    [entry] = member_api_client.execute("{ notifications { kind entityId message link } }")["notifications"]

    assert entry == {
        "kind": "PROPOSAL_VOTE_CREATOR",
        "entityId": "285",
        "message": "bob voted Abstain on your proposal Fund the forum",
        "link": "https://pioneer.example.org/#/proposals/preview/285",
    }
