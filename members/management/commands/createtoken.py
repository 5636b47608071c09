from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from members.models import Member
from members.tokens import auth_token_issue


class Command(BaseCommand):
    help = "Print an API token (a JWT for the Authorization: Bearer header) for a member."

    def add_arguments(self, parser):
        parser.add_argument("member_id", type=int, help="Joystream membership id")
        parser.add_argument(
            "--allow-unregistered",
            action="store_true",
            help="Issue the token even for an unregistered member (the API rejects it until they sign up)",
        )

    def handle(self, *args, member_id, allow_unregistered, **options):
        if member_id < 0:
            raise CommandError("MEMBER_ID must be a non-negative integer")
        try:
            registered = Member.objects.filter(pk=member_id).exists()
        except DatabaseError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CommandError(
                f"cannot read the members ({reason}); run `python manage.py migrate` first"
            ) from exc
        if not allow_unregistered and not registered:
            raise CommandError(
                f"member {member_id} is not registered (use --allow-unregistered to issue a token anyway)"
            )
        self.stdout.write(auth_token_issue(member_id=member_id))
