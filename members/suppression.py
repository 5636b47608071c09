"""Lifting an email suppression: the member's verified address may receive mail again.

Suppressions are set by notifications/deliverability.py from the provider's reports; they
are lifted when the member verifies an address (the verification link reached a working
mailbox) or when an operator lifts one in the admin.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from members.models import Member

SUPPRESSION_FIELDS = ("email_suppressed_reason", "email_suppressed_at", "email_suppressed_detail")


def member_email_suppression_clear(*, member: Member, now: datetime) -> list[str]:
    """Clear the suppression on `member` (not saved); returns the fields to save.

    `email_deliverable_since` moves to now, so reports about mail sent before (a late
    bounce, earlier soft bounces) cannot suppress the address again.
    """
    member.email_suppressed_reason = ""
    member.email_suppressed_at = None
    member.email_suppressed_detail = ""
    member.email_deliverable_since = now
    return [*SUPPRESSION_FIELDS, "email_deliverable_since"]


def members_email_suppression_lift(*, member_ids: list[int]) -> int:
    """An operator's lift: the given members' addresses receive mail again. Returns how many
    were suppressed. Emails already IGNORED stay so; new ones are sent."""
    now = timezone.now()
    with transaction.atomic():
        members = list(
            Member.objects.select_for_update().filter(id__in=member_ids).exclude(email_suppressed_reason="")
        )
        for member in members:
            fields = member_email_suppression_clear(member=member, now=now)
            member.save(update_fields=[*fields, "updated_at"])
    return len(members)
