"""Celery tasks of the members app: thin wrappers that take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from members.models import VerificationEmail
from members.verification_emails import (
    VERIFICATION_EMAIL_TASK,
    verification_email_deliver,
    verification_email_from_earlier_release,
)
from notifications.delivery import DeliveryOutcome
from notifications.dispatch import retry_schedule


@shared_task(name=VERIFICATION_EMAIL_TASK, acks_late=True)
def send_verification_email(verification_id: int | None = None, **earlier_release) -> str:
    """One attempt for one stored verification email; a transient failure queues the retry for
    its next_attempt_at (members.verification_emails).

    A task queued by a release before verification emails were stored carries the member, the
    address and the link instead (`earlier_release`): it becomes a stored request, so an
    upgrade with such tasks in the queue loses none of them."""
    if verification_id is None:
        return verification_email_from_earlier_release(**earlier_release)
    outcome = verification_email_deliver(verification_id=verification_id)
    if outcome == DeliveryOutcome.RETRYING:
        retry_schedule(
            VerificationEmail.objects.filter(id=verification_id),
            lambda due: send_verification_email.apply_async((verification_id,), eta=due),
        )
    return outcome.value
