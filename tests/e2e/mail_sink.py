"""An SMTP server in its own process that keeps every accepted message as a file.

    python -m tests.e2e.mail_sink --port 2525 --dir /tmp/mail [--hold 1.0]

Each accepted message becomes `<dir>/<n>.eml` (written to a temporary name, then renamed,
so a reader never sees half a message). `--hold` (or the number in `<dir>/hold_seconds`,
read for each message) delays the final "250 accepted" answer: while a message is held,
`<dir>/holding/<n>` exists, and if the client disappears during the hold (a killed
worker) the message is dropped, as a real server drops a transaction that never completed.
That lets a test kill a worker in the middle of a delivery.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import sys
import threading
from pathlib import Path

from aiosmtpd.controller import Controller


class FileSink:
    def __init__(self, directory: Path, hold: float):
        self.directory = directory
        self.hold = hold
        self.holding = directory / "holding"
        self.holding.mkdir(parents=True, exist_ok=True)
        self.numbers = itertools.count(1)

    def hold_seconds(self) -> float:
        """A test changes the hold while the sink runs by writing <dir>/hold_seconds."""
        try:
            return float((self.directory / "hold_seconds").read_text())
        except (FileNotFoundError, ValueError):
            return self.hold

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        number = next(self.numbers)
        marker = self.holding / str(number)
        marker.touch()
        try:
            # aiosmtpd cancels this coroutine when the client's connection is lost.
            await asyncio.sleep(self.hold_seconds())
        finally:
            marker.unlink(missing_ok=True)
        temporary = self.directory / f".{number}.tmp"
        temporary.write_bytes(envelope.original_content or envelope.content)
        os.replace(temporary, self.directory / f"{number:05d}.eml")
        return "250 Message accepted for delivery"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.mail_sink")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--hold", type=float, default=0.0, help="seconds before accepting each message")
    args = parser.parse_args(argv)

    controller = Controller(FileSink(args.dir, args.hold), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"mail sink: smtp://127.0.0.1:{args.port} -> {args.dir}", flush=True)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
