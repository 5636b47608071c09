"""The bounds of one delivery pass of `notify`: a time budget, and a circuit breaker that stops
the pass after EMAIL_CIRCUIT_BREAKER_FAILURES connection failures in a row.

A hung or unreachable provider costs each email its full timeout; without these a pass over a
backlog would take (emails x timeout) and spend an attempt of every email on a known outage.
What the pass leaves stays PENDING, untouched, for the next run.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings

from notifications.sending import EmailSendError


class DeliveryPassGuard:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._deadline = clock() + settings.EMAIL_DELIVERY_PASS_BUDGET_SECONDS
        self._limit = settings.EMAIL_CIRCUIT_BREAKER_FAILURES
        self._connection_failures = 0
        self._last_error = ""

    def send_failed(self, error: EmailSendError) -> None:
        """Called with every failed send of the pass."""
        if error.connection:
            self._connection_failures += 1
            self._last_error = str(error)
        else:  # the provider answered: it is up
            self._connection_failures = 0

    def sent(self) -> None:
        self._connection_failures = 0

    def stop_reason(self) -> str | None:
        """Why the pass must stop before its next email, in one line, or None to go on."""
        if self._limit > 0 and self._connection_failures >= self._limit:
            return (
                f"stopped after {self._connection_failures} connection failures in a row (the email "
                f"provider looks unreachable; the rest stay PENDING): {self._last_error[:200]}"
            )
        if self._clock() > self._deadline:
            return (
                f"stopped after its time budget of {settings.EMAIL_DELIVERY_PASS_BUDGET_SECONDS:g} s "
                "(EMAIL_DELIVERY_PASS_BUDGET_SECONDS); the rest stay PENDING"
            )
        return None
