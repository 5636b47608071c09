"""Celery task of the ingest (scheduled by beat, see qn_ingest/schedule.py)."""

from __future__ import annotations

import logging
from dataclasses import asdict

from celery import shared_task

from qn_ingest.client import QueryNodeError
from qn_ingest.services import ingest_run

logger = logging.getLogger(__name__)


@shared_task(name="qn_ingest.tasks.ingest")
def ingest() -> dict:
    """One ingest run. A query-node failure is logged, not retried here: the next scheduled
    run starts again from the unmoved cursor."""
    try:
        return asdict(ingest_run())
    except QueryNodeError as exc:
        logger.warning("Ingest failed, the cursor did not move: %s", exc)
        return {"ran": False, "reason": str(exc)}
