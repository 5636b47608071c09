"""Working-group events (docs/kinds/working-groups.md): one event class for the ten query-node
types, its normalizer, its candidates and its display data, registered in the central tables
(normalize.NORMALIZERS, candidates.CANDIDATE_BUILDERS, planning.DISPLAY_DATA_BUILDERS).

Everything comes from the NotifyEvents page itself (qn_ingest/queries.py); who holds a role in
a group comes from the run's Roles (the active workers, read once per run).

A lead hired through an opening is one action that the chain emits as two events in one block,
`LeaderSetEvent` then `OpeningFilledEvent`: the first carries the notification and the fill
continues it (qn_ingest/actions.py; docs/kinds/working-groups.md, "A lead hire").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from notifications.pioneer_format import group_name, group_url_param, joy
from qn_ingest.actions import first_event_of_the_action
from qn_ingest.events import Author, BaseEvent, Roles
from qn_ingest.mentions import markdown_plain_text
from subscriptions.kinds import Entity, Role, kinds_for_event_type
from subscriptions.resolution import Candidate, EntityCandidate, GeneralCandidate

WORKING_GROUP_EVENT_TYPES = (
    "OpeningAddedEvent",
    "AppliedOnOpeningEvent",
    "OpeningFilledEvent",
    "BudgetUpdatedEvent",
    "BudgetSetEvent",
    "BudgetSpendingEvent",
    "LeaderSetEvent",
    "LeaderUnsetEvent",
    "WorkerStartedLeavingEvent",
    "WorkerExitedEvent",
)


@dataclass(frozen=True)
class Opening:
    id: str
    title: str


@dataclass(frozen=True, kw_only=True)
class WorkingGroupEvent(BaseEvent):
    """Something that happened in one working group; which parts are set depends on the type."""

    typename: str
    group_id: str
    opening: Opening | None = None
    applicant: Author | None = None
    hired: tuple[Author, ...] = ()
    lead: Author | None = None  # the new lead (LeaderSet) or the one who stopped (LeaderUnset)
    worker: Author | None = None  # the worker who is leaving or left
    budget_change: int | None = None
    new_budget: int | None = None
    spent: int | None = None
    receiver: str = ""
    rationale: str = ""
    # A lead hired through an opening: set on both events of the hire (LeaderSet and the fill),
    # so that whichever of them reaches a member says so.
    hired_as_lead: bool = False

    @property
    def event_type(self) -> str:  # type: ignore[override]  # one class for ten query-node types
        return self.typename

    @property
    def actor_ids(self) -> frozenset[int]:
        """The members the event is about are never notified of it (they know): the applicant,
        the hired, the new or former lead, the leaving worker."""
        people = (self.applicant, *self.hired, self.lead, self.worker)
        return frozenset(person.id for person in people if person is not None)


# --- normalizing ---------------------------------------------------------------------------------
def _member(member: Any) -> Author | None:
    """A Worker's or Application's member (`membership`/`applicant` {id handle}), None if absent."""
    if not isinstance(member, dict):
        return None
    return Author(id=int(member["id"]), handle=str(member.get("handle") or ""))


def _worker_member(worker: Any) -> Author | None:
    return _member(worker.get("membership")) if isinstance(worker, dict) else None


def _amount(value: Any) -> int | None:
    """A BigInt (the query node sends it as a decimal string)."""
    return None if value is None else int(value)


def _opening(node: dict[str, Any] | None) -> Opening | None:
    opening = (node or {}).get("opening")
    if not isinstance(opening, dict):
        return None
    metadata = opening.get("metadata") or {}
    return Opening(id=str(opening["id"]), title=str(metadata.get("title") or ""))


def _in_block(node: dict[str, Any], events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [event for event in events if int(event["inBlock"]) == int(node["inBlock"])]


def _lead_hire(node: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """(the other events of `node`'s lead hire in its block, the fill that names the opening).
    A LeaderSetEvent's lead was hired by the worker's `entry` fill when it is in the same block;
    a fill hired a lead when a hired worker's LeaderSetEvent is in its block. The list is empty
    when the event is no lead hire: a normal hire, a lead set without a fill in its block (its
    lead was hired earlier), any other type."""
    typename = node["__typename"]
    if typename == "LeaderSetEvent":
        entry = (node.get("newLead") or {}).get("entry")
        fills = _in_block(node, [entry] if isinstance(entry, dict) else [])
        return fills, (fills[0] if fills else None)
    if typename == "OpeningFilledEvent":
        lead_sets = [
            lead_set
            for worker in node.get("workersHired") or ()
            for lead_set in (worker or {}).get("leaderseteventworker") or ()
        ]
        return _in_block(node, lead_sets), node
    return [], None


def working_group_normalize(
    node: dict[str, Any], base: dict[str, Any], reader: object, earlier: object
) -> WorkingGroupEvent:
    application = node.get("application")
    same_action, fill = _lead_hire(node)
    return WorkingGroupEvent(
        **base,
        continues_event_id=first_event_of_the_action(node, same_action) if same_action else None,
        hired_as_lead=bool(same_action),
        typename=str(node["__typename"]),
        group_id=str(node["groupId"]),
        opening=_opening(fill or node),
        applicant=_member(application.get("applicant")) if isinstance(application, dict) else None,
        hired=tuple(filter(None, (_worker_member(worker) for worker in node.get("workersHired") or ()))),
        # LeaderSetEvent's `worker` is read as `newLead` (it is nullable there, not elsewhere).
        lead=_worker_member(node.get("newLead") or node.get("leader")),
        worker=_worker_member(node.get("worker")),
        budget_change=_amount(node.get("budgetChangeAmount")),
        new_budget=_amount(node.get("newBudget")),
        spent=_amount(node.get("amount")),
        receiver=str(node.get("reciever") or ""),  # sic: the query node's spelling
        rationale=str(node.get("rationale") or ""),
    )


# --- candidates ----------------------------------------------------------------------------------
def working_group_candidates(event: WorkingGroupEvent, roles: Roles) -> list[Candidate]:
    """Those who hold a role in the group (active workers, its lead included), then whoever
    watches or muted the group."""
    workers = frozenset(worker.member_id for worker in roles.workers if worker.group_id == event.group_id)
    kinds = kinds_for_event_type(event.event_type)
    return [
        *(GeneralCandidate(kind.name, workers) for kind in kinds if kind.role == Role.GROUP_WORKER),
        *(
            EntityCandidate(kind.name, event.group_id)
            for kind in kinds
            if kind.entity == Entity.WORKING_GROUP
        ),
    ]


# --- display data --------------------------------------------------------------------------------
def _person(person: Author) -> dict:
    return {"id": int(person.id), "handle": str(person.handle)}


def _lead_hire_note(event: WorkingGroupEvent) -> str:
    """The sentence both events of a lead hire show, so either one tells the whole action."""
    lead = event.lead or (event.hired[0] if event.hired else None)
    who = lead.handle if lead and lead.handle else "A member"
    through = f" through the opening “{event.opening.title}”" if event.opening and event.opening.title else ""
    return f"{who} was hired as the lead of {group_name(event.group_id)}{through}."


def working_group_data(event: WorkingGroupEvent) -> dict:
    data: dict[str, Any] = {
        "group": {
            "id": event.group_id,
            "name": group_name(event.group_id),
            "param": group_url_param(event.group_id),
        }
    }
    if event.hired_as_lead:
        data["note"] = {"text": _lead_hire_note(event)}
    if event.opening:
        data["opening"] = {"id": event.opening.id, "title": event.opening.title}
    if event.applicant:
        data["applicant"] = _person(event.applicant)
    if event.hired:
        data["hired"] = {"handles": ", ".join(person.handle for person in event.hired if person.handle)}
    if event.lead:
        data["lead"] = _person(event.lead)
    if event.worker:
        data["worker"] = _person(event.worker)
    budget = {}
    if event.budget_change is not None:
        budget["change"] = joy(event.budget_change, signed=True)
    if event.new_budget is not None:
        budget["new"] = joy(event.new_budget)
    if budget:
        data["budget"] = budget
    if event.spent is not None:
        data["spending"] = {"amount": joy(event.spent), "receiver": event.receiver}
    if event.rationale:
        data["rationale"] = {"text": markdown_plain_text(event.rationale)}
    return data
