"""Who wants what: from the candidates of a page of events to at most one recipient per
(member, event), with whether it shows in the feed and whether an email should go out
(docs/matching-rules.md, "Which candidate reaches a member", "Email" and "In-app and
email").

The candidate vocabulary lives here because this is where it is interpreted; the
query-node ingest builds candidates from events (qn_ingest.candidates). A whole page is
resolved with two queries, whatever the number of events, members or subscriptions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import reduce
from operator import or_
from typing import NamedTuple

from django.db.models import Q

from members.models import EmailFrequency, Member
from subscriptions.kinds import is_on_by_default
from subscriptions.models import Subscription


class AnyMember(Enum):
    """Every registered member; a singleton so `member_ids is ANY` reads naturally."""

    ANY = "ANY"


ANY = AnyMember.ANY


@dataclass(frozen=True)
class GeneralCandidate:
    kind: str
    member_ids: frozenset[int] | AnyMember


@dataclass(frozen=True)
class EntityCandidate:
    kind: str
    entity_id: str
    # False: watching the entity brings nothing through this candidate, but muting it still
    # silences the event (a reminder about a proposal the member muted).
    notifies: bool = True


Candidate = GeneralCandidate | EntityCandidate


@dataclass(frozen=True)
class EventCandidates:
    """One event's candidates in priority order, and its author (never notified of it)."""

    event_id: str
    author_id: int | None
    candidates: Sequence[Candidate]
    # Other members the event is the act of (an applicant, a leaving worker): not notified either.
    actor_ids: frozenset[int] = frozenset()


class Recipient(NamedTuple):
    """A tuple: a page makes one per notification (an election, one per member)."""

    event_id: str
    member_id: int
    kind: str
    send_email: bool
    # The watched thread, category or proposal when an entity subscription won: not always the
    # event's own entity (a watched parent category), and what an unsubscribe link must name.
    watched_entity_id: str | None = None
    in_app: bool = True  # shown in the feed (False: wanted by email only)


@dataclass(frozen=True)
class _Choice:
    should_notify: bool  # in-app for a general kind; WATCH (else MUTE) for an entity kind
    by_email: bool


# What a member gets for an on-by-default kind they never touched: in-app, and by email too.
_DEFAULT_CHOICE = _Choice(should_notify=True, by_email=True)


@dataclass
class _PageState:
    """The stored choices and members one page of events needs, loaded up front."""

    general: dict[tuple[int, str], _Choice] = field(default_factory=dict)
    subscribers: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    entity: dict[tuple[str, str], dict[int, _Choice]] = field(default_factory=lambda: defaultdict(dict))
    # member id → whether the member can receive notification email at all (verified address,
    # emails on, a frequency other than NEVER).
    members: dict[int, bool] = field(default_factory=dict)
    every_member: list[int] = field(default_factory=list)


class _Option(NamedTuple):
    """What reaches a member through one candidate."""

    kind: str
    entity_id: str | None  # None for general candidates
    in_app: bool
    by_email: bool  # wanted by email and the member can receive it


def _general_candidates(
    events: Sequence[EventCandidates],
) -> Iterable[tuple[EventCandidates, GeneralCandidate]]:
    for event in events:
        for candidate in event.candidates:
            if isinstance(candidate, GeneralCandidate):
                yield event, candidate


def _subscription_filter(events: Sequence[EventCandidates]) -> Q | None:
    """Only the subscriptions this page can use, so the query stays small on a big install."""
    any_kinds: set[str] = set()
    set_kinds: set[str] = set()
    set_members: set[int] = set()
    entities: dict[str, set[str]] = defaultdict(set)
    for event in events:
        for candidate in event.candidates:
            if isinstance(candidate, EntityCandidate):
                entities[candidate.kind].add(str(candidate.entity_id))
            elif candidate.member_ids is ANY:
                any_kinds.add(candidate.kind)
            elif candidate.member_ids:
                set_kinds.add(candidate.kind)
                set_members |= candidate.member_ids
    filters = [Q(kind=kind, entity_id__in=sorted(ids)) for kind, ids in entities.items()]
    if any_kinds:
        filters.append(Q(kind__in=sorted(any_kinds), entity_id__isnull=True))
    if set_kinds:
        filters.append(
            Q(kind__in=sorted(set_kinds), member_id__in=sorted(set_members), entity_id__isnull=True)
        )
    return reduce(or_, filters) if filters else None


def _can_email(email: str | None, receive_emails: bool, frequency: str) -> bool:
    return bool(receive_emails and email and email.strip()) and frequency != EmailFrequency.NEVER


def _load_subscriptions(state: _PageState, events: Sequence[EventCandidates]) -> None:
    condition = _subscription_filter(events)
    if condition is None:
        return
    rows = Subscription.objects.filter(condition).values_list(
        "member_id",
        "kind",
        "entity_id",
        "should_notify",
        "should_notify_by_email",
        "member__email",
        "member__receive_emails",
        "member__email_frequency",
    )
    for member_id, kind, entity_id, should_notify, by_email, email, receive_emails, frequency in rows:
        choice = _Choice(should_notify=should_notify, by_email=by_email)
        state.members[member_id] = _can_email(email, receive_emails, frequency)
        if entity_id is None:
            state.general[(member_id, kind)] = choice
            state.subscribers[kind].append(member_id)
        else:
            state.entity[(kind, entity_id)][member_id] = choice


