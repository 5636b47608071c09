"""The thread that makes a delivery batch's provider calls, one email at a time.

While the provider handles email k (an SMTP conversation, an HTTP request to an ESP), the
batch's own thread prepares email k+1 (its links, its render, its MIME bytes): that CPU no
longer adds to the time between two sends. It only overlaps: the batch waits for k's result
and stores k's outcome before it hands k+1 over, so a crash still repeats at most the one
email in flight (notifications.delivery). One call is in flight at most.

The thread never touches the database (Django's connections, and the tests' transactions,
are per thread): it gets a connection and a prepared email, and gives back what the call
returned or raised, which `wait` raises again in the batch's thread, where it is handled as
it was when the call was made there. The thread lives as long as the batch: `close` (on every
way out of the `with` block) lets a call in flight end (each is bounded by the provider's
timeout) and joins the thread.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor


class DeliverySender:
    def __init__(self, call: Callable[..., None]):
        self._call = call
        self._executor: ThreadPoolExecutor | None = None
        self._in_flight: Future | None = None

    def __enter__(self) -> DeliverySender:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def hand(self, *args) -> None:
        """Start `call(*args)` in the sender thread (made on the first call)."""
        if self._in_flight is not None:
            raise RuntimeError("a delivery sender makes one provider call at a time")
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="delivery-sender")
        self._in_flight = self._executor.submit(self._call, *args)

    def wait(self) -> None:
        """Until the call handed over last has ended; what it raised is raised here."""
        in_flight, self._in_flight = self._in_flight, None
        if in_flight is None:
            raise RuntimeError("no provider call was handed over")
        in_flight.result()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        self._in_flight = None
