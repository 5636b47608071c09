"""The connection to a Joystream node (CHAIN_RPC_URL), through substrate-interface: the only
place that talks to the chain. One connection per ingest run; each call is one JSON-RPC request
(no retries: a node that does not answer costs the run its reminders, nothing else)."""

from __future__ import annotations

from typing import Any

import requests
from substrateinterface import SubstrateInterface
from substrateinterface.exceptions import SubstrateRequestException
from substrateinterface.transport.http import HttpTransport
from websocket import WebSocketException

MAX_MESSAGE_LENGTH = 300


class ChainUnavailable(Exception):
    """The node could not be reached, or answered something unusable."""


class _TimeoutSession(requests.Session):
    """substrate-interface's HTTP transport sets no timeout: a node that hangs would hang the run."""

    def __init__(self, timeout: float):
        super().__init__()
        self._timeout = timeout

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self._timeout)
        return super().request(*args, **kwargs)


# What substrate-interface and its transports raise when a node is down, slow or odd.
_FAILURES = (
    OSError,  # refused, reset, socket timeout (websocket)
    requests.RequestException,  # HTTP: refused, timeout, bad answer
    SubstrateRequestException,  # a JSON-RPC error, an HTTP error status
    WebSocketException,
    ValueError,  # a body that is not JSON
)


def _one_line(text: object) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_MESSAGE_LENGTH else line[: MAX_MESSAGE_LENGTH - 1] + "…"


class ChainClient:
    def __init__(self, url: str, *, timeout_seconds: float):
        self.url = url
        try:
            # auto_discover=False: no request at construction (the type registry is not needed to
            # read a header, a version and the metadata); a websocket connects here.
            self._substrate = SubstrateInterface(
                url=url,
                auto_discover=False,
                auto_reconnect=False,
                ws_options={"timeout": timeout_seconds},
            )
        except _FAILURES as exc:
            raise ChainUnavailable(_one_line(f"cannot connect to {url}: {exc}")) from exc
        if isinstance(self._substrate.transport, HttpTransport):
            self._substrate.transport.session = _TimeoutSession(timeout_seconds)

    def _call(self, method: str, params: list | None = None) -> Any:
        try:
            answer = self._substrate.rpc_request(method, params or [])
        except _FAILURES as exc:
            raise ChainUnavailable(_one_line(f"{method} on {self.url} failed: {exc}")) from exc
        if not isinstance(answer, dict) or answer.get("result") is None:
            raise ChainUnavailable(_one_line(f"{method} on {self.url} answered no result: {answer!r}"))
        return answer["result"]

    def head(self) -> int:
        """The number of the best block."""
        header = self._call("chain_getHeader")
        try:
            return int(header["number"], 16)
        except (KeyError, TypeError, ValueError) as exc:
            raise ChainUnavailable(_one_line(f"the node's header has no block number: {header!r}")) from exc

    def spec_version(self) -> int:
        version = self._call("state_getRuntimeVersion")
        try:
            return int(version["specVersion"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ChainUnavailable(
                _one_line(f"the node's runtime version is unreadable: {version!r}")
            ) from exc

    def metadata_hex(self) -> str:
        metadata = self._call("state_getMetadata")
        if not isinstance(metadata, str) or not metadata.startswith("0x"):
            raise ChainUnavailable("the node's metadata is not a hex string")
        return metadata

    def close(self) -> None:
        try:
            self._substrate.close()
        except _FAILURES:
            pass  # closing a broken connection: nothing left to release
