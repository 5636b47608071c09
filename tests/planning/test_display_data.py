"""The drafts' display data: JSON-safe, in the shape notifications/presentation.py reads."""

from __future__ import annotations

import json

from notifications.presentation import notification_link, notification_message
from qn_ingest.events import ElectionStage
from tests.factories import MemberFactory
from tests.planning.builders import election, forum_post, forum_thread, mention, plan, proposal_post

BASE = "https://pioneer.example"


def _only_draft(event):
    drafts = plan([event])
    assert len(drafts) == 1, drafts
    draft = drafts[0]
    assert json.loads(json.dumps(draft.data)) == draft.data
    return draft


def test_forum_post_data_and_link(db):
    MemberFactory(id=5)
    event = forum_post(thread_id="42", text=f"**Hi** {mention(5, 'five')}!", category_chain=("3", "1"))

    draft = _only_draft(event)

    assert draft.entity_id == event.post_id
    assert draft.in_block == event.in_block
    assert draft.data == {
        "event_type": "PostAddedEvent",
        "author": {"id": 999, "handle": "handle999"},
        "thread": {"id": "42", "title": "Thread 42"},
        "category": {"id": "3", "title": "Category 3"},
        "post": {"id": event.post_id, "excerpt": "Hi @five!"},
    }
    assert notification_link(draft.kind, draft.data, BASE) == f"{BASE}/#/forum/thread/42?post={event.post_id}"
    assert notification_message(draft.kind, draft.data) == "handle999 mentioned you in Thread 42"


def test_forum_thread_data_and_link(db):
    MemberFactory(id=5)
    event = forum_thread(thread_id="77", text=f"Welcome {mention(5, 'five')}")

    draft = _only_draft(event)

    assert draft.entity_id == "77"
    assert draft.data["event_type"] == "ThreadCreatedEvent"
    assert draft.data["thread"] == {"id": "77", "title": "Thread 77"}
    assert draft.data["post"] == {"excerpt": "Welcome @five"}
    assert notification_link(draft.kind, draft.data, BASE) == f"{BASE}/#/forum/thread/77"


def test_proposal_post_data_and_link(db):
    MemberFactory(id=5)
    event = proposal_post(proposal_id="9", creator_id=5, text="x" * 1000)

    draft = _only_draft(event)

    assert draft.data["proposal"] == {"id": "9", "title": "Proposal 9"}
    assert len(draft.data["post"]["excerpt"]) <= 300
    assert (
        notification_link(draft.kind, draft.data, BASE)
        == f"{BASE}/#/proposals/preview/9?post={event.post_id}"
    )


def test_election_data_and_link(db):
    MemberFactory(id=5)

    draft = _only_draft(election(ElectionStage.VOTING))

    assert draft.data == {
        "event_type": "VotingPeriodStartedEvent",
        "election": {"stage": "VOTING", "cycle_id": "7"},
    }
    assert notification_link(draft.kind, draft.data, BASE) == f"{BASE}/#/election"
    assert notification_message(draft.kind, draft.data) == "The council election voting period has started"
