"""A lead hire is one action (docs/kinds/working-groups.md, "A lead hire"): the chain emits
LeaderSetEvent then OpeningFilledEvent in one block, and each member hears of it once — in one
page, split over two pages, and split over two ingest runs — through the fake query node over
HTTP. A normal hire and a lead set without a fill stay notifications of their own."""

from __future__ import annotations

import pytest

from notifications.models import EmailStatus, Notification
from notifications.presentation import notification_message
from qn_ingest.client import QueryNodeError
from qn_ingest.fake_node.working_groups import WorkingGroupChain
from qn_ingest.services import ingest_run
from tests.factories import MemberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

FORUM = "forumWorkingGroup"
# 2 works in the forum group; 3 applies and is hired; 4 opted in to every hire and every new
# lead; 6 watches the forum group; 7 opted in to every hire only.
WORKER, APPLICANT, OUTSIDER, WATCHER, HIRES_ONLY = 2, 3, 4, 6, 7
NOTE = "ada was hired as the lead of Forum through the opening “Forum lead”."


@pytest.fixture
def chain(fake_query_node):
    data = fake_query_node.data
    for member_id, handle in (
        (WORKER, "wes"),
        (APPLICANT, "ada"),
        (OUTSIDER, "otto"),
        (WATCHER, "wat"),
        (HIRES_ONLY, "hil"),
    ):
        data.member(member_id, handle=handle)
        MemberFactory(id=member_id, name=handle)
    data.worker(member=WORKER, group_id=FORUM)
    for kind in ("WG_NEW_WORKER_ALL", "WG_NEW_LEAD_ALL"):
        SubscriptionFactory(member_id=OUTSIDER, kind=kind)
    SubscriptionFactory(member_id=HIRES_ONLY, kind="WG_NEW_WORKER_ALL")
    SubscriptionFactory(member_id=WATCHER, kind="WG_ENTITY_ALL", entity_id=FORUM)
    return WorkingGroupChain(data)


def _applied(chain: WorkingGroupChain, title: str):
    """An opening and ADA's application, ingested: only the hire is left to read."""
    opening = chain.opening(FORUM, title=title)
    application = chain.apply(opening, member=APPLICANT)
    ingest_run()
    Notification.objects.all().delete()
    return opening, application


def _hire_events(fake_query_node):
    lead_set, filled = fake_query_node.data.events[-2:]
    assert (lead_set.typename, filled.typename) == ("LeaderSetEvent", "OpeningFilledEvent")
    assert lead_set.inBlock == filled.inBlock and lead_set.indexInBlock < filled.indexInBlock
    return lead_set, filled


def _received() -> dict[int, list[tuple[str, str]]]:
    """member → [(event id, kind)]."""
    result: dict[int, list[tuple[str, str]]] = {}
    for member_id, event_id, kind in Notification.objects.order_by("event_id").values_list(
        "member_id", "event_id", "kind"
    ):
        result.setdefault(member_id, []).append((event_id, kind))
    return result


def _assert_one_notification_per_member(lead_set, filled):
    assert _received() == {
        WORKER: [(lead_set.id, "WG_NEW_LEAD_WORKER")],
        OUTSIDER: [(lead_set.id, "WG_NEW_LEAD_ALL")],
        WATCHER: [(lead_set.id, "WG_ENTITY_ALL")],
        # never reached by the LeaderSetEvent: hears of the hire from the fill, in the same words
        HIRES_ONLY: [(filled.id, "WG_NEW_WORKER_ALL")],
    }  # and the hired lead hears of neither
    # one email each
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.PENDING}
    messages = {n.member_id: notification_message(n.kind, n.data) for n in Notification.objects.all()}
    assert messages == {
        WORKER: "Your group Forum has a new lead: ada",
        OUTSIDER: "Forum has a new lead: ada",
        WATCHER: "Forum, a group you watch, has a new lead: ada",
        HIRES_ONLY: "Forum hired ada",
    }
    for notification in Notification.objects.all():
        assert notification.data["note"] == {"text": NOTE}
        assert notification.data["opening"]["title"] == "Forum lead"


@pytest.mark.parametrize("page_size", [50, 1], ids=["one page", "split over two pages"])
def test_a_lead_hire_is_one_notification_per_member(chain, fake_query_node, page_size):
    opening, application = _applied(chain, "Forum lead")
    chain.fill(opening, [application], lead=True)
    lead_set, filled = _hire_events(fake_query_node)

    summary = ingest_run(page_size=page_size)

    assert summary.events == 2 and summary.pages == (1 if page_size == 50 else 2)
    _assert_one_notification_per_member(lead_set, filled)


def test_a_lead_hire_split_over_two_runs_is_one_notification_per_member(chain, fake_query_node, settings):
    opening, application = _applied(chain, "Forum lead")
    chain.fill(opening, [application], lead=True)
    lead_set, filled = _hire_events(fake_query_node)
    settings.QUERY_NODE_MAX_ATTEMPTS = 2

    def down_after_first_page(progress):
        fake_query_node.fail_always("500")

    with pytest.raises(QueryNodeError):
        ingest_run(page_size=1, on_page=down_after_first_page)
    # the first run stored the LeaderSetEvent's notifications only
    assert set(Notification.objects.values_list("event_id", flat=True)) == {lead_set.id}

    fake_query_node.clear_faults()
    ingest_run(page_size=1)

    _assert_one_notification_per_member(lead_set, filled)


def test_a_normal_hire_stays_one_notification_without_the_lead_note(chain, fake_query_node):
    opening, application = _applied(chain, "Forum moderator")
    chain.fill(opening, [application])
    filled = fake_query_node.data.events[-1]

    ingest_run(page_size=1)

    assert _received() == {
        WORKER: [(filled.id, "WG_NEW_WORKER_WORKER")],
        OUTSIDER: [(filled.id, "WG_NEW_WORKER_ALL")],
        WATCHER: [(filled.id, "WG_ENTITY_ALL")],
        HIRES_ONLY: [(filled.id, "WG_NEW_WORKER_ALL")],
    }
    assert not any("note" in n.data for n in Notification.objects.all())


def test_a_lead_set_without_a_fill_in_its_block_still_notifies(chain, fake_query_node):
    opening, application = _applied(chain, "Forum moderator")
    [worker] = chain.fill(opening, [application])
    filled = fake_query_node.data.events[-1]
    lead_set = chain.set_lead(worker)  # a later block: another action
    assert lead_set.inBlock > filled.inBlock

    ingest_run(page_size=50)

    received = _received()
    assert received[WORKER] == [(filled.id, "WG_NEW_WORKER_WORKER"), (lead_set.id, "WG_NEW_LEAD_WORKER")]
    assert received[OUTSIDER] == [(filled.id, "WG_NEW_WORKER_ALL"), (lead_set.id, "WG_NEW_LEAD_ALL")]
    assert received[WATCHER] == [(filled.id, "WG_ENTITY_ALL"), (lead_set.id, "WG_ENTITY_ALL")]
    assert APPLICANT not in received
    lead_note = Notification.objects.get(member_id=WORKER, event_id=lead_set.id)
    assert notification_message(lead_note.kind, lead_note.data) == "Your group Forum has a new lead: ada"
    assert "note" not in lead_note.data and "opening" not in lead_note.data
