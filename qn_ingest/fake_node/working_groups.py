"""Working groups in the fake query node: openings, applications, hires, leads, leaving and
exiting workers, budgets. Each action appends its query-node event, shaped like the real
schema (schema_working_groups.graphql); amounts are BigInt, sent as decimal strings like the real node.

    chain = WorkingGroupChain(node.data)
    opening = chain.opening("forumWorkingGroup", title="Forum moderator")
    application = chain.apply(opening, member=alice)
    (worker,) = chain.fill(opening, [application])
    (lead,) = chain.fill(lead_opening, [lead_application], lead=True)  # LeaderSet + fill, one block
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qn_ingest.fake_node.store import Entity, Event, Membership, QueryNodeData, Worker, _id, block_time


@dataclass(eq=False)
class WorkingGroupOpeningMetadata(Entity):
    title: str | None = None
    shortDescription: str | None = None


@dataclass(eq=False)
class WorkingGroupOpening(Entity):
    runtimeId: int
    groupId: str
    metadata: WorkingGroupOpeningMetadata

    @property
    def metadataId(self) -> str:
        return self.metadata.id


@dataclass(eq=False)
class WorkingGroupApplication(Entity):
    runtimeId: int
    opening: WorkingGroupOpening
    applicantId: str

    @property
    def openingId(self) -> str:
        return self.opening.id

    @property
    def applicant(self) -> Membership:
        return self.store.members[self.applicantId]


@dataclass(eq=False)
class WorkingGroupEvent(Event):
    """An event of one group; the fields its query-node type has are set, the others stay None."""

    groupId: str = ""
    opening: WorkingGroupOpening | None = None
    application: WorkingGroupApplication | None = None
    workersHired: list[Worker] = field(default_factory=list)
    worker: Worker | None = None
    leader: Worker | None = None
    budgetChangeAmount: str | None = None
    newBudget: str | None = None
    reciever: str | None = None  # sic: the real schema's spelling
    amount: str | None = None
    rationale: str | None = None

    @property
    def openingId(self) -> str | None:
        return self.opening.id if self.opening else None

    @property
    def applicationId(self) -> str | None:
        return self.application.id if self.application else None

    @property
    def workerId(self) -> str | None:
        return self.worker.id if self.worker else None

    @property
    def leaderId(self) -> str | None:
        return self.leader.id if self.leader else None


class WorkingGroupChain:
    """The working-group actions of the chain, on one fake query node's data."""

    def __init__(self, data: QueryNodeData):
        self.data = data

    def _event(self, typename: str, group_id: str, block: int | None, **fields: Any) -> WorkingGroupEvent:
        with self.data.lock:
            block, index = self.data._position(block)
            event = WorkingGroupEvent(
                store=self.data,
                id=f"{block}-{index}",
                createdAt=block_time(block, index),
                typename=typename,
                inBlock=block,
                indexInBlock=index,
                groupId=group_id,
                **fields,
            )
            self.data.events.append(event)
            return event

    def _count(self, typename: str, group_id: str) -> int:
        return sum(
            1 for e in self.data.events if e.typename == typename and getattr(e, "groupId", "") == group_id
        )

    def opening(self, group_id: str, *, title: str | None = "An opening", block: int | None = None):
        """A new opening and its OpeningAddedEvent (title None: metadata that could not be read)."""
        with self.data.lock:
            runtime_id = self._count("OpeningAddedEvent", group_id)
            opening_id = f"{group_id}-{runtime_id}"
            metadata = WorkingGroupOpeningMetadata(
                store=self.data,
                id=f"{opening_id}-metadata",
                createdAt=block_time(self.data.head),
                title=title,
            )
            opening = WorkingGroupOpening(
                store=self.data,
                id=opening_id,
                createdAt=block_time(self.data.head),
                runtimeId=runtime_id,
                groupId=group_id,
                metadata=metadata,
            )
            self._event("OpeningAddedEvent", group_id, block, opening=opening)
            return opening

    def apply(self, opening: WorkingGroupOpening, *, member: Any, block: int | None = None):
        with self.data.lock:
            runtime_id = self._count("AppliedOnOpeningEvent", opening.groupId)
            application = WorkingGroupApplication(
                store=self.data,
                id=f"{opening.groupId}-{runtime_id}",
                createdAt=block_time(self.data.head),
                runtimeId=runtime_id,
                opening=opening,
                applicantId=_id(member),
            )
            self._event(
                "AppliedOnOpeningEvent", opening.groupId, block, opening=opening, application=application
            )
            return application

    def fill(
        self,
        opening: WorkingGroupOpening,
        applications: list,
        *,
        lead: bool = False,
        block: int | None = None,
    ) -> list[Worker]:
        """Hire the applicants: active workers of the group, and the OpeningFilledEvent. A lead
        opening (`lead`, one application) is filled as the chain does it: the LeaderSetEvent, then
        the OpeningFilledEvent, in one block."""
        if lead and len(applications) != 1:
            raise ValueError("a lead opening hires exactly one applicant")
        with self.data.lock:
            hired = [
                self.data.worker(member=application.applicantId, group_id=opening.groupId, is_lead=lead)
                for application in applications
            ]
            if lead:
                block = self._event("LeaderSetEvent", opening.groupId, block, worker=hired[0]).inBlock
            filled = self._event(
                "OpeningFilledEvent", opening.groupId, block, opening=opening, workersHired=hired
            )
            for worker in hired:
                worker.entry = filled
            return hired

    def budget_updated(self, group_id: str, change: int, *, block: int | None = None) -> WorkingGroupEvent:
        return self._event("BudgetUpdatedEvent", group_id, block, budgetChangeAmount=str(change))

    def budget_set(self, group_id: str, budget: int, *, block: int | None = None) -> WorkingGroupEvent:
        return self._event("BudgetSetEvent", group_id, block, newBudget=str(budget))

    def spend(
        self,
        group_id: str,
        amount: int,
        *,
        receiver: str,
        rationale: str | None = None,
        block: int | None = None,
    ) -> WorkingGroupEvent:
        return self._event(
            "BudgetSpendingEvent", group_id, block, amount=str(amount), reciever=receiver, rationale=rationale
        )

    def set_lead(self, worker: Worker, *, block: int | None = None) -> WorkingGroupEvent:
        """A LeaderSetEvent on its own (no fill in its block), for a worker hired earlier."""
        if worker.entry is None:
            # The real node's Worker.entry is non-null: every worker was hired by a fill.
            raise ValueError("set_lead needs a worker hired with fill()")
        worker.isLead = True
        return self._event("LeaderSetEvent", worker.groupId, block, worker=worker)

    def unset_lead(self, worker: Worker, *, block: int | None = None) -> WorkingGroupEvent:
        worker.isLead = False
        return self._event("LeaderUnsetEvent", worker.groupId, block, leader=worker)

    def start_leaving(
        self, worker: Worker, *, rationale: str | None = None, block: int | None = None
    ) -> WorkingGroupEvent:
        """A leaving worker stays active (still holds the role) until it exits."""
        return self._event(
            "WorkerStartedLeavingEvent", worker.groupId, block, worker=worker, rationale=rationale
        )

    def exit(self, worker: Worker, *, block: int | None = None) -> WorkingGroupEvent:
        worker.isActive = False
        worker.isLead = False
        return self._event("WorkerExitedEvent", worker.groupId, block, worker=worker)
