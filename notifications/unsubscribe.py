"""One-click unsubscribe (RFC 8058): signed per-member tokens and what a click turns off.

The token is signed with SECRET_KEY and a salt of its own, so it can never be used as an
auth or verification token. It carries the member, the notification kind and, for entity
kinds, the entity the email was about. It does not expire: an unsubscribe link in an old
email must keep working (RFC 8058 asks for that), and all it can ever do is turn email off.

What "this kind" turns off:
- a general kind (FORUM_POST_MENTION, ...): the member's general subscription of that kind
  gets should_notify_by_email=False; should_notify (the in-app feed) stays as it was, and a
  missing row is created with the kind's default should_notify so the feed does not change.
- an entity kind (watching a thread, category or proposal): email stops for that watched
  entity only (should_notify_by_email=False on that watch, which stays a watch). Turning off
  every watch at once would surprise a member who clicked on one thread's email.
- a digest (daily or weekly): its link names the digest instead of a kind, and "this" sets
  the member's email frequency to NEVER (in-app only), as updateMember(emailFrequency) would.
"all emails" sets Member.receive_emails=False, the same switch as updateMember(receiveEmails).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.db import transaction

from members.models import DIGEST_FREQUENCIES, EmailFrequency, Member
from pioneer.signed_links import signed_token, token_link
from subscriptions.kinds import NotificationKind, is_entity, is_on_by_default
from subscriptions.models import Subscription

UNSUBSCRIBE_SALT = "pioneer.notifications.unsubscribe"


class UnsubscribeScope(StrEnum):
    KIND = "kind"
    ALL = "all"


@dataclass(frozen=True)
class UnsubscribeClaim:
    member_id: int
    kind: str | None  # None for a digest's link
    entity_id: str | None = None
    digest: str | None = None  # the frequency (DAILY, WEEKLY) of a digest's link

    @property
    def label(self) -> str:
        """What "this" stops, for the confirmation pages."""
        if self.digest is not None:
            return f"your {EmailFrequency(self.digest).name.lower()} digest"
        return NotificationKind(self.kind).label.lower()


class InvalidUnsubscribeToken(Exception):
    pass


def unsubscribe_token_issue(*, member_id: int, kind: str, entity_id: str | None = None) -> str:
    payload = {"m": member_id, "k": kind}
    if entity_id and is_entity(kind):
        payload["e"] = entity_id
    return signed_token(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def _signed_payload(token: str):
    """Links are signed with SECRET_KEY (derived from APP_SECRET_KEY); links in emails sent
    before it was derived were signed with APP_SECRET_KEY itself, and they do not expire."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT, key=settings.APP_SECRET_KEY)


def unsubscribe_token_decode(token: str) -> UnsubscribeClaim:
    try:
        payload = _signed_payload(token)
    except signing.BadSignature as exc:
        raise InvalidUnsubscribeToken("bad signature") from exc
    if not isinstance(payload, dict):
        raise InvalidUnsubscribeToken("bad payload")
    member_id, kind, entity_id = payload.get("m"), payload.get("k"), payload.get("e")
    digest = payload.get("d")
    if not isinstance(member_id, int):
        raise InvalidUnsubscribeToken("bad payload")
    if digest is not None:
        if digest not in DIGEST_FREQUENCIES:
            raise InvalidUnsubscribeToken("bad payload")
        return UnsubscribeClaim(member_id=member_id, kind=None, digest=digest)
    if kind not in NotificationKind.values:
        raise InvalidUnsubscribeToken("bad payload")
    if entity_id is not None and not isinstance(entity_id, str):
        raise InvalidUnsubscribeToken("bad payload")
    return UnsubscribeClaim(member_id=member_id, kind=kind, entity_id=entity_id)


def unsubscribe_url(*, member_id: int, kind: str, entity_id: str | None = None) -> str:
    return token_link(
        "unsubscribe", unsubscribe_token_issue(member_id=member_id, kind=kind, entity_id=entity_id)
    )


def digest_unsubscribe_url(*, member_id: int, frequency: str) -> str:
    return token_link(
        "unsubscribe", signed_token({"m": member_id, "d": frequency}, salt=UNSUBSCRIBE_SALT, compress=True)
    )


def member_unsubscribe(*, claim: UnsubscribeClaim, scope: UnsubscribeScope) -> Member:
    """Turn email off as the link's holder asked. Idempotent: a second click changes nothing."""
    with transaction.atomic():
        member = Member.objects.select_for_update().get(id=claim.member_id)
        if scope == UnsubscribeScope.ALL:
            if member.receive_emails:
                member.receive_emails = False
                member.save(update_fields=["receive_emails", "updated_at"])
            return member
        if claim.digest is not None:
            if member.email_frequency != EmailFrequency.NEVER:
                member.email_frequency = EmailFrequency.NEVER
                member.save(update_fields=["email_frequency", "updated_at"])
            return member
        if is_entity(claim.kind):
            if claim.entity_id:
                Subscription.objects.filter(member=member, kind=claim.kind, entity_id=claim.entity_id).update(
                    should_notify_by_email=False
                )
            return member
        subscription, created = Subscription.objects.get_or_create(
            member=member,
            kind=claim.kind,
            entity_id=None,
            defaults={"should_notify": is_on_by_default(claim.kind), "should_notify_by_email": False},
        )
        if not created and subscription.should_notify_by_email:
            subscription.should_notify_by_email = False
            subscription.save(update_fields=["should_notify_by_email", "updated_at"])
    return member
