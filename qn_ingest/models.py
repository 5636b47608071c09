from django.db import models


class IngestCursor(models.Model):
    """Where the ingest stopped: the last fully processed block and the events already
    processed in that block. A single row (pk=1), moved in the same transaction as the
    notifications it produced."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    block = models.PositiveBigIntegerField(default=0)
    event_ids = models.JSONField(default=list, blank=True, help_text="Events of `block` already processed")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ingest cursor"

    def __str__(self) -> str:
        return f"block {self.block} (+{len(self.event_ids)} events)"
