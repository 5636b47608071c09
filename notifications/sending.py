"""The one way an email leaves this service: send, classify the failure, decide on a retry.

Verification emails (members.tasks) and notification emails (notifications.delivery) both go
through here, so a refused recipient fails at once and a greylisting answer or a dropped
connection is tried again after the same spaced, jittered delay, whichever email it is.
"""

from __future__ import annotations

import random
import smtplib
import socket

from anymail.exceptions import (
    AnymailAPIError,
    AnymailInvalidAddress,
    AnymailRecipientsRefused,
    AnymailSerializationError,
)
from django.conf import settings
from django.core.mail import EmailMessage

EMAIL_ERROR_MAX_LENGTH = 2000
# The longest wait a Celery worker holds itself (an ETA task waits inside the worker,
# unacknowledged, and must come back before the broker's visibility timeout in
# pioneer/settings.py). Longer waits (EMAIL_RETRY_BACKOFF_MAX_SECONDS may be raised above
# it) are left to the sweeper, which finds the row once its next_attempt_at is due.
RETRY_ETA_MAX_SECONDS = 3600


class EmailSendError(Exception):
    """A failed send, classified: transient ones are worth another attempt, permanent ones are
    final. `connection` marks a provider that could not be reached or did not answer at all
    (refused, timed out, DNS, TLS): the next email would most likely fail the same way."""

    def __init__(self, message: str, *, transient: bool, connection: bool = False):
        super().__init__(message)
        self.transient = transient
        self.connection = connection


def email_send(message: EmailMessage) -> None:
    """Hand one message to the configured provider (Anymail ESP, SMTP, console or files).

    Raises EmailSendError for every failure, whatever the provider raised.
    """
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # every failure is classified, none escapes unexplained
        raise email_failure_classify(exc) from exc


def _smtp_code_is_temporary(code) -> bool:
    return isinstance(code, int) and 400 <= code < 500


def email_failure_classify(exc: Exception) -> EmailSendError:
    """Which failures are worth another attempt (RFC 5321 4yz, HTTP 5xx/429, network)."""
    try:
        description = f"{type(exc).__name__}: {exc}"[:EMAIL_ERROR_MAX_LENGTH]
    except Exception:  # an exception whose str() fails must still be recorded
        description = type(exc).__name__
    if isinstance(exc, AnymailRecipientsRefused | AnymailInvalidAddress | AnymailSerializationError):
        return EmailSendError(description, transient=False)
    if isinstance(exc, AnymailAPIError):
        status = exc.status_code
        # No status means the request never got an answer (connection error, timeout).
        transient = status is None or status == 429 or status >= 500
        return EmailSendError(description, transient=transient, connection=status is None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        # Greylisting and full mailboxes answer 4xx: those are worth another try.
        codes = [code for code, _ in exc.recipients.values()]
        transient = bool(codes) and all(map(_smtp_code_is_temporary, codes))
        return EmailSendError(description, transient=transient)
    if isinstance(exc, smtplib.SMTPResponseException):
        return EmailSendError(description, transient=_smtp_code_is_temporary(exc.smtp_code))
    if isinstance(exc, smtplib.SMTPServerDisconnected | OSError | socket.timeout | TimeoutError):
        # Disconnects, refused connections, DNS and TLS errors, timeouts.
        return EmailSendError(description, transient=True, connection=True)
    if isinstance(exc, smtplib.SMTPException):
        return EmailSendError(description, transient=True)
    # Anything unexpected (a bug, a misconfigured backend) spends the retries with backoff and
    # ends failed with the reason recorded, rather than being retried for ever or lost at once.
    return EmailSendError(description, transient=True)


def email_retry_backoff(retry_number: int) -> float:
    """Seconds before retry number `retry_number` (1 for the first): EMAIL_RETRY_BACKOFF_SECONDS,
    doubling up to EMAIL_RETRY_BACKOFF_MAX_SECONDS, with "equal jitter" (half fixed, half
    random) so that a burst of failures (a provider outage) does not come back as a burst of
    retries."""
    base = settings.EMAIL_RETRY_BACKOFF_SECONDS * 2 ** max(retry_number - 1, 0)
    ceiling = min(base, max(settings.EMAIL_RETRY_BACKOFF_MAX_SECONDS, settings.EMAIL_RETRY_BACKOFF_SECONDS))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def email_retry_delay(error: EmailSendError, *, retries_so_far: int) -> float | None:
    """Seconds until the next attempt after `error`, or None when there is none: the failure
    is permanent, or EMAIL_MAX_RETRY_COUNT retries were already spent."""
    if not error.transient or retries_so_far >= settings.EMAIL_MAX_RETRY_COUNT:
        return None
    return email_retry_backoff(retries_so_far + 1)
