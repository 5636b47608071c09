"""`manage.py notify`: one full cycle in the foreground (docs/api-contract.md, "Commands")."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from chat.delivery import ChatSummary, chat_deliver_pending
from chat.preview import chat_posts_due
from members.verification_emails import verification_emails_deliver_pending, verification_emails_due
from notifications.delivery import DeliverySummary, notifications_deliver_pending, notifications_due
from notifications.delivery_guard import DeliveryPassGuard
from pioneer.heap import loaded_heap_freeze
from qn_ingest.client import QueryNodeError
from qn_ingest.services import IngestSummary, PageProgress, ingest_run

DRY_RUN_LIST_MAX = 100


class Command(BaseCommand):
    help = (
        "Ingest every new query-node event into notifications (from the stored cursor, or "
        "STARTING_BLOCK the first time), printing a line per page, then the deadline reminders "
        "whose window is open (CHAIN_RPC_URL), then make one delivery attempt for every PENDING "
        "verification email, notification email and chat message (also when the query node is down). "
        "With --dry-run, store and send nothing: show what would be posted. Exits non-zero "
        "if the query node cannot be read."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Run the ingest in a transaction that is rolled back, list the chat messages and "
            "community posts that would go out and count the emails; nothing is stored or sent",
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        loaded_heap_freeze()  # everything is imported: full collections need not scan it
        if dry_run:
            ingest_error = self._dry_run()
        else:
            ingest_error = self._ingest()
            # Emails and chat messages already waiting go out even when the query node is down.
            started = time.monotonic()
            # Verification emails first (a person waits for the link), within the same bounds.
            guard = DeliveryPassGuard()
            verification = verification_emails_deliver_pending(guard=guard)
            if verification.attempted or verification.skipped:
                self.stdout.write(f"Verification emails: {self._delivery_line(verification)}")
            delivery = notifications_deliver_pending(on_progress=self._delivery_progress, guard=guard)
            seconds = time.monotonic() - started
            self.stdout.write(f"Delivery done: {self._delivery_line(delivery)} in {seconds:.2f}s")
            if delivery.stopped:
                self.stdout.write(self.style.WARNING(f"Delivery {delivery.stopped}"))
            chat = chat_deliver_pending()
            if chat.attempted or chat.skipped:
                self.stdout.write(f"Chat delivery done: {self._chat_line(chat)}")
        if ingest_error is not None:
            # CommandError prints one line on stderr, exits 1, no traceback.
            raise CommandError(
                f"cannot read the query node (the next run resumes from the stored cursor): {ingest_error}"
            )

    def _ingest(self) -> QueryNodeError | None:
        try:
            summary = ingest_run(on_page=self._page)
        except QueryNodeError as exc:
            return exc
        self._report_ingest(summary)
        return None

    def _dry_run(self) -> QueryNodeError | None:
        # One transaction, rolled back: Celery hand-offs wait for a commit, so none is sent either.
        with transaction.atomic():
            ingest_error = self._ingest()
            posts, total = chat_posts_due(limit=DRY_RUN_LIST_MAX)
            emails = notifications_due(now=timezone.now()).count()
            verifications = verification_emails_due(now=timezone.now()).count()
            transaction.set_rollback(True)
        self.stdout.write(f"Would email: {emails} notifications")
        if verifications:
            self.stdout.write(f"Would email: {verifications} verification emails")
        self.stdout.write(f"Would post: {total} chat messages")
        for post in posts:
            self.stdout.write(f"  {post.destination}: {post.title}")
        if total > len(posts):
            self.stdout.write(f"  … and {total - len(posts)} more")
        self.stdout.write("Dry run: nothing was stored or sent")
        return ingest_error

    def _report_ingest(self, summary: IngestSummary) -> None:
        if not summary.ran:
            self.stdout.write(f"Ingest skipped: {summary.reason}")
            return
        skipped = f", {summary.skipped_events} unusable events skipped" if summary.skipped_events else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Ingest done: block {summary.block} reached, {summary.events} events, "
                f"{summary.notifications} notifications ({summary.pending} to email), "
                f"{summary.reminders} of them reminders{skipped} in {summary.duration_seconds:.2f}s"
            )
        )

    def _page(self, progress: PageProgress) -> None:
        self.stdout.write(
            f"page {progress.page}: block {progress.block} reached, {progress.events} events, "
            f"{progress.notifications} notifications"
        )

    def _delivery_progress(self, summary: DeliverySummary) -> None:
        self.stdout.write(f"delivery: {self._delivery_line(summary)}")

    @staticmethod
    def _delivery_line(summary: DeliverySummary) -> str:
        return (
            f"{summary.attempted} attempted, {summary.sent} sent, "
            f"{summary.retrying} to retry, {summary.failed} failed"
        )

    @staticmethod
    def _chat_line(summary: ChatSummary) -> str:
        return (
            f"{summary.attempted} attempted, {summary.sent} sent, "
            f"{summary.retrying} to retry, {summary.failed} failed"
        )
