"""Importing the TypeScript backend's database: members, subscriptions, notifications, cursor.

Rows are matched on what identifies them, not on generated ids: a member by its membership id,
a subscription by (member, kind, entity id), a notification by (member, event id). A matched
row with the same values is left alone, which makes a second run change nothing. A matched row
with other values is a conflict: the import refuses (and writes nothing) unless `force`, in
which case the old database wins. Rows only the target has are never touched.

New subscriptions and notifications keep their old ids when those are free, because the API
shows them; the id sequences are moved past them afterwards.

Everything happens in one transaction. A dry run does the whole import and rolls it back, so
the numbers it prints are exactly what a real run would do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.core.management.color import no_style
from django.db import connection, transaction

from members.models import Member
from members.ts_backend_source import (
    DuplicateSubscriptions,
    OldMember,
    OldNotification,
    OldSubscription,
    TsBackendSource,
)
from notifications.models import EmailStatus, Notification
from qn_ingest.models import IngestCursor
from subscriptions.kinds import ENTITY_ID_MAX_LENGTH, NotificationKind, is_entity, is_general
from subscriptions.models import Subscription

BATCH_SIZE = 1000
CONFLICT_SAMPLES = 5
# The old backend kept no display data (it asked the query node when it sent an email); this
# marks the rows so the feed and the emails can tell why their titles and handles are missing.
IMPORTED_DATA = {"imported": True}

MEMBER_FIELDS = ("name", "email", "unverified_email", "receive_emails")
SUBSCRIPTION_FIELDS = ("should_notify", "should_notify_by_email")
NOTIFICATION_FIELDS = ("kind", "entity_id", "email_status", "retry_count", "is_read")

# Built once: TextChoices.values builds a new list on every call, which showed in profiles.
KNOWN_KINDS = frozenset(NotificationKind.values)
KNOWN_EMAIL_STATUSES = frozenset(EmailStatus.values)

ProgressCallback = Callable[[str, int, int], None]


class ImportRefused(Exception):
    """The target holds different data for rows of the old database; nothing was written."""

    def __init__(self, message: str, report: ImportReport):
        super().__init__(message)
        self.report = report


@dataclass
class TableCounts:
    read: int = 0
    created: int = 0
    unchanged: int = 0
    updated: int = 0
    conflicting: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> rows


@dataclass
class ImportReport:
    dry_run: bool
    force: bool
    members: TableCounts = field(default_factory=TableCounts)
    subscriptions: TableCounts = field(default_factory=TableCounts)
    notifications: TableCounts = field(default_factory=TableCounts)
    cursor: str = "not read"
    duplicates: list[DuplicateSubscriptions] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # the first few, described
    conflict_count: int = 0
    committed: bool = False

    def conflict(self, description: str, counts: TableCounts | None = None) -> None:
        if counts is not None:
            counts.conflicting += 1
        self.conflict_count += 1
        if len(self.conflicts) < CONFLICT_SAMPLES:
            self.conflicts.append(description)

    @property
    def refused(self) -> bool:
        return self.conflict_count > 0 and not self.force


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _differences(current, wanted: dict, fields: tuple[str, ...]) -> list[str]:
    return [
        f"{name} {getattr(current, name)!r} here, {wanted[name]!r} in the old database"
        for name in fields
        if getattr(current, name) != wanted[name]
    ]


class _Progress:
    def __init__(self, callback: ProgressCallback | None, every: int):
        self.callback = callback
        self.every = max(every, 1)

    def __call__(self, table: str, done_before: int, done: int, total: int) -> None:
        """Report once per `every` rows crossed, and once at the end of the table."""
        if self.callback and (done // self.every > done_before // self.every or done == total):
            self.callback(table, done, total)


def _apply(report: ImportReport, counts: TableCounts, existing, wanted: dict, fields, label: str):
    """Compare one matched row; return it when it must be written (forced update), else None."""
    differences = _differences(existing, wanted, fields)
    if not differences:
        counts.unchanged += 1
        return None
    report.conflict(f"{label}: {'; '.join(differences)}", counts)
    if not report.force:
        return None
    for name in fields:
        setattr(existing, name, wanted[name])
    counts.updated += 1
    return existing


def _import_members(batch: list[OldMember], report: ImportReport) -> None:
    counts = report.members
    existing = Member.objects.in_bulk([old.id for old in batch])
    to_create, to_update = [], []
    for old in batch:
        wanted = {
            "name": old.name,
            "email": old.email,
            "unverified_email": old.unverified_email,
            "receive_emails": old.receive_emails,
        }
        current = existing.get(old.id)
        if current is None:
            to_create.append(Member(id=old.id, **wanted))
        elif row := _apply(report, counts, current, wanted, MEMBER_FIELDS, f"member {old.id}"):
            to_update.append(row)
    Member.objects.bulk_create(to_create)
    Member.objects.bulk_update(to_update, MEMBER_FIELDS)
    counts.created += len(to_create)


def _subscription_skip_reason(old: OldSubscription) -> str | None:
    if old.kind not in KNOWN_KINDS:
        return f"unknown kind {old.kind}"
    if is_general(old.kind) and old.entity_id is not None:
        return f"general kind {old.kind} with an entity id"
    if is_entity(old.kind) and not old.entity_id:
        return f"entity kind {old.kind} without an entity id"
    if old.entity_id and len(old.entity_id) > ENTITY_ID_MAX_LENGTH:
        return f"entity id longer than {ENTITY_ID_MAX_LENGTH} characters"
    return None


def _free_ids(model, ids: list[int]) -> set[int]:
    return set(ids) - set(model.objects.filter(id__in=ids).values_list("id", flat=True))


def _import_subscriptions(batch: list[OldSubscription], report: ImportReport) -> None:
    counts = report.subscriptions
    valid = []
    for old in batch:
        if reason := _subscription_skip_reason(old):
            counts.skipped[reason] += 1
        else:
            valid.append(old)
    existing = {
        (row.member_id, row.kind, row.entity_id): row
        for row in Subscription.objects.filter(
            member_id__in={old.member_id for old in valid}, kind__in={old.kind for old in valid}
        )
    }
    free_ids = _free_ids(Subscription, [old.id for old in valid])
    to_create, to_update = [], []
    for old in valid:
        wanted = {"should_notify": old.should_notify, "should_notify_by_email": old.should_notify_by_email}
        current = existing.get((old.member_id, old.kind, old.entity_id))
        if current is None:
            to_create.append(
                Subscription(
                    id=old.id if old.id in free_ids else None,
                    member_id=old.member_id,
                    kind=old.kind,
                    entity_id=old.entity_id,
                    **wanted,
                )
            )
            continue
        label = f"subscription of member {old.member_id} to {old.kind}" + (
            f" {old.entity_id}" if old.entity_id else ""
        )
        if row := _apply(report, counts, current, wanted, SUBSCRIPTION_FIELDS, label):
            to_update.append(row)
    Subscription.objects.bulk_create(to_create)
    Subscription.objects.bulk_update(to_update, SUBSCRIPTION_FIELDS)
    counts.created += len(to_create)


def _notification_skip_reason(old: OldNotification) -> str | None:
    if old.kind not in KNOWN_KINDS:
        return f"unknown kind {old.kind}"
    if old.email_status not in KNOWN_EMAIL_STATUSES:
        return f"unknown email status {old.email_status}"
    if old.retry_count is None or old.retry_count < 0:
        return "negative retry count"
    if old.entity_id and len(old.entity_id) > ENTITY_ID_MAX_LENGTH:
        return f"entity id longer than {ENTITY_ID_MAX_LENGTH} characters"
    return None


def _import_notifications(batch: list[OldNotification], report: ImportReport) -> None:
    counts = report.notifications
    valid = []
    for old in batch:
        if reason := _notification_skip_reason(old):
            counts.skipped[reason] += 1
        else:
            valid.append(old)
    existing = {
        (row.member_id, row.event_id): row
        for row in Notification.objects.filter(
            member_id__in={old.member_id for old in valid}, event_id__in={old.event_id for old in valid}
        )
    }
    free_ids = _free_ids(Notification, [old.id for old in valid])
    to_create, to_update = [], []
    for old in valid:
        wanted = {
            "kind": old.kind,
            "entity_id": old.entity_id,
            "email_status": old.email_status,
            "retry_count": old.retry_count,
            "is_read": old.is_read,
        }
        current = existing.get((old.member_id, old.event_id))
        if current is None:
            to_create.append(
                Notification(
                    id=old.id if old.id in free_ids else None,
                    member_id=old.member_id,
                    event_id=old.event_id,
                    data=dict(IMPORTED_DATA),
                    **wanted,
                )
            )
            continue
        label = f"notification of member {old.member_id} for event {old.event_id}"
        if row := _apply(report, counts, current, wanted, NOTIFICATION_FIELDS, label):
            to_update.append(row)
    Notification.objects.bulk_create(to_create)
    Notification.objects.bulk_update(to_update, NOTIFICATION_FIELDS)
    counts.created += len(to_create)


def _import_cursor(source: TsBackendSource, report: ImportReport) -> None:
    progress = source.progress()
    if progress is None:
        report.cursor = "absent in the old database: the ingest will start at STARTING_BLOCK"
        return
    wanted = {"block": progress.block, "event_ids": sorted(set(progress.event_ids))}
    position = f"block {progress.block} (+{len(wanted['event_ids'])} events)"
    current = IngestCursor.objects.filter(pk=IngestCursor.SINGLETON_ID).first()
    if current is None:
        IngestCursor.objects.create(pk=IngestCursor.SINGLETON_ID, **wanted)
        report.cursor = f"created at {position}"
        return
    current.event_ids = sorted(current.event_ids)
    differences = _differences(current, wanted, ("block", "event_ids"))
    if not differences:
        report.cursor = f"unchanged at {position}"
        return
    report.conflict(f"ingest cursor: {'; '.join(differences)}")
    if report.force:
        IngestCursor.objects.filter(pk=IngestCursor.SINGLETON_ID).update(**wanted)
        report.cursor = f"moved to {position}"
    else:
        report.cursor = f"conflicting (old database at {position})"


def _import_table(
    *,
    table: str,
    rows: Iterable,
    total: int,
    counts: TableCounts,
    write,
    batch_size: int,
    progress: _Progress,
) -> None:
    for batch in _chunks(rows, batch_size):
        before = counts.read
        counts.read += len(batch)
        write(batch)
        progress(table, before, counts.read, total)


def _sequences_reset() -> None:
    """Move the id sequences past the kept old ids, or the next new row would collide."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Subscription, Notification])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def ts_backend_import(
    *,
    source: TsBackendSource,
    dry_run: bool = False,
    force: bool = False,
    batch_size: int = BATCH_SIZE,
    progress_every: int = 10_000,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import everything from `source`; raise ImportRefused (having written nothing) on
    conflicts unless `force`. A dry run returns the same report and writes nothing."""
    report = ImportReport(dry_run=dry_run, force=force)
    progress = _Progress(on_progress, progress_every)
    with transaction.atomic():
        _import_table(
            table="members",
            rows=source.members(),
            total=source.count("Member"),
            counts=report.members,
            write=lambda batch: _import_members(batch, report),
            batch_size=batch_size,
            progress=progress,
        )
        report.duplicates = source.subscription_duplicates()
        _import_table(
            table="subscriptions",
            rows=source.subscriptions(),
            total=source.count("Subscription") - sum(len(d.dropped_ids) for d in report.duplicates),
            counts=report.subscriptions,
            write=lambda batch: _import_subscriptions(batch, report),
            batch_size=batch_size,
            progress=progress,
        )
        _import_table(
            table="notifications",
            rows=source.notifications(),
            total=source.count("Notification"),
            counts=report.notifications,
            write=lambda batch: _import_notifications(batch, report),
            batch_size=batch_size,
            progress=progress,
        )
        _import_cursor(source, report)
        if report.refused:  # raising out of the atomic block rolls everything back
            raise ImportRefused(
                f"the target already holds different data for {report.conflict_count} row(s) of the old "
                "database; nothing was written. Rerun with --force to let the old database win.",
                report,
            )
        if dry_run:
            transaction.set_rollback(True)
            return report
        _sequences_reset()
    report.committed = True
    return report
