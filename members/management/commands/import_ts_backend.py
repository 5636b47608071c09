from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from members.ts_backend_import import BATCH_SIZE, ImportRefused, ImportReport, TableCounts, ts_backend_import
from members.ts_backend_source import SourceError, TsBackendSource

DUPLICATES_LISTED = 10


class Command(BaseCommand):
    help = (
        "Import the database of the TypeScript Pioneer backend (members, subscriptions, notifications "
        "and the ingest position) into this one. The old database is only read. Safe to run again: rows "
        "already imported are left alone. Refuses, writing nothing, when this database holds different "
        "data for the same rows, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="source_url",
            required=True,
            metavar="URL",
            help="The old database, e.g. postgres://user:password@host:5432/pioneer (opened read-only)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Do the whole import, print what it did, then roll it back"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Where this database holds other values for the same rows, overwrite them with the old ones",
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=10_000,
            metavar="N",
            help="Print progress every N rows of each table (default 10000)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, metavar="N", help="Rows written per query"
        )

    def handle(self, *args, source_url, dry_run, force, progress_every, batch_size, **options):
        if batch_size < 1 or progress_every < 1:
            raise CommandError("--batch-size and --progress-every must be at least 1")
        try:
            with TsBackendSource(source_url) as source:
                report = ts_backend_import(
                    source=source,
                    dry_run=dry_run,
                    force=force,
                    batch_size=batch_size,
                    progress_every=progress_every,
                    on_progress=lambda table, done, total: self.stdout.write(f"{table}: {done}/{total}"),
                )
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        except ImportRefused as exc:
            self._summary(exc.report)
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(f"writing to this database failed: {' '.join(str(exc).split())}") from exc
        self._summary(report)

    def _summary(self, report: ImportReport) -> None:
        for table in ("members", "subscriptions", "notifications"):
            self.stdout.write(f"{table}: {self._counts(getattr(report, table))}")
        for duplicate in report.duplicates[:DUPLICATES_LISTED]:
            dropped = ", ".join(f"#{row_id}" for row_id in duplicate.dropped_ids)
            self.stdout.write(
                f"duplicate {duplicate.kind} subscriptions of member {duplicate.member_id}: "
                f"kept the newest #{duplicate.kept_id}, dropped {dropped}"
            )
        if len(report.duplicates) > DUPLICATES_LISTED:
            self.stdout.write(
                f"... and {len(report.duplicates) - DUPLICATES_LISTED} more groups of duplicates"
            )
        self.stdout.write(f"ingest cursor: {report.cursor}")
        for description in report.conflicts:
            self.stdout.write(f"differs: {description}")
        if report.conflict_count > len(report.conflicts):
            self.stdout.write(f"... and {report.conflict_count - len(report.conflicts)} more differences")
        if report.dry_run and not report.refused:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        elif report.committed:
            self.stdout.write(self.style.SUCCESS("Import done."))

    @staticmethod
    def _counts(counts: TableCounts) -> str:
        parts = [
            f"{counts.read} read",
            f"{counts.created} created",
            f"{counts.unchanged} unchanged",
            f"{counts.updated} overwritten",
            f"{counts.conflicting} differing",
        ]
        parts += [f"{rows} skipped ({reason})" for reason, rows in sorted(counts.skipped.items())]
        return ", ".join(parts)
