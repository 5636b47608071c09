"""The reminder pass of an ingest run: the last day before a governance deadline
(docs/kinds/reminders.md).

After the run's events, the pass reads the chain once (qn_ingest.chain.view: the head and the
runtime's stage durations) and the query node a constant number of times (qn_ingest.reminder_state),
finds the stages whose reminder window is open — from REMINDER_LEAD_HOURS before the stage ends
until it ends — and turns each into notification drafts through the same resolution as the
events (switches, mutes, receiveEmails). The ingest stores them like a page: bulk insert, with
(member, eventId) unique, so a reminder reaches a member once however many runs see its window.

A reminder's eventId is synthetic and stable, one per deadline:
    reminder:proposal-voting:<proposal id>:<block its deciding stage started>
    reminder:election-<announcing|voting|revealing>:<block the stage started>
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from notifications.models import EmailStatus
from qn_ingest.chain.view import BLOCK_SECONDS, ChainView, chain_view
from qn_ingest.council_planning import vote_account_data
from qn_ingest.council_voters import unrevealed_vote_accounts
from qn_ingest.events import ElectionStage
from qn_ingest.fetch import QueryNodeReader
from qn_ingest.planning import NotificationDraft
from qn_ingest.reminder_state import (
    candidate_ids_since,
    deciding_proposals,
    election_stage_now,
    newest_event,
    voter_ids_between,
)
from subscriptions.kinds import KINDS_BY_NAME, Deadline, Role, kinds_for_deadline
from subscriptions.resolution import (
    ANY,
    Candidate,
    EntityCandidate,
    EventCandidates,
    GeneralCandidate,
    recipients_for_events,
)

logger = logging.getLogger(__name__)

_ELECTION_DEADLINES = {
    ElectionStage.ANNOUNCING: Deadline.ELECTION_ANNOUNCING,
    ElectionStage.VOTING: Deadline.ELECTION_VOTING,
    ElectionStage.REVEALING: Deadline.ELECTION_REVEALING,
}


@dataclass(frozen=True)
class Reminder:
    """One stage end whose reminder window is open."""

    deadline: Deadline
    event_id: str
    entity_id: str
    end_block: int
    parts: dict  # display data of what ends (the proposal, the election stage)
    candidates: list[Candidate] = field(default_factory=list)  # beside the deadline's EVERYONE kinds
    # Members who already did what the reminder asks (voted, announced): never reminded.
    acted_ids: frozenset[int] = frozenset()
    # What concerns one member only (the accounts they still have to reveal from).
    member_parts: dict[int, dict] = field(default_factory=dict)


@dataclass(frozen=True)
class ReminderPlan:
    drafts: list[NotificationDraft]
    reason: str = ""  # why there are no reminders this run (the chain could not be read)


def lead_blocks() -> int:
    return int(settings.REMINDER_LEAD_HOURS * 3600 // BLOCK_SECONDS)


def window_open(end_block: int, head: int, lead: int) -> bool:
    """From `lead` blocks before the stage ends until it ends; never after."""
    return end_block - lead <= head < end_block


def _time_left(blocks: int) -> str:
    hours = blocks * BLOCK_SECONDS // 3600
    if hours < 1:
        return "less than an hour"
    return "1 hour" if hours == 1 else f"{hours} hours"


def proposal_reminders(reader: QueryNodeReader, chain: ChainView, lead: int) -> list[Reminder]:
    reminders = []
    council: frozenset[int] | None = None  # read only when a window is open
    for proposal in deciding_proposals(reader):
        period = chain.constants.voting_periods.get(proposal.details_type)
        if period is None:
            logger.warning(
                "No voting period known for proposal %s of type %s; no reminder for it",
                proposal.id,
                proposal.details_type,
            )
            continue
        end = proposal.deciding_since + period
        if not window_open(end, chain.head, lead):
            continue
        if council is None:
            council = reader.roles().council_member_ids
        reminders.append(
            Reminder(
                deadline=Deadline.PROPOSAL_VOTING,
                event_id=f"reminder:proposal-voting:{proposal.id}:{proposal.deciding_since}",
                entity_id=proposal.id,
                end_block=end,
                parts={"proposal": {"id": proposal.id, "title": proposal.title}},
                candidates=[
                    GeneralCandidate("PROPOSAL_VOTE_LAST_DAY_COUNCILLOR", council - proposal.voter_ids),
                    # Muting the proposal's status silences its reminders; watching it brings none.
                    EntityCandidate("PROPOSAL_ENTITY_STATUS", proposal.id, notifies=False),
                ],
                acted_ids=proposal.voter_ids,
            )
        )
    return reminders


def election_reminders(reader: QueryNodeReader, chain: ChainView, lead: int) -> list[Reminder]:
    now = election_stage_now(reader)
    if now is None:
        return []
    duration = {
        ElectionStage.ANNOUNCING: chain.constants.announcing_period,
        ElectionStage.VOTING: chain.constants.vote_stage,
        ElectionStage.REVEALING: chain.constants.reveal_stage,
    }[now.stage]
    end = now.started_at + duration
    if not window_open(end, chain.head, lead):
        return []
    candidates: list[Candidate] = []
    acted: frozenset[int] = frozenset()
    member_parts: dict[int, dict] = {}
    if now.stage == ElectionStage.ANNOUNCING:
        acted = candidate_ids_since(reader, now.started_at)
    elif now.stage == ElectionStage.VOTING:
        acted = voter_ids_between(reader, now.started_at, chain.head)
    else:
        unrevealed = unrevealed_vote_accounts(reader, now.started_at)
        candidates = [GeneralCandidate("ELECTION_REVEALING_LAST_DAY_VOTER", frozenset(unrevealed))]
        # Each account must reveal its own vote: the reminder names those still to reveal.
        member_parts = {
            member_id: {"accounts": [vote_account_data(account) for account in accounts]}
            for member_id, accounts in unrevealed.items()
        }
    event_id = f"reminder:election-{now.stage.lower()}:{now.started_at}"
    return [
        Reminder(
            deadline=_ELECTION_DEADLINES[now.stage],
            event_id=event_id,
            entity_id=event_id,
            end_block=end,
            parts={"election": {"stage": str(now.stage), "cycle_id": None}},
            candidates=candidates,
            acted_ids=acted,
            member_parts=member_parts,
        )
    ]


def _candidates(reminder: Reminder) -> list[Candidate]:
    everyone = [
        GeneralCandidate(kind.name, ANY)
        for kind in kinds_for_deadline(reminder.deadline)
        if kind.role == Role.EVERYONE
    ]
    return sorted([*reminder.candidates, *everyone], key=lambda c: KINDS_BY_NAME[c.kind].role)


def _display_data(reminder: Reminder, chain: ChainView) -> dict:
    deadline = {
        "block": reminder.end_block,
        "time": chain.time_of(reminder.end_block).strftime("%Y-%m-%d %H:%M UTC"),
        "left": _time_left(reminder.end_block - chain.head),
    }
    return {"event_type": reminder.deadline.value, **reminder.parts, "deadline": deadline}


def _member_data(data: dict, reminder: Reminder, member_id: int) -> dict:
    """The reminder's data, plus what concerns this member only; shared when there is nothing."""
    own = reminder.member_parts.get(member_id)
    return {**data, **own} if own else data


