"""The table of notification kinds: everything about a kind, declared once.

Each `Kind` row says what it is called and labelled, whether it is on by default, whether
it watches one entity, which query-node event types produce it, the role that ranks it
among an event's candidates, and what its notification says (message, subject, email
paragraph) and where it leads (its `Family`). Model choices, the GraphQL enums (in table
order), the ingest's event filter, candidate priority, presentation, samples, `mockemail`
and the admin preview are all derived from `KINDS`. docs/adding-a-kind.md is the recipe.

Messages, subjects, crumbs, facts and links are `str.format` templates over the flat
display fields of a notification's stored data (notifications.presentation.display_fields):
each part of the data gives `<part>` (its title, handle or name), `<part>_id` and
`<part>_<key>`, and the author's handle is also `{who}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from django.db import models

from subscriptions.kind_families import (
    COUNCIL,
    ELECTION,
    ELECTION_CANDIDACY,
    FORUM_POST,
    FORUM_THREAD,
    PROPOSAL,
    PROPOSAL_COUNCIL,
    PROPOSAL_DISCUSSION,
    PROPOSAL_VOTE,
    WG_OPENING,
    WORKING_GROUP,
    Family,
)

ENTITY_ID_MAX_LENGTH = 128


class Role(IntEnum):
    """Why an event concerns a member, strongest first: of the candidates of one event that a
    member wants, the strongest role wins (docs/matching-rules.md, "Which candidate reaches a member").
    Candidates of the same role keep the order their builder gave them (a category chain is
    nearest first)."""

    MENTIONED = 10
    REPLIED_TO = 20
    COUNCILLOR = 25  # sits on the council that must decide (a call to act beats news about it)
    CREATOR = 30  # started the thread, created the proposal
    CONTRIBUTOR = 40  # posted earlier in the same thread or discussion
    PARTICIPANT = 45  # took part in what the event concludes: elected in it, voted in it
    GROUP_WORKER = 47  # holds a role (worker or lead) in the event's working group
    WATCHER = 50  # watches the thread, proposal or working group itself
    CATEGORY_WATCHER = 60  # watches the category, or one of its parents
    EVERYONE = 90  # every registered member who opted in: needs no candidate builder


class Entity(StrEnum):
    """What an entity kind watches (its subscriptions' entityId is the id of one of these)."""

    THREAD = "thread"
    CATEGORY = "category"
    PROPOSAL = "proposal"
    WORKING_GROUP = "working_group"


class Deadline(StrEnum):
    """The end of a governance stage that a reminder kind warns of (docs/kinds/reminders.md).
    Reminders are not query-node events: the value stands for an event type in their stored data."""

    PROPOSAL_VOTING = "ProposalVotingEnds"
    ELECTION_ANNOUNCING = "AnnouncingPeriodEnds"
    ELECTION_VOTING = "VotingPeriodEnds"
    ELECTION_REVEALING = "RevealingStageEnds"


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # what the member is choosing, in the API's enum descriptions and the admin
    family: Family
    event_types: tuple[str, ...]  # the query-node event types that can produce it
    role: Role
    message: str  # one line: the in-app feed entry and the email's heading
    default_on: bool = False
    entity: Entity | None = None  # set for entity kinds (watch / mute one entity), None for general
    subject: str = ""  # the email's subject when it differs from `message`
    detail: str = ""  # a paragraph in the email under the heading
    # (event type, message) pairs for a kind produced by several event types that should say
    # what happened (e.g. a watched working group); `message` is the fallback.
    event_messages: tuple[tuple[str, str], ...] = ()
    # Emailed at once even to members on a daily or weekly digest: it is only useful now
    # (e.g. "reveal your vote now"); a digest never holds it.
    immediate: bool = False
    # One line under the label on the preferences page; empty: `summary` derives one.
    description: str = ""
    # Reminder kinds only (their `event_types` are empty): the stage end they warn of. The
    # ingest's reminder pass makes them (qn_ingest/reminders.py).
    deadline: Deadline | None = None

    @property
    def is_entity(self) -> bool:
        return self.entity is not None

    def message_for(self, event_type: object) -> str:
        return dict(self.event_messages).get(event_type, self.message)  # type: ignore[arg-type]

    @property
    def summary(self) -> str:
        """The kind's one-line description: its own, else one its role implies (so a row need
        not set it), else its label."""
        return self.description or ROLE_SUMMARIES.get(self.role, self.label)


# What a kind of each role means to the member who turns it on, when its row says nothing more.
ROLE_SUMMARIES: dict[Role, str] = {
    Role.MENTIONED: "When someone mentions you by your handle.",
    Role.REPLIED_TO: "When someone replies directly to one of your posts.",
    Role.COUNCILLOR: "When the council you sit on has to act.",
    Role.CREATOR: "Activity on something you created.",
    Role.CONTRIBUTOR: "Activity where you took part before.",
    Role.PARTICIPANT: "About something you took part in, such as an election you stood or voted in.",
    Role.GROUP_WORKER: "Activity in a working group where you hold a role.",
    Role.WATCHER: "Activity on something you watch.",
    Role.CATEGORY_WATCHER: "Activity in a category you watch.",
    Role.EVERYONE: "Everything of this kind, whoever it concerns.",
}


_POST = ("PostAddedEvent",)
_THREAD = ("ThreadCreatedEvent",)
_DISCUSSION = ("ProposalDiscussionPostCreatedEvent",)
# A proposal's status changes: a council decision, an intermediate status (Deciding / Gracing /
# Dormant), an execution, a cancellation (docs/kinds/proposals.md: one action, one notification).
_PROPOSAL_STATUS = (
    "ProposalStatusUpdatedEvent",
    "ProposalDecisionMadeEvent",
    "ProposalExecutedEvent",
    "ProposalCancelledEvent",
)
_VOTE = ("ProposalVotedEvent",)
# A new announcing period: the regular start of an election, or the restart after a failed round.
_ANNOUNCING = ("AnnouncingPeriodStartedEvent", "NotEnoughCandidatesEvent", "NewCouncilNotElectedEvent")
_WG_OPENING = ("OpeningAddedEvent",)
_WG_APPLICATION = ("AppliedOnOpeningEvent",)
_WG_FILLED = ("OpeningFilledEvent",)
_WG_BUDGET_UPDATED = ("BudgetUpdatedEvent",)
_WG_BUDGET_SET = ("BudgetSetEvent",)
_WG_SPENDING = ("BudgetSpendingEvent",)
_WG_LEAD_SET = ("LeaderSetEvent",)
_WG_LEAD_UNSET = ("LeaderUnsetEvent",)
_WG_LEAVING = ("WorkerStartedLeavingEvent",)
_WG_EXITED = ("WorkerExitedEvent",)
# What a watched working group's notification says, per event type.
_WG_WATCHED_MESSAGES = (
    ("OpeningAddedEvent", "New opening in {group}, a group you watch: {opening}"),
    ("AppliedOnOpeningEvent", "{applicant} applied to {opening} in {group}, a group you watch"),
    ("OpeningFilledEvent", "{group}, a group you watch, hired {hired_handles}"),
    ("BudgetUpdatedEvent", "The budget of {group}, a group you watch, changed by {budget_change}"),
    ("BudgetSetEvent", "The budget of {group}, a group you watch, was set to {budget_new}"),
    ("BudgetSpendingEvent", "{group}, a group you watch, spent {spending_amount}"),
    ("LeaderSetEvent", "{group}, a group you watch, has a new lead: {lead}"),
    ("LeaderUnsetEvent", "{lead} is no longer the lead of {group}, a group you watch"),
    ("WorkerStartedLeavingEvent", "{worker} started leaving {group}, a group you watch"),
    ("WorkerExitedEvent", "{worker} left {group}, a group you watch"),
)

KINDS: tuple[Kind, ...] = (
    # The GraphQL enums list the kinds in table order: a new kind goes at the end of the table.
    Kind("FORUM_POST_ALL", "Every new forum post", FORUM_POST, _POST, Role.EVERYONE,
         "{who} posted in {thread}", description="Every post in every forum thread: a busy stream."),
    Kind("FORUM_POST_MENTION", "Mentions in forum posts", FORUM_POST, _POST, Role.MENTIONED,
         "{who} mentioned you in {thread}", default_on=True),
    Kind("FORUM_POST_REPLY", "Replies to my forum posts", FORUM_POST, _POST, Role.REPLIED_TO,
         "{who} replied to your post in {thread}", default_on=True),
    Kind("FORUM_THREAD_CREATOR", "Posts in threads I created", FORUM_POST, _POST, Role.CREATOR,
         "{who} posted in your thread {thread}", default_on=True),
    Kind("FORUM_THREAD_CONTRIBUTOR", "Posts in threads I posted in", FORUM_POST, _POST, Role.CONTRIBUTOR,
         "{who} posted in {thread}, a thread you posted in", default_on=True),
    Kind("FORUM_THREAD_ALL", "Every new forum thread", FORUM_THREAD, _THREAD, Role.EVERYONE,
         "{who} started a new thread: {thread}", description="Each new thread, in any forum category."),
    Kind("FORUM_THREAD_MENTION", "Mentions in new forum threads", FORUM_THREAD, _THREAD, Role.MENTIONED,
         "{who} mentioned you in a new thread: {thread}", default_on=True),
    Kind("PROPOSAL_DISCUSSION_MENTION", "Mentions in proposal discussions", PROPOSAL_DISCUSSION,
         _DISCUSSION, Role.MENTIONED, "{who} mentioned you in the discussion of {proposal}", default_on=True),
    Kind("PROPOSAL_DISCUSSION_REPLY", "Replies to my proposal discussion posts", PROPOSAL_DISCUSSION,
         _DISCUSSION, Role.REPLIED_TO, "{who} replied to your post on {proposal}", default_on=True),
    Kind("PROPOSAL_DISCUSSION_CREATOR", "Discussion of proposals I created", PROPOSAL_DISCUSSION,
         _DISCUSSION, Role.CREATOR, "{who} commented on your proposal {proposal}", default_on=True),
    Kind("PROPOSAL_DISCUSSION_CONTRIBUTOR", "Discussion of proposals I posted in", PROPOSAL_DISCUSSION,
         _DISCUSSION, Role.CONTRIBUTOR, "{who} commented on {proposal}, a proposal you discussed",
         default_on=True),
    Kind("PROPOSAL_DISCUSSION_ALL", "Every proposal discussion post", PROPOSAL_DISCUSSION, _DISCUSSION,
         Role.EVERYONE, "{who} commented on {proposal}",
         description="Every comment in the discussion of any proposal."),
    Kind("ELECTION_ANNOUNCING_STARTED", "Election: announcing period started", ELECTION,
         _ANNOUNCING, Role.EVERYONE,
         "The council election announcing period has started", default_on=True,
         description="When members can start announcing their candidacy for the next council.",
         subject="Council election: the announcing period has started",
         detail="A new council election has begun. Members can now announce their candidacy for the "
         "next council; if you want to stand, announce before the period ends."),
    Kind("ELECTION_VOTING_STARTED", "Election: voting period started", ELECTION,
         ("VotingPeriodStartedEvent",), Role.EVERYONE,
         "The council election voting period has started", default_on=True,
         description="When voting for the next council opens.",
         subject="Council election: the voting period has started",
         detail="Voting is open. Cast your vote for the candidates you want to see on the next council."),
    Kind("ELECTION_REVEALING_STARTED", "Election: revealing period started", ELECTION,
         ("RevealingStageStartedEvent",), Role.EVERYONE,
         "The council election revealing period has started", default_on=True,
         description="When voters must reveal their votes for them to count.",
         subject="Council election: the revealing period has started",
         detail="Voting has closed and the revealing period has started. If you voted, reveal your "
         "vote now so that it counts."),
    # Entity kinds: a member watches (or mutes) one thread, category or proposal.
    Kind("FORUM_THREAD_ENTITY_POST", "New posts in a thread", FORUM_POST, _POST, Role.WATCHER,
         "{who} posted in {thread}, a thread you watch", entity=Entity.THREAD),
    Kind("FORUM_CATEGORY_ENTITY_POST", "New posts in a category", FORUM_POST, _POST, Role.CATEGORY_WATCHER,
         "{who} posted in {thread} in {category}, a category you watch", entity=Entity.CATEGORY),
    Kind("FORUM_CATEGORY_ENTITY_THREAD", "New threads in a category", FORUM_THREAD, _THREAD,
         Role.CATEGORY_WATCHER, "{who} started {thread} in {category}, a category you watch",
         entity=Entity.CATEGORY),
    Kind("PROPOSAL_ENTITY_DISCUSSION", "New posts in a proposal discussion", PROPOSAL_DISCUSSION, _DISCUSSION,
         Role.WATCHER, "{who} commented on {proposal}, a proposal you watch", entity=Entity.PROPOSAL),
    # Proposals (issue 11; rules in docs/kinds/proposals.md).
    Kind("PROPOSAL_CREATED_ALL", "Every new proposal", PROPOSAL, ("ProposalCreatedEvent",), Role.EVERYONE,
         "{who} created a proposal: {proposal}"),
    Kind("PROPOSAL_STATUS_CREATOR", "Status changes of proposals I created", PROPOSAL, _PROPOSAL_STATUS,
         Role.CREATOR, "Your proposal {proposal} {status_outcome}", default_on=True),
    Kind("PROPOSAL_STATUS_ALL", "Status changes of every proposal", PROPOSAL, _PROPOSAL_STATUS,
         Role.EVERYONE, "Proposal {proposal} {status_outcome}"),
    Kind("PROPOSAL_VOTE_CREATOR", "Votes on proposals I created", PROPOSAL_VOTE, _VOTE, Role.CREATOR,
         "{who} voted {vote} on your proposal {proposal}", default_on=True),
    Kind("PROPOSAL_VOTE_ALL", "Votes on every proposal", PROPOSAL_VOTE, _VOTE, Role.EVERYONE,
         "{who} voted {vote} on {proposal}"),
    Kind("PROPOSAL_DECIDING_COUNCIL", "Proposals waiting for my council vote", PROPOSAL_COUNCIL,
         ("ProposalCreatedEvent", "ProposalStatusUpdatedEvent"), Role.COUNCILLOR,
         "A proposal needs your vote: {proposal}", default_on=True, immediate=True,
         detail="As a member of the council you decide on {proposal}, which is now {status}. Read it, "
         "join its discussion and cast your vote before its voting period ends."),
    Kind("PROPOSAL_ENTITY_STATUS", "Status changes of a proposal", PROPOSAL, _PROPOSAL_STATUS, Role.WATCHER,
         "{proposal}, a proposal you watch, {status_outcome}", entity=Entity.PROPOSAL),
    Kind("PROPOSAL_ENTITY_VOTE", "Votes on a proposal", PROPOSAL_VOTE, _VOTE, Role.WATCHER,
         "{who} voted {vote} on {proposal}, a proposal you watch", entity=Entity.PROPOSAL),
    # Council and elections (docs/kinds/council.md).
    Kind("ELECTION_COUNCIL_ELECTED", "Election: a new council was elected", COUNCIL,
         ("NewCouncilElectedEvent",), Role.EVERYONE, "A new council has been elected", default_on=True,
         subject="Council election: a new council has been elected",
         detail="The election is over. These members now sit on the council:"),
    Kind("ELECTION_COUNCIL_ELECTED_ME", "Election: I was elected to the council", COUNCIL,
         ("NewCouncilElectedEvent",), Role.PARTICIPANT, "You were elected to the council", default_on=True,
         subject="Congratulations: you were elected to the council",
         detail="The election is over and you won a seat. The new council:"),
    Kind("ELECTION_REVEALING_VOTER", "Election: reveal the vote I cast", ELECTION,
         ("RevealingStageStartedEvent",), Role.PARTICIPANT,
         "Reveal your vote from {accounts} now: the revealing period has started", default_on=True,
         immediate=True,
         subject="Council election: reveal your vote now",
         detail="You voted in this election. Voting has closed and the revealing period has started: "
         "reveal your vote before it ends, from each account that cast one, or it will not count."),
    Kind("ELECTION_CANDIDATE_ALL", "Election: candidacies announced or withdrawn", ELECTION_CANDIDACY,
         ("NewCandidateEvent", "CandidacyWithdrawEvent"), Role.EVERYONE,
         "{who} {candidacy_change} for the council"),
    # Working groups: per event, the opt-in kind for everyone, then the kind for those who hold a
    # role in the event's group (on by default); then the watched group.
    Kind("WG_OPENING_ALL", "Every new working group opening", WG_OPENING, _WG_OPENING, Role.EVERYONE,
         "New opening in {group}: {opening}"),
    Kind("WG_OPENING_WORKER", "New openings in my working groups", WG_OPENING, _WG_OPENING,
         Role.GROUP_WORKER, "New opening in your group {group}: {opening}", default_on=True),
    Kind("WG_APPLICATION_ALL", "Every application to a working group opening", WG_OPENING, _WG_APPLICATION,
         Role.EVERYONE, "{applicant} applied to {opening} in {group}"),
    Kind("WG_APPLICATION_WORKER", "Applications to openings of my working groups", WG_OPENING,
         _WG_APPLICATION, Role.GROUP_WORKER, "{applicant} applied to {opening} in your group {group}",
         default_on=True),
    Kind("WG_NEW_WORKER_ALL", "Every hire in a working group", WORKING_GROUP, _WG_FILLED, Role.EVERYONE,
         "{group} hired {hired_handles}"),
    Kind("WG_NEW_WORKER_WORKER", "New workers in my working groups", WORKING_GROUP, _WG_FILLED,
         Role.GROUP_WORKER, "{hired_handles} joined your group {group}", default_on=True),
    Kind("WG_BUDGET_UPDATE_ALL", "Every working group budget change", WORKING_GROUP, _WG_BUDGET_UPDATED,
         Role.EVERYONE, "The budget of {group} changed by {budget_change}"),
    Kind("WG_BUDGET_UPDATE_WORKER", "Budget changes of my working groups", WORKING_GROUP, _WG_BUDGET_UPDATED,
         Role.GROUP_WORKER, "The budget of your group {group} changed by {budget_change}", default_on=True),
    Kind("WG_NEW_BUDGET_ALL", "Every new working group budget", WORKING_GROUP, _WG_BUDGET_SET, Role.EVERYONE,
         "The budget of {group} was set to {budget_new}"),
    Kind("WG_NEW_BUDGET_WORKER", "New budgets of my working groups", WORKING_GROUP, _WG_BUDGET_SET,
         Role.GROUP_WORKER, "The budget of your group {group} was set to {budget_new}", default_on=True),
    Kind("WG_SPENDING_ALL", "Every working group spending", WORKING_GROUP, _WG_SPENDING, Role.EVERYONE,
         "{group} spent {spending_amount}"),
    Kind("WG_SPENDING_WORKER", "Spending of my working groups", WORKING_GROUP, _WG_SPENDING,
         Role.GROUP_WORKER, "Your group {group} spent {spending_amount}", default_on=True),
    Kind("WG_NEW_LEAD_ALL", "Every new working group lead", WORKING_GROUP, _WG_LEAD_SET, Role.EVERYONE,
         "{group} has a new lead: {lead}"),
    Kind("WG_NEW_LEAD_WORKER", "New leads of my working groups", WORKING_GROUP, _WG_LEAD_SET,
         Role.GROUP_WORKER, "Your group {group} has a new lead: {lead}", default_on=True),
    Kind("WG_LEAD_EXIT_ALL", "Every working group lead leaving", WORKING_GROUP, _WG_LEAD_UNSET,
         Role.EVERYONE, "{lead} is no longer the lead of {group}"),
    Kind("WG_LEAD_EXIT_WORKER", "Leads leaving my working groups", WORKING_GROUP, _WG_LEAD_UNSET,
         Role.GROUP_WORKER, "{lead} is no longer the lead of your group {group}", default_on=True),
    Kind("WG_WORKER_LEAVING_ALL", "Every worker starting to leave a working group", WORKING_GROUP,
         _WG_LEAVING, Role.EVERYONE, "{worker} started leaving {group}"),
    Kind("WG_WORKER_LEAVING_WORKER", "Workers starting to leave my working groups", WORKING_GROUP,
         _WG_LEAVING, Role.GROUP_WORKER, "{worker} started leaving your group {group}", default_on=True),
    Kind("WG_WORKER_EXIT_ALL", "Every worker leaving a working group", WORKING_GROUP, _WG_EXITED,
         Role.EVERYONE, "{worker} left {group}"),
    Kind("WG_WORKER_EXIT_WORKER", "Workers leaving my working groups", WORKING_GROUP, _WG_EXITED,
         Role.GROUP_WORKER, "{worker} left your group {group}", default_on=True),
    Kind("WG_ENTITY_ALL", "Everything in a working group", WORKING_GROUP,
         tuple(event_type for event_type, _message in _WG_WATCHED_MESSAGES), Role.WATCHER,
         "New activity in {group}, a working group you watch", entity=Entity.WORKING_GROUP,
         event_messages=_WG_WATCHED_MESSAGES),
    # Deadline reminders (issue 21; docs/kinds/reminders.md): made from the chain's head and the
    # runtime's stage durations, not from a query-node event.
    Kind("PROPOSAL_VOTE_LAST_DAY_COUNCILLOR", "Last day to vote on a proposal (councillors)",
         PROPOSAL_COUNCIL, (), Role.COUNCILLOR,
         "You have {deadline_left} left to vote on {proposal}: voting ends {deadline_time}, "
         "block #{deadline_block}", default_on=True, deadline=Deadline.PROPOSAL_VOTING, immediate=True,
         description="A day before the voting period of a proposal ends, if you sit on the council "
         "and have not voted on it yet.",
         subject="Last day to vote on {proposal}",
         detail="You sit on the council and have not voted on {proposal} in this voting round. "
         "If the council does not decide before the voting period ends, the proposal expires."),
    Kind("PROPOSAL_VOTE_LAST_DAY_ALL", "Last day of voting on every proposal", PROPOSAL,
         (), Role.EVERYONE,
         "{deadline_left} left for the council to vote on {proposal}: voting ends {deadline_time}, "
         "block #{deadline_block}", deadline=Deadline.PROPOSAL_VOTING, immediate=True,
         description="A day before the council's voting period on any proposal ends.",
         subject="Last day of the council's vote on {proposal}"),
    Kind("ELECTION_ANNOUNCING_LAST_DAY", "Election: last day to announce candidacy", ELECTION,
         (), Role.EVERYONE,
         "You have {deadline_left} left to announce your candidacy for the council: the announcing "
         "period ends {deadline_time}, block #{deadline_block}", default_on=True,
         deadline=Deadline.ELECTION_ANNOUNCING, immediate=True,
         description="A day before candidacies for the next council close, unless you announced yours.",
         subject="Council election: last day to announce your candidacy",
         detail="If you want to stand for the next council, announce your candidacy before the "
         "announcing period ends."),
    Kind("ELECTION_VOTING_LAST_DAY", "Election: last day to vote", ELECTION,
         (), Role.EVERYONE,
         "You have {deadline_left} left to vote in the council election: voting ends {deadline_time}, "
         "block #{deadline_block}", default_on=True, deadline=Deadline.ELECTION_VOTING, immediate=True,
         description="A day before voting in a council election closes, unless you voted.",
         subject="Council election: last day to vote",
         detail="You have not voted in this election yet. Cast your vote for the candidates you want "
         "on the next council before the voting period ends."),
    Kind("ELECTION_REVEALING_LAST_DAY_VOTER", "Election: last day to reveal the vote I cast", ELECTION,
         (), Role.PARTICIPANT,
         "Reveal your vote from {accounts} before {deadline_time} or it will not count: "
         "{deadline_left} left, block #{deadline_block}", default_on=True,
         deadline=Deadline.ELECTION_REVEALING, immediate=True,
         description="A day before the revealing period ends, if you voted and have not revealed your vote.",
         subject="Council election: reveal your vote before the revealing period ends",
         detail="You voted in this election and have not revealed your vote yet. Reveal it from each "
         "account that cast one: a vote not revealed before the revealing period ends does not count."),
)  # fmt: skip

KINDS_BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
FAMILIES: tuple[Family, ...] = tuple(dict.fromkeys(kind.family for kind in KINDS))
# The query-node event types the ingest reads, in table order.
EVENT_TYPES: tuple[str, ...] = tuple(dict.fromkeys(t for kind in KINDS for t in kind.event_types))


def _choices(name: str, kinds) -> type[models.TextChoices]:
    return models.TextChoices(name, [(kind.name, (kind.name, kind.label)) for kind in kinds])


# Django choices (and, through subscriptions.graphql_enums, the GraphQL enums) in table order.
GeneralKind = _choices("GeneralKind", (kind for kind in KINDS if not kind.is_entity))
EntityKind = _choices("EntityKind", (kind for kind in KINDS if kind.is_entity))
NotificationKind = _choices("NotificationKind", KINDS)

DEFAULT_ON_KINDS: frozenset[str] = frozenset(kind.name for kind in KINDS if kind.default_on)
GENERAL_KINDS: frozenset[str] = frozenset(GeneralKind.values)
ENTITY_KINDS: frozenset[str] = frozenset(EntityKind.values)


def immediate_kinds() -> frozenset[str]:
    """The kinds a digest never holds (read from the table at call time)."""
    return frozenset(kind.name for kind in KINDS if kind.immediate)


def kind_get(name: str) -> Kind | None:
    return KINDS_BY_NAME.get(name)


def kinds_for_event_type(event_type: str) -> tuple[Kind, ...]:
    return tuple(kind for kind in KINDS if event_type in kind.event_types)


def kinds_for_deadline(deadline: Deadline) -> tuple[Kind, ...]:
    return tuple(kind for kind in KINDS if kind.deadline == deadline)


def is_on_by_default(kind: str) -> bool:
    return kind in DEFAULT_ON_KINDS


def is_general(kind: str) -> bool:
    return kind in GENERAL_KINDS


def is_entity(kind: str) -> bool:
    return kind in ENTITY_KINDS


class KindField(models.CharField):
    """A kind column: validated against the table, but its choices stay out of migrations, so
    that adding a kind to the table needs no migration."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("choices", NotificationKind.choices)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        if kwargs.get("max_length") == 64:
            kwargs.pop("max_length")
        return name, "subscriptions.kinds.KindField", args, kwargs
