"""Writes and business rules for members."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from members import errors
from members.models import EmailFrequency, Member
from members.signatures import signature_is_valid, signed_message, timestamp_is_fresh
from members.suppression import member_email_suppression_clear
from members.tokens import TokenError, auth_token_issue, email_verification_token_read
from members.verification_emails import verification_email_request, verification_emails_supersede
from notifications.services import notifications_release_for_frequency
from pioneer.errors import invalid_input
from pioneer.rate_limits import Spend, rate_limits_spend
from qn_ingest.client import QueryNodeError, membership_controller_account

logger = logging.getLogger(__name__)

_NAME_MAX_LENGTH = Member._meta.get_field("name").max_length
_EMAIL_MAX_LENGTH = Member._meta.get_field("email").max_length


@dataclass(frozen=True)
class InitialMembership:
    id: int
    name: str
    email: str | None


def initial_memberships_parse(raw: list) -> list[InitialMembership]:
    """Validate INITIAL_MEMBERSHIPS entries; raise ValueError naming the bad entry."""
    return [
        initial_membership_parse(entry, f"INITIAL_MEMBERSHIPS[{index}]") for index, entry in enumerate(raw)
    ]


def initial_membership_parse(entry: object, where: str) -> InitialMembership:
    """One {id, name, email} entry; a ValueError names it by `where`."""
    if not isinstance(entry, dict):
        raise ValueError(f"{where} must be an object with id, name and email")
    member_id, name, email = entry.get("id"), entry.get("name"), entry.get("email")
    if isinstance(member_id, bool) or not isinstance(member_id, int) or member_id < 0:
        raise ValueError(f"{where}.id must be a non-negative integer")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}.name must be a non-empty string")
    if email is not None:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValueError(f"{where}.email is not a valid address") from exc
    return InitialMembership(id=member_id, name=name.strip(), email=email)


# Members per upsert statement when seeding: lists of any length are written in bounded chunks.
SEED_CHUNK_SIZE = 1000


def members_upsert_initial(*, memberships: Iterable[InitialMembership]) -> list[Member]:
    """Create or update the operator's memberships; their emails count as verified."""
    with transaction.atomic():
        return list(members_upsert_initial_stream(memberships=memberships))


def members_upsert_initial_stream(*, memberships: Iterable[InitialMembership]) -> Iterator[Member]:
    """members_upsert_initial for lists of any length: one statement per chunk, each member
    yielded once its chunk is written. Run it inside one transaction to store all or nothing
    (seedmembers does)."""
    iterator = iter(memberships)
    while chunk := list(islice(iterator, SEED_CHUNK_SIZE)):
        # A list repeating an id: the last entry wins, as it did when each was upserted in turn.
        latest = {membership.id: membership for membership in chunk}
        Member.objects.bulk_create(
            [Member(id=m.id, name=m.name, email=m.email, unverified_email=None) for m in latest.values()],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["name", "email", "unverified_email"],
        )
        for membership in chunk:
            yield Member(id=membership.id, name=membership.name, email=membership.email)


def member_sign_in(*, member_id: int, signature: str, timestamp: int) -> str:
    """An auth token for whoever proves control of the membership's controller account.

    The membership does not have to be registered here: the token of an unregistered
    member is simply not accepted by protected operations.
    """
    _require_controller_signature(member_id=member_id, signature=signature, timestamp=timestamp)
    return auth_token_issue(member_id=member_id)


def member_sign_up(
    *,
    member_id: int,
    name: str,
    email: str | None,
    signature: str,
    timestamp: int,
    link_base: str | None = None,
) -> str:
    """Register a membership, send its email a verification link, return an auth token."""
    name = (name or "").strip()
    if not name or len(name) > _NAME_MAX_LENGTH:
        raise errors.invalid_name()
    email = _clean_email(email) if email is not None else None
    _require_controller_signature(member_id=member_id, signature=signature, timestamp=timestamp)
    if email:
        _verification_email_limits_spend(member_id=member_id, email=email)
    try:
        with transaction.atomic():
            if Member.objects.filter(pk=member_id).exists():
                raise errors.member_already_exists()
            member = Member.objects.create(id=member_id, name=name, unverified_email=email)
            if email:
                verification_email_request(
                    member=member, email=email, link_base=link_base or settings.PIONEER_URL
                )
    except IntegrityError as exc:  # a concurrent sign-up of the same membership won
        raise errors.member_already_exists() from exc
    return auth_token_issue(member_id=member.id)


