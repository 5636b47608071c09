"""A fake proposal's current state, derived from its events as the real query node stores it
(mixed into store.Proposal; schema in schema_reminders.graphql): its status, the block the status
was set at, whether it is final, and its type (`details`). The deadline reminders read these.

    proposal = create_proposal(data, creator=alice)      # Deciding since its creation block
    proposal.details_type = "FundingRequestProposalDetails"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The statuses a proposal can still leave (the real node's isFinalized is false for them).
OPEN_STATUSES = {"ProposalStatusDeciding", "ProposalStatusGracing", "ProposalStatusDormant"}
_STATUS_FIELDS = ("newStatus", "decisionStatus", "executionStatus")


@dataclass(eq=False)
class UnionValue:
    """A value of the ProposalStatus or ProposalDetails union, as the reminders read it: its type.
    (store.py imports this module, so it cannot use proposals.ProposalStatus.)"""

    typename: str


class ProposalState:
    id: str
    store: Any
    # The query node's name of the proposal's type (a member of the ProposalDetails union).
    details_type: str = "SignalProposalDetails"

    def _own_events(self) -> list:
        return sorted(
            (e for e in self.store.events if getattr(e, "proposalId", None) == self.id),
            key=lambda e: (e.inBlock, e.indexInBlock),
        )

    def _last_status(self) -> tuple[str, int]:
        """(status type, block it was set at): the latest status event, else Deciding since creation."""
        status, block = "ProposalStatusDeciding", 0
        for event in self._own_events():
            if event.typename == "ProposalCreatedEvent":
                status, block = "ProposalStatusDeciding", event.inBlock
            elif event.typename == "ProposalCancelledEvent":
                status, block = "ProposalStatusCancelled", event.inBlock
            else:
                value = next(
                    (getattr(event, name) for name in _STATUS_FIELDS if getattr(event, name, None)), None
                )
                if value is not None:
                    status, block = value.typename, event.inBlock
        return status, block

    @property
    def status(self) -> UnionValue:
        return UnionValue(self._last_status()[0])

    @property
    def statusSetAtBlock(self) -> int:  # noqa: N802 - GraphQL field name
        return self._last_status()[1]

    @property
    def isFinalized(self) -> bool:  # noqa: N802
        return self._last_status()[0] not in OPEN_STATUSES

    @property
    def details(self) -> UnionValue:
        return UnionValue(self.details_type)