def _load_members(state: _PageState, events: Sequence[EventCandidates]) -> None:
    """Registered members among the member sets; all of them when an on-by-default kind targets ANY."""
    needs_everyone = False
    wanted_ids: set[int] = set()
    for _event, candidate in _general_candidates(events):
        if candidate.member_ids is ANY:
            needs_everyone |= is_on_by_default(candidate.kind)
        else:
            wanted_ids |= candidate.member_ids
    if needs_everyone:
        members = Member.objects.all()
    elif wanted_ids:
        members = Member.objects.filter(id__in=sorted(wanted_ids))
    else:
        return
    columns = ("id", "email", "receive_emails", "email_frequency")
    for member_id, email, receive_emails, frequency in members.values_list(*columns):
        state.members[member_id] = _can_email(email, receive_emails, frequency)
        if needs_everyone:
            state.every_member.append(member_id)


def _general_choices(state: _PageState, candidate: GeneralCandidate) -> Iterable[tuple[int, _Choice]]:
    """(member, stored or default choice) for each registered member the candidate concerns."""
    if is_on_by_default(candidate.kind):
        concerned = state.every_member if candidate.member_ids is ANY else candidate.member_ids
        for member_id in concerned:
            if member_id in state.members:
                # Only a row of this same kind can turn it off (fix: never another kind's row).
                yield member_id, state.general.get((member_id, candidate.kind), _DEFAULT_CHOICE)
        return
    for member_id in state.subscribers.get(candidate.kind, ()):
        if candidate.member_ids is ANY or member_id in candidate.member_ids:
            yield member_id, state.general[(member_id, candidate.kind)]


def _candidate_choices(state: _PageState, candidate: Candidate) -> Iterable[tuple[int, _Choice]]:
    if isinstance(candidate, EntityCandidate):
        return state.entity.get((candidate.kind, str(candidate.entity_id)), {}).items()
    return _general_choices(state, candidate)


def _resolve_event(state: _PageState, event: EventCandidates) -> list[Recipient]:
    """Each member's winner: the highest-priority wanted option; a mute leaves only the entity
    options ranked above it. Candidates come in priority order, so the winner is the member's
    first option, or, once a mute is met, the first entity option met before it: nothing is
    kept per member but those two."""
    first: dict[int, _Option | None] = {}  # the winner so far (None: muted with nothing above)
    first_entity: dict[int, _Option] = {}
    # Nobody hears about their own action, whichever candidate names them (fix); nor, once muted,
    # through anything ranked below the mute.
    skipped = set(event.actor_ids)
    if event.author_id is not None:
        skipped.add(event.author_id)
    for candidate in event.candidates:
        is_entity = isinstance(candidate, EntityCandidate)
        kind = str(candidate.kind)
        entity_id = str(candidate.entity_id) if is_entity else None
        for member_id, choice in _candidate_choices(state, candidate):
            if member_id in skipped:
                continue  # the author, an actor, or muted above: nothing below counts
            if is_entity and not choice.should_notify:
                first[member_id] = first_entity.get(member_id)
                skipped.add(member_id)
                continue
            if is_entity and not candidate.notifies:
                continue  # a watch of it brings nothing; only its mute counts
            # Wanted in-app, or by email when the member can get email at all: a candidate
            # wanted only by email reaches nobody who has no email to receive it.
            by_email = choice.by_email and state.members.get(member_id, False)
            if not (choice.should_notify or by_email):
                continue
            if member_id in first and (not is_entity or member_id in first_entity):
                continue  # an earlier candidate already wins for this member
            option = _Option(kind, entity_id, choice.should_notify, by_email)
            first.setdefault(member_id, option)
            if is_entity:
                first_entity.setdefault(member_id, option)
    recipients = []
    for member_id in sorted(first):
        winner = first[member_id]
        if winner is not None:
            recipients.append(
                Recipient(
                    event.event_id,
                    member_id,
                    winner.kind,
                    winner.by_email,
                    winner.entity_id,
                    winner.in_app,
                )
            )
    return recipients


def recipients_for_events(*, events: Sequence[EventCandidates]) -> list[Recipient]:
    """At most one recipient per (member, event), events in the given order; two queries at most."""
    return list(recipients_stream(events=events))


def recipients_stream(*, events: Sequence[EventCandidates]) -> Iterator[Recipient]:
    """recipients_for_events one event at a time: an election reaches every member, so a page's
    recipients are produced as they are written, never held all at once."""
    state = _PageState()
    _load_subscriptions(state, events)
    _load_members(state, events)
    for event in events:
        yield from _resolve_event(state, event)