def member_verify_email(*, token: str) -> Member:
    """Move the address a verification token was issued for into `email`.

    Only the latest requested address can be confirmed: once it is verified, or replaced
    by another one, every earlier link for it stops working.
    """
    try:
        member_id, email = email_verification_token_read(token=token)
    except TokenError as exc:
        raise errors.invalid_verification_token() from exc
    with transaction.atomic():
        member = Member.objects.select_for_update().filter(pk=member_id).first()
        if member is None or member.unverified_email != email:
            raise errors.invalid_verification_token()
        member.email = email
        member.unverified_email = None
        # The link was opened from this mailbox: it receives mail, whatever bounced before.
        lifted = member_email_suppression_clear(member=member, now=timezone.now())
        member.save(update_fields=["email", "unverified_email", *lifted, "updated_at"])
    return member


def member_update(
    *,
    member: Member,
    email: str | None = None,
    receive_emails: bool | None = None,
    email_frequency: str | None = None,
    link_base: str | None = None,
) -> Member:
    """Change only the given fields; a new address waits for its verification link."""
    new_email = _clean_email(email) if email is not None else None
    if email_frequency is not None and email_frequency not in EmailFrequency.values:
        raise invalid_input(f"emailFrequency must be one of {', '.join(EmailFrequency.values)}")
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        fields = []
        if receive_emails is not None:
            member.receive_emails = receive_emails
            fields.append("receive_emails")
        frequency_changed = email_frequency is not None and email_frequency != member.email_frequency
        if frequency_changed:
            member.email_frequency = email_frequency
            fields.append("email_frequency")
        send_verification = False
        if new_email is not None:
            # Going back to the verified address needs no proof; anything else does.
            member.unverified_email = None if new_email == member.email else new_email
            send_verification = member.unverified_email is not None
            fields.append("unverified_email")
        if send_verification:
            _verification_email_limits_spend(member_id=member.id, email=new_email)
        if fields:
            member.save(update_fields=[*fields, "updated_at"])
        if frequency_changed:
            notifications_release_for_frequency(member=member)
        if send_verification:
            verification_email_request(
                member=member, email=new_email, link_base=link_base or settings.PIONEER_URL
            )
        elif new_email is not None:
            verification_emails_supersede(member_id=member.id)  # back to the verified address
    return member


def verification_link_base(*, referer: str | None) -> str:
    """Where the verification link points: the Pioneer the member used, else PIONEER_URL.

    The Referer is client-controlled: it is taken only when its origin is PIONEER_URL's or
    one of CORS_ALLOWED_ORIGINS, so nobody can have a link to their own site sent from our
    address (an empty CORS_ALLOWED_ORIGINS trusts no other origin).
    """
    if not referer:
        return settings.PIONEER_URL
    try:
        parts = urlsplit(referer.strip())
    except ValueError:
        return settings.PIONEER_URL
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return settings.PIONEER_URL
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    pioneer = urlsplit(settings.PIONEER_URL)
    trusted = {f"{pioneer.scheme}://{pioneer.netloc}".lower()}
    trusted.update(allowed.rstrip("/").lower() for allowed in settings.CORS_ALLOWED_ORIGINS)
    if origin not in trusted:
        return settings.PIONEER_URL
    # Query and fragment would break the link's own fragment route.
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")).rstrip("/")


def _require_controller_signature(*, member_id: int, signature: str, timestamp: int) -> None:
    # Cheap checks first: a stale request never reaches the query node.
    if member_id < 0 or not timestamp_is_fresh(timestamp=timestamp):
        raise errors.invalid_signature()
    try:
        controller_account = membership_controller_account(member_id)
    except QueryNodeError as exc:
        logger.warning("Query node failed during sign-in of member %s: %s", member_id, exc)
        raise errors.query_node_unavailable() from exc
    if controller_account is None:
        raise errors.invalid_signature()
    message = signed_message(member_id=member_id, timestamp=timestamp)
    if not signature_is_valid(address=controller_account, message=message, signature=signature):
        raise errors.invalid_signature()


def _clean_email(email: str) -> str:
    email = email.strip()
    if len(email) > _EMAIL_MAX_LENGTH:
        raise errors.invalid_email()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise errors.invalid_email() from exc
    return email


def _verification_email_limits_spend(*, member_id: int, email: str) -> None:
    """RATE_LIMITED past RATE_LIMIT_VERIFICATION_EMAILS_PER_MEMBER or _PER_ADDRESS: our sender
    must not become a way to flood an inbox, whoever asks."""
    rate_limits_spend(
        Spend(
            group="verification-email-member",
            rate=settings.RATE_LIMIT_VERIFICATION_EMAILS_PER_MEMBER,
            key=str(member_id),
        ),
        Spend(
            group="verification-email-address",
            rate=settings.RATE_LIMIT_VERIFICATION_EMAILS_PER_ADDRESS,
            key=email.lower(),
        ),
    )
