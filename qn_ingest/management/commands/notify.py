"""`manage.py notify`: one full cycle in the foreground (CONTRACT.md §5)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from notifications.delivery import DeliverySummary, notifications_deliver_pending
from qn_ingest.client import QueryNodeError
from qn_ingest.services import IngestSummary, PageProgress, ingest_run


class Command(BaseCommand):
    help = (
        "Ingest every new query-node event into notifications (from the stored cursor, or "
        "STARTING_BLOCK the first time), printing a line per page, then make one delivery "
        "attempt for every PENDING email (also when the query node is down). Exits non-zero "
        "if the query node cannot be read."
    )

    def handle(self, *args, **options) -> None:
        ingest_error = None
        try:
            summary = ingest_run(on_page=self._page)
        except QueryNodeError as exc:
            ingest_error = exc
        else:
            self._report_ingest(summary)
        # Emails already waiting go out even when the query node is down.
        started = time.monotonic()
        delivery = notifications_deliver_pending(on_progress=self._delivery_progress)
        self.stdout.write(
            f"Delivery done: {self._delivery_line(delivery)} in {time.monotonic() - started:.2f}s"
        )
        if ingest_error is not None:
            # CommandError prints one line on stderr, exits 1, no traceback.
            raise CommandError(
                f"cannot read the query node (the next run resumes from the stored cursor): {ingest_error}"
            )

    def _report_ingest(self, summary: IngestSummary) -> None:
        if not summary.ran:
            self.stdout.write(f"Ingest skipped: {summary.reason}")
            return
        skipped = f", {summary.skipped_events} unusable events skipped" if summary.skipped_events else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Ingest done: block {summary.block} reached, {summary.events} events, "
                f"{summary.notifications} notifications ({summary.pending} to email){skipped} "
                f"in {summary.duration_seconds:.2f}s"
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
