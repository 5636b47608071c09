"""Election stages reach every registered member except those who turned that kind off."""

from __future__ import annotations

import pytest

from notifications.models import EmailStatus
from qn_ingest.events import ElectionStage
from tests.factories import MemberFactory, SubscriptionFactory
from tests.planning.builders import election, kinds_by_member, plan

STAGE_KINDS = {
    ElectionStage.ANNOUNCING: "ELECTION_ANNOUNCING_STARTED",
    ElectionStage.VOTING: "ELECTION_VOTING_STARTED",
    ElectionStage.REVEALING: "ELECTION_REVEALING_STARTED",
}


@pytest.mark.parametrize("stage", list(ElectionStage))
def test_each_stage_reaches_every_member_who_did_not_turn_it_off(db, stage):
    kind = STAGE_KINDS[stage]
    members = {member_id: MemberFactory(id=member_id) for member_id in (1, 2, 3, 4)}
    SubscriptionFactory(member=members[2], kind=kind, should_notify=False, should_notify_by_email=False)
    # Turning off the other stages, or keeping this one on explicitly, changes nothing.
    for other in set(STAGE_KINDS.values()) - {kind}:
        SubscriptionFactory(member=members[3], kind=other, should_notify=False, should_notify_by_email=False)
    SubscriptionFactory(member=members[4], kind=kind, should_notify=True, should_notify_by_email=False)

    event = election(stage)
    drafts = plan([event])

    assert kinds_by_member(drafts) == {1: kind, 3: kind, 4: kind}
    assert {d.entity_id for d in drafts} == {event.event_id}
    statuses = {d.member_id: d.email_status for d in drafts}
    assert statuses == {1: EmailStatus.PENDING, 3: EmailStatus.PENDING, 4: EmailStatus.IGNORED}
    assert drafts[0].data["election"] == {"stage": stage.value, "cycle_id": "7"}
