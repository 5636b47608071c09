"""The service processes of an end-to-end test: start, kill, stop, and prove none is left.

Each process gets its own session (process group), so stopping one also stops whatever it
forked (gunicorn workers, Celery's children), and its output goes to a log file whose tail
is shown when a test fails.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass
class ServiceProcess:
    name: str
    popen: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def group_alive(pgid: int) -> bool:
    """Whether any process of the group still exists (zombies of our own children aside)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ProcessSet:
    """Every process a test started; `stop_all` at teardown is also the leak check."""

    def __init__(self, log_dir: Path, env: dict[str, str]):
        self.log_dir = log_dir
        self.env = env
        self.processes: list[ServiceProcess] = []

    def start(self, name: str, argv: list[str], *, env: dict[str, str] | None = None, stdin=None):
        log_path = self.log_dir / f"{name}-{len(self.processes)}.log"
        log = log_path.open("w")
        popen = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdin=stdin if stdin is not None else subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        process = ServiceProcess(name, popen, log_path)
        self.processes.append(process)
        return process

    def kill(self, process: ServiceProcess) -> None:
        """SIGKILL the whole group at once: what a crash or the OOM killer does."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.popen.wait(timeout=10)

    def stop(self, process: ServiceProcess, *, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        """Ask the process to stop; return its exit code. SIGKILL only if it ignores us."""
        if process.running():
            os.killpg(process.pid, sig)
            try:
                process.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill(process)
                raise AssertionError(f"{process.name} did not stop within {timeout}s of {sig!r}") from None
        return process.popen.returncode

    def stop_all(self) -> list[str]:
        """Stop everything still running, newest first; return the names of process groups
        that were still alive after their leader exited (leaked children), killing them."""
        for process in reversed(self.processes):
            if process.running():
                try:
                    self.stop(process)
                except AssertionError:
                    pass
        leaked = []
        deadline = time.monotonic() + 5
        for process in self.processes:
            while group_alive(process.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if group_alive(process.pid):
                leaked.append(process.name)
                os.killpg(process.pid, signal.SIGKILL)
        return leaked

    def describe(self) -> str:
        """Everyone's state and log tail, for a failing test's message."""
        parts = []
        for process in self.processes:
            state = "running" if process.running() else f"exited {process.popen.returncode}"
            parts.append(f"--- {process.name} (pid {process.pid}, {state}) ---\n{process.log_tail()}")
        return "\n".join(parts)
