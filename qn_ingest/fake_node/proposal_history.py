"""A fake proposal's event lists, as the real schema relates them to the proposal (mixed into
store.Proposal; the events themselves are built by qn_ingest/fake_node/proposals.py)."""

from __future__ import annotations

from typing import Any


class ProposalHistory:
    id: str
    store: Any

    def _events(self, typename: str) -> list:
        return [
            e
            for e in self.store.events
            if e.typename == typename and getattr(e, "proposalId", None) == self.id
        ]

    @property
    def proposalStatusUpdates(self) -> list:  # noqa: N802 - GraphQL field name
        return self._events("ProposalStatusUpdatedEvent")

    @property
    def votes(self) -> list:
        return self._events("ProposalVotedEvent")

    @property
    def proposaldecisionmadeeventproposal(self) -> list:
        return self._events("ProposalDecisionMadeEvent")

    @property
    def proposalcancelledeventproposal(self) -> list:
        return self._events("ProposalCancelledEvent")

    @property
    def proposalexecutedeventproposal(self) -> list:
        return self._events("ProposalExecutedEvent")
