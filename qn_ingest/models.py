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


class RuntimeVersionConstants(models.Model):
    """The stage durations of one Joystream runtime version, read once from its metadata
    (decoding a runtime's metadata takes seconds): the deadline reminders read them from here
    until the chain reports another specVersion (docs/kinds/reminders.md)."""

    spec_version = models.PositiveIntegerField(primary_key=True, help_text="The runtime's specVersion")
    constants = models.JSONField(
        help_text="Durations in blocks: announcing_period, vote_stage, reveal_stage and "
        "voting_periods (per ProposalDetails type)"
    )
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "runtime version constants"
        verbose_name_plural = "runtime version constants"

    def __str__(self) -> str:
        return f"specVersion {self.spec_version}"
