"""`manage.py senddigests --frequency daily|weekly`: that digest, now, to everyone on it."""

from django.core.management.base import BaseCommand

from notifications.digests import digests_send


class Command(BaseCommand):
    help = (
        "Send the daily or weekly digest now to every member on that email frequency who has pending "
        "notifications, whatever the day or hour (beat sends them at DIGEST_HOUR_UTC by itself)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            required=True,
            choices=["daily", "weekly"],
            type=str.lower,
            help="Which digest: daily or weekly",
        )

    def handle(self, *args, frequency: str, **options):
        summary = digests_send(frequency=frequency.upper())
        self.stdout.write(
            f"{frequency.capitalize()} digests: {summary.sent} sent covering {summary.notifications} "
            f"notifications, {summary.failed} failed, {summary.skipped} skipped "
            f"({summary.ignored} notifications ignored: email off)."
        )
        if summary.failed:
            # Non-zero for cron: the failed digests' notifications wait for the next run.
            raise SystemExit(1)
