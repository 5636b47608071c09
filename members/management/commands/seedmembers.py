from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.services import initial_memberships_parse, members_upsert_initial
from members.tokens import auth_token_issue


class Command(BaseCommand):
    help = (
        "Upsert the members listed in INITIAL_MEMBERSHIPS (a JSON list of {id, name, email}); "
        "their emails count as verified. Prints each member's API token."
    )

    def handle(self, *args, **options):
        try:
            memberships = initial_memberships_parse(settings.INITIAL_MEMBERSHIPS)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not memberships:
            self.stdout.write("INITIAL_MEMBERSHIPS is empty: no member to seed.")
            return
        for member in members_upsert_initial(memberships=memberships):
            token = auth_token_issue(member_id=member.id)
            self.stdout.write(f"member {member.id} ({member.name}, {member.email or 'no email'}): {token}")
        self.stdout.write(self.style.SUCCESS(f"{len(memberships)} member(s) seeded."))
