"""What one ingest run knows of the chain: the current block (the head), the wall-clock time of
that block, and the stage durations of the runtime in force.

With CHAIN_RPC_URL set, both come from the node: three requests at most (the head, the runtime
version, and the metadata only for a specVersion not seen before). Unset, the durations come from
the vendored metadata and the head is estimated from the newest event the query node indexed, at
6 seconds per block. A node that cannot be read gives no view: one warning, and the run makes no
reminders (its other notifications are not affected).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from qn_ingest.chain.client import ChainClient, ChainUnavailable
from qn_ingest.chain.constants import MetadataError, RuntimeConstants, constants_decode, vendored_runtime
from qn_ingest.models import RuntimeVersionConstants

logger = logging.getLogger(__name__)

BLOCK_SECONDS = 6


@dataclass(frozen=True)
class ChainView:
    head: int
    now: datetime  # the time of the head block
    constants: RuntimeConstants
    estimated: bool = False  # the head was estimated (no CHAIN_RPC_URL)

    def time_of(self, block: int) -> datetime:
        return self.now + timedelta(seconds=(block - self.head) * BLOCK_SECONDS)


def runtime_constants(spec_version: int, metadata_hex: Callable[[], str]) -> RuntimeConstants:
    """The durations of runtime `spec_version`: stored ones, else decoded from its metadata (read
    only then) and stored. Raises MetadataError (and whatever `metadata_hex` raises)."""
    stored = RuntimeVersionConstants.objects.filter(spec_version=spec_version).first()
    if stored is not None:
        try:
            return RuntimeConstants.from_json(spec_version, stored.constants)
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.warning(
                "Stored constants of specVersion %d are unreadable; reading them again", spec_version
            )
    constants = constants_decode(spec_version, metadata_hex())
    RuntimeVersionConstants.objects.update_or_create(
        spec_version=spec_version, defaults={"constants": constants.to_json()}
    )
    return constants


def _from_node(url: str) -> ChainView:
    client = ChainClient(url, timeout_seconds=settings.CHAIN_RPC_TIMEOUT_SECONDS)
    try:
        head = client.head()
        constants = runtime_constants(client.spec_version(), client.metadata_hex)
    finally:
        client.close()
    return ChainView(head=head, now=timezone.now(), constants=constants)


def _estimated(newest_event: Callable[[], tuple[int, datetime] | None]) -> ChainView | None:
    newest = newest_event()
    if newest is None:
        return None  # nothing indexed yet: no stage to remind of either
    block, at = newest
    now = timezone.now()
    head = block + max(0, int((now - at).total_seconds() // BLOCK_SECONDS))
    spec_version, metadata = vendored_runtime()
    constants = runtime_constants(spec_version, lambda: metadata)
    return ChainView(head=head, now=now, constants=constants, estimated=True)


def chain_view(newest_event: Callable[[], tuple[int, datetime] | None]) -> tuple[ChainView | None, str]:
    """(the view, "") or (None, why there is none). `newest_event` gives the (block, time) of the
    newest indexed event; it is called only when CHAIN_RPC_URL is unset."""
    url = settings.CHAIN_RPC_URL
    if not url:
        return _estimated(newest_event), ""
    try:
        return _from_node(url), ""
    except (ChainUnavailable, MetadataError) as exc:
        reason = f"no deadline reminders this run: the chain node could not be read ({exc})"
        logger.warning("%s", reason)
        return None, reason
