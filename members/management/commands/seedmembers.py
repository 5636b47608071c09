from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.seeding import memberships_read
from members.services import initial_memberships_parse, members_upsert_initial_stream
from members.tokens import auth_token_issue


class Command(BaseCommand):
    help = (
        "Upsert the initial members: those of --file, else of INITIAL_MEMBERSHIPS_FILE, else of "
        "INITIAL_MEMBERSHIPS (each a JSON list of {id, name, email}; a file may also hold JSON "
        "Lines). Their emails count as verified. All or nothing: a bad entry stores none. Prints "
        "each member's API token unless --no-tokens (which also keeps memory flat for any length)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            help="a JSON list of {id, name, email} (or one object per line), read as it is written: any size",
        )
        parser.add_argument("--no-tokens", action="store_true", help="print only the count (for long lists)")

    def handle(self, *args, file=None, no_tokens=False, **options):
        path = file or settings.INITIAL_MEMBERSHIPS_FILE
        if path and settings.INITIAL_MEMBERSHIPS and not file:
            raise CommandError("set INITIAL_MEMBERSHIPS or INITIAL_MEMBERSHIPS_FILE, not both")
        try:
            if path:
                count = self._seed_file(
                    path, source="--file" if file else "INITIAL_MEMBERSHIPS_FILE", no_tokens=no_tokens
                )
            else:
                memberships = initial_memberships_parse(settings.INITIAL_MEMBERSHIPS)
                if not memberships:
                    self.stdout.write("INITIAL_MEMBERSHIPS is empty: no member to seed.")
                    return
                count = self._seed(memberships, no_tokens=no_tokens)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{count} member(s) seeded."))

    def _seed_file(self, path: str, *, source: str, no_tokens: bool) -> int:
        try:
            with open(path, encoding="utf-8") as stream:
                return self._seed(memberships_read(stream, source=source), no_tokens=no_tokens)
        except OSError as exc:
            raise CommandError(f"cannot read {source} {path}: {exc.strerror}") from exc

    def _seed(self, memberships, *, no_tokens: bool) -> int:
        count = 0
        seeded = []  # printed once stored: a bad entry later in the list stores nothing
        with transaction.atomic():
            for member in members_upsert_initial_stream(memberships=memberships):
                count += 1
                if not no_tokens:
                    seeded.append(member)
        for member in seeded:
            token = auth_token_issue(member_id=member.id)
            self.stdout.write(f"member {member.id} ({member.name}, {member.email or 'no email'}): {token}")
        return count
