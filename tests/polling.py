"""Waiting for something another process does: poll with a deadline, never sleep blindly."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeadlineExceeded(AssertionError):
    pass


def wait_until(check: Callable[[], T], *, timeout: float, what: str, interval: float = 0.2) -> T:
    """Call `check` until it returns something truthy and return that; fail after `timeout`
    seconds with `what` and the last value seen (or the last exception raised)."""
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            last = check()
        except Exception as exc:  # the other process is not ready yet: try again
            last = exc
        else:
            if last:
                return last
        if time.monotonic() >= deadline:
            raise DeadlineExceeded(f"{what}: not within {timeout:g}s (last seen: {last!r})")
        time.sleep(interval)
