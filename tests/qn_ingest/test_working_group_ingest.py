"""A working group's life through the fake query node over real HTTP: an opening, applications,
a lead hired, a budget, spending, a worker leaving and exiting — every one of the ten event
types read from the same paged events query, with the right people and display data."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from notifications.presentation import notification_link, notification_message
from qn_ingest.fake_node.working_groups import WorkingGroupChain
from qn_ingest.services import ingest_run
from tests.factories import MemberFactory, SubscriptionFactory

JOY = 10**10
FORUM = "forumWorkingGroup"
BUILDERS = "operationsWorkingGroupAlpha"
# 1 leads the forum group, 2 works in it, 3 applies and is hired, 4 is an outsider who opted in
# to every hire, 5 works for the builders, 6 watches the builders.
LEAD, WORKER, APPLICANT, OUTSIDER, BUILDER, WATCHER = 1, 2, 3, 4, 5, 6


@pytest.fixture
def chain(fake_query_node, db):
    data = fake_query_node.data
    for member_id, handle in enumerate(("lea", "wes", "ada", "otto", "bob", "wat"), start=1):
        data.member(member_id, handle=handle)
        MemberFactory(id=member_id, name=handle)
    data.worker(member=LEAD, group_id=FORUM, is_lead=True)
    data.worker(member=WORKER, group_id=FORUM)
    data.worker(member=BUILDER, group_id=BUILDERS)
    SubscriptionFactory(member_id=OUTSIDER, kind="WG_NEW_WORKER_ALL")
    SubscriptionFactory(member_id=WATCHER, kind="WG_ENTITY_ALL", entity_id=BUILDERS)
    return WorkingGroupChain(data)


def _by_event(event_id: str) -> dict[int, Notification]:
    return {n.member_id: n for n in Notification.objects.filter(event_id=event_id)}


def _event_ids(fake_query_node, typename: str) -> list[str]:
    return [event.id for event in fake_query_node.data.events if event.typename == typename]


def test_every_working_group_event_is_read_in_one_events_query_and_reaches_the_right_members(
    chain, fake_query_node
):
    opening = chain.opening(FORUM, title="Forum moderator")
    application = chain.apply(opening, member=APPLICANT)
    [hired] = chain.fill(opening, [application])
    chain.budget_updated(BUILDERS, -250 * JOY)
    chain.budget_set(BUILDERS, 150_000 * JOY + 5 * JOY // 10)
    chain.spend(BUILDERS, 1_200 * JOY, receiver="5GrwvaEF", rationale="Bounty for the **dashboard**")
    chain.start_leaving(hired, rationale="Moving on")
    chain.exit(hired)

    summary = ingest_run(page_size=50)

    # one events page, one roles read, no per-event queries
    assert summary.events == 8
    assert sorted(fake_query_node.operations()) == ["ActiveWorkers", "CurrentCouncil", "NotifyEvents"]
    [added] = _event_ids(fake_query_node, "OpeningAddedEvent")
    assert {m: n.kind for m, n in _by_event(added).items()} == {
        LEAD: "WG_OPENING_WORKER",
        WORKER: "WG_OPENING_WORKER",
    }
    lead_note = _by_event(added)[LEAD]
    assert (
        notification_message(lead_note.kind, lead_note.data)
        == "New opening in your group Forum: Forum moderator"
    )
    assert notification_link(lead_note.kind, lead_note.data, "https://p.test") == (
        f"https://p.test/#/working-groups/openings/{opening.id}"
    )

    [applied] = _event_ids(fake_query_node, "AppliedOnOpeningEvent")
    note = _by_event(applied)[WORKER]
    assert notification_message(note.kind, note.data) == "ada applied to Forum moderator in your group Forum"
    assert APPLICANT not in _by_event(applied)

    [filled] = _event_ids(fake_query_node, "OpeningFilledEvent")
    assert {m: n.kind for m, n in _by_event(filled).items()} == {
        LEAD: "WG_NEW_WORKER_WORKER",
        WORKER: "WG_NEW_WORKER_WORKER",
        OUTSIDER: "WG_NEW_WORKER_ALL",
    }  # the hired applicant is not told of their own hire
    assert notification_message("WG_NEW_WORKER_ALL", _by_event(filled)[OUTSIDER].data) == "Forum hired ada"

    [updated] = _event_ids(fake_query_node, "BudgetUpdatedEvent")
    builder = _by_event(updated)[BUILDER]
    assert notification_message(builder.kind, builder.data) == (
        "The budget of your group Builders changed by -250 JOY"
    )
    assert notification_link(builder.kind, builder.data, "https://p.test") == (
        "https://p.test/#/working-groups/builders"
    )
    watcher = _by_event(updated)[WATCHER]
    assert (watcher.kind, notification_message(watcher.kind, watcher.data)) == (
        "WG_ENTITY_ALL",
        "The budget of Builders, a group you watch, changed by -250 JOY",
    )

    [budget] = _event_ids(fake_query_node, "BudgetSetEvent")
    assert _by_event(budget)[BUILDER].data["budget"] == {"new": "150,000.5 JOY"}

    [spent] = _event_ids(fake_query_node, "BudgetSpendingEvent")
    assert _by_event(spent)[BUILDER].data["spending"] == {"amount": "1,200 JOY", "receiver": "5GrwvaEF"}
    assert _by_event(spent)[BUILDER].data["rationale"] == {"text": "Bounty for the dashboard"}

    # the hired worker leaves: the other workers hear of it, the leaver does not
    [leaving] = _event_ids(fake_query_node, "WorkerStartedLeavingEvent")
    [exited] = _event_ids(fake_query_node, "WorkerExitedEvent")
    assert set(_by_event(leaving)) == set(_by_event(exited)) == {LEAD, WORKER}
    note = _by_event(exited)[WORKER]
    assert notification_message(note.kind, note.data) == "ada left your group Forum"


def test_a_new_lead_and_the_lead_leaving(chain, fake_query_node):
    opening = chain.opening(FORUM, title="Forum lead")
    [new_lead] = chain.fill(opening, [chain.apply(opening, member=APPLICANT)])
    chain.set_lead(new_lead)
    chain.unset_lead(new_lead)

    ingest_run(page_size=2)  # over several pages too

    [lead_set] = _event_ids(fake_query_node, "LeaderSetEvent")
    [lead_unset] = _event_ids(fake_query_node, "LeaderUnsetEvent")
    note = _by_event(lead_set)[WORKER]
    assert notification_message(note.kind, note.data) == "Your group Forum has a new lead: ada"
    assert APPLICANT not in _by_event(lead_set) and APPLICANT not in _by_event(lead_unset)
    note = _by_event(lead_unset)[LEAD]
    assert notification_message(note.kind, note.data) == "ada is no longer the lead of your group Forum"


def test_an_opening_without_readable_metadata_still_notifies(chain, fake_query_node):
    chain.opening(FORUM, title=None)

    ingest_run()

    [added] = _event_ids(fake_query_node, "OpeningAddedEvent")
    note = _by_event(added)[WORKER]
    assert notification_message(note.kind, note.data) == "New opening in your group Forum: an opening"