def reminder_drafts(reminders: list[Reminder], chain: ChainView) -> list[NotificationDraft]:
    """The reminders' notifications: at most one per (member, reminder)."""
    events = [EventCandidates(r.event_id, None, _candidates(r), r.acted_ids) for r in reminders]
    by_id = {reminder.event_id: reminder for reminder in reminders}
    data = {reminder.event_id: _display_data(reminder, chain) for reminder in reminders}
    return [
        NotificationDraft(
            member_id=recipient.member_id,
            kind=recipient.kind,
            event_id=recipient.event_id,
            entity_id=by_id[recipient.event_id].entity_id,
            in_block=chain.head,
            email_status=EmailStatus.PENDING.value if recipient.send_email else EmailStatus.IGNORED.value,
            in_app=recipient.in_app,
            data=_member_data(data[recipient.event_id], by_id[recipient.event_id], recipient.member_id),
        )
        for recipient in recipients_for_events(events=events)
    ]


# The passes, each over the query node's current state.
REMINDER_PASSES: tuple[Callable[[QueryNodeReader, ChainView, int], list[Reminder]], ...] = (
    proposal_reminders,
    election_reminders,
)


def reminders_plan(reader: QueryNodeReader) -> ReminderPlan:
    """The drafts of every reminder whose window is open now. Raises QueryNodeError when the
    query node cannot be read; a chain node that cannot be read only leaves the plan empty."""
    chain, reason = chain_view(lambda: newest_event(reader))
    if chain is None:
        return ReminderPlan(drafts=[], reason=reason)
    lead = lead_blocks()
    reminders = [
        reminder for reminder_pass in REMINDER_PASSES for reminder in reminder_pass(reader, chain, lead)
    ]
    return ReminderPlan(drafts=reminder_drafts(reminders, chain) if reminders else [])
