"""The ingest's chunked writer (COPY + INSERT … ON CONFLICT on PostgreSQL, the ORM on SQLite):
the same results on both, whatever the chunk boundaries."""

import pytest
from django.db import transaction

from notifications.models import EmailStatus, Notification
from notifications.selectors import notifications_count_for_member
from qn_ingest import bulk_write
from qn_ingest.bulk_write import notifications_write
from qn_ingest.planning import NotificationDraft
from tests.factories import MemberFactory, NotificationFactory

pytestmark = pytest.mark.django_db

ELECTION = {
    "event_type": "AnnouncingPeriodStartedEvent",
    "election": {"stage": "ANNOUNCING", "cycle_id": "4"},
}


def draft(
    member_id: int,
    event_id: str,
    *,
    status=EmailStatus.PENDING,
    data=ELECTION,
    kind="ELECTION_ANNOUNCING_STARTED",
    in_app=True,
):
    return NotificationDraft(
        member_id=member_id,
        kind=kind,
        event_id=event_id,
        entity_id=event_id,
        in_block=7,
        email_status=status.value,
        in_app=in_app,
        data=data,
    )


def write(drafts) -> tuple[int, list[list[int]], list[list[int]]]:
    """(created, the lists of new ids, the lists of new PENDING ids) handed on."""
    new, pending = [], []

    def on_new(new_ids: list[int], pending_ids: list[int]) -> None:
        new.append(new_ids)
        pending.append(pending_ids)

    with transaction.atomic():
        created = notifications_write(iter(drafts), on_new=on_new)
    return created, new, pending


def test_chunked_writes_create_every_new_row_once_and_report_the_new_pending_ones(monkeypatch):
    monkeypatch.setattr(bulk_write, "STAGE_CHUNK_ROWS", 2)
    for member_id in range(1, 6):
        MemberFactory(id=member_id)
    existing = NotificationFactory(member_id=1, event_id="e1", kind="FORUM_POST_MENTION")
    watched = {**ELECTION, "watched": {"id": "9"}}
    drafts = [
        draft(1, "e1"),  # exists already: neither re-created nor handed to delivery
        draft(2, "e1"),
        draft(3, "e1", status=EmailStatus.IGNORED),
        draft(2, "e1", kind="FORUM_POST_REPLY"),  # a second draft of (2, e1) in a later chunk
        draft(4, "e1", data=watched),
        draft(5, "e1"),
        draft(5, "e1", kind="FORUM_POST_REPLY"),  # and one in the same chunk: the first wins
        draft(5, "e2", in_app=False),  # wanted by email only: stored, out of the feed's counts
    ]
    created, new, pending = write(drafts)

    assert created == 5
    assert all(1 <= len(ids) <= 2 for ids in new)  # bounded lists, whatever the page
    rows = {row.member_id: row for row in Notification.objects.filter(event_id="e1")}
    assert rows[1].id == existing.id and rows[1].kind == "FORUM_POST_MENTION"
    assert rows[2].kind == rows[5].kind == "ELECTION_ANNOUNCING_STARTED"
    assert rows[3].email_status == EmailStatus.IGNORED
    assert rows[4].data == watched and rows[2].data == ELECTION
    assert rows[2].in_block == 7 and rows[2].entity_id == "e1" and rows[2].retry_count == 0
    assert rows[2].created_at is not None and rows[2].is_read is False
    email_only = Notification.objects.get(event_id="e2")
    assert email_only.in_app is False
    assert sorted(pk for ids in new for pk in ids) == sorted(
        [*(rows[m].id for m in (2, 3, 4, 5)), email_only.id]
    )
    assert sorted(pk for ids in pending for pk in ids) == sorted(
        [*(rows[m].id for m in (2, 4, 5)), email_only.id]
    )
    assert notifications_count_for_member(member_id=rows[2].member_id, is_read=False) == 1
    assert notifications_count_for_member(member_id=rows[5].member_id) == 1


def test_writing_the_same_drafts_again_creates_nothing():
    MemberFactory(id=1)
    assert write([draft(1, "e1"), draft(1, "e2")])[0] == 2
    assert write([draft(1, "e1"), draft(1, "e2")]) == (0, [], [])
    assert Notification.objects.count() == 2


def test_new_pending_rows_are_written_marked_queued_when_the_caller_queues_them():
    from datetime import UTC, datetime

    for member_id in (1, 2, 3):
        MemberFactory(id=member_id)
    queued_at = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)

    with transaction.atomic():
        notifications_write(
            iter([draft(1, "e1"), draft(2, "e1", status=EmailStatus.IGNORED)]),
            on_new=lambda new_ids, pending_ids: None,
            pending_queued_at=queued_at,
        )
        notifications_write(iter([draft(3, "e1")]), on_new=lambda new_ids, pending_ids: None)

    marks = dict(Notification.objects.values_list("member_id", "email_queued_at"))
    # the PENDING row handed to a worker is marked; the IGNORED one is not sent; without a
    # broker nothing is queued
    assert marks == {1: queued_at, 2: None, 3: None}
