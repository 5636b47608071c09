"""Stand-ins for an ESP's servers (the one thing tests may fake): Anymail's test backend,
made to fail or to pause on demand."""

from __future__ import annotations

import threading
import time
from http import HTTPStatus
from typing import ClassVar

import requests
from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.exceptions import AnymailRequestsAPIError


class ScriptedBackend(AnymailTestBackend):
    """Each send takes the next step of `script`: an exception is raised (as the ESP's API
    would answer), None is a normal accepted send. An empty script accepts everything."""

    script: ClassVar[list[Exception | None]] = []
    calls: ClassVar[int] = 0
    call_times: ClassVar[list[float]] = []  # time.monotonic() of each call

    def post_to_esp(self, payload, message):
        ScriptedBackend.calls += 1
        ScriptedBackend.call_times.append(time.monotonic())
        if ScriptedBackend.script:
            step = ScriptedBackend.script.pop(0)
            if step is not None:
                raise step
        return super().post_to_esp(payload, message)


class PausingBackend(AnymailTestBackend):
    """Blocks inside the provider call until released, to hold a delivery mid-send."""

    entered: ClassVar[threading.Event] = threading.Event()
    release: ClassVar[threading.Event] = threading.Event()

    def post_to_esp(self, payload, message):
        PausingBackend.entered.set()
        if not PausingBackend.release.wait(timeout=20):
            raise TimeoutError("test never released the pausing backend")
        return super().post_to_esp(payload, message)


def esp_api_error(status: int, body: str = '{"message": "scripted answer"}') -> AnymailRequestsAPIError:
    """The error Anymail raises when the ESP's HTTP API answers `status`."""
    response = requests.Response()
    response.status_code = status
    response.reason = HTTPStatus(status).phrase
    response._content = body.encode()
    return AnymailRequestsAPIError(f"ESP API response {status}", status_code=status, response=response)
