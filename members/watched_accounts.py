"""Writes of the accounts a member watches (issue 24; docs/kinds/council.md, "Accounts I care
about"): the GraphQL mutations and the preferences page both call these."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from members.account_addresses import account_parse
from members.models import Member, WatchedAccount
from pioneer.errors import invalid_input

LABEL_MAX_LENGTH = WatchedAccount._meta.get_field("label").max_length


def label_clean(label: str | None) -> str:
    """The label as stored (trimmed), or a DomainError when it is too long."""
    label = (label or "").strip()
    if len(label) > LABEL_MAX_LENGTH:
        raise invalid_input(f"Label too long: at most {LABEL_MAX_LENGTH} characters, got {len(label)}")
    return label


def watched_account_add(*, member: Member, address: str, label: str | None = None) -> WatchedAccount:
    """Watch an account, or change its label when the member already watches its key (in
    whichever SS58 format it was given). Refused, storing nothing: a bad address or label, or
    one account more than WATCHED_ACCOUNTS_MAX."""
    account = account_parse(address)
    label = label_clean(label)
    with transaction.atomic():
        # The member's row serialises concurrent adds, so that the limit holds.
        Member.objects.select_for_update().filter(pk=member.pk).first()
        existing = WatchedAccount.objects.filter(member=member, public_key=account.public_key).first()
        if existing is not None:
            if existing.label != label:
                existing.label = label
                existing.save(update_fields=["label"])
            return existing
        limit = settings.WATCHED_ACCOUNTS_MAX
        if WatchedAccount.objects.filter(member=member).count() >= limit:
            raise invalid_input(f"Too many watched accounts: at most {limit}; remove one first")
        return WatchedAccount.objects.create(
            member=member, public_key=account.public_key, address=account.address, label=label
        )


def watched_account_remove(*, member: Member, address: str) -> bool:
    """Stop watching an account (given in any accepted format); False when it was not watched."""
    account = account_parse(address)
    deleted, _ = WatchedAccount.objects.filter(member=member, public_key=account.public_key).delete()
    return deleted > 0
