"""The query documents of the deadline reminders (docs/kinds/reminders.md), read once per run.
Registered in queries.ALL_DOCUMENTS, so that tests/qn_ingest/test_query_documents.py validates
them against the real schema. The round's votes are read with the council's RoundVotes."""

from __future__ import annotations

from subscriptions.kinds import EVENT_TYPES

# The proposals that can still change status (Deciding, Gracing, Dormant), paged: the ones in
# Deciding have a voting period running since `statusSetAtBlock`. Their votes say who voted in
# the current round (the votes cast since then).
OPEN_PROPOSALS = """
query OpenProposals($limit: Int!, $offset: Int!) {
  proposals(where: { isFinalized_eq: false }, orderBy: [createdAt_ASC], limit: $limit, offset: $offset) {
    id
    title
    statusSetAtBlock
    status {
      __typename
    }
    details {
      __typename
    }
    votes {
      inBlock
      voter {
        id
      }
    }
  }
}
"""

# The latest event that starts or ends an election stage: which stage runs now, and since when.
LATEST_ELECTION_STAGE = """
query LatestElectionStage {
  events(
    where: {
      type_in: [
        AnnouncingPeriodStartedEvent
        NotEnoughCandidatesEvent
        NewCouncilNotElectedEvent
        VotingPeriodStartedEvent
        RevealingStageStartedEvent
        NewCouncilElectedEvent
      ]
    }
    orderBy: [inBlock_DESC, indexInBlock_DESC]
    limit: 1
  ) {
    __typename
    inBlock
  }
}
"""

# The candidacies announced since a block (the announcing period's start), paged.
CANDIDACIES_SINCE = """
query CandidaciesSince($block: Int!, $limit: Int!, $offset: Int!) {
  events(
    where: { type_in: [NewCandidateEvent], inBlock_gte: $block }
    orderBy: [inBlock_ASC, indexInBlock_ASC]
    limit: $limit
    offset: $offset
  ) {
    ... on NewCandidateEvent {
      candidate {
        member {
          id
        }
      }
    }
  }
}
"""

# The newest event the ingest reads that the query node indexed: with no CHAIN_RPC_URL, the head
# is estimated from its block and time. The Event interface has no time: each type gives its own.
_CREATED_AT = "\n".join(f"    ... on {event_type} {{\n      createdAt\n    }}" for event_type in EVENT_TYPES)
NEWEST_EVENT = f"""
query NewestEvent($types: [EventTypeOptions!]!) {{
  events(where: {{ type_in: $types }}, orderBy: [inBlock_DESC, indexInBlock_DESC], limit: 1) {{
    inBlock
{_CREATED_AT}
  }}
}}
"""

REMINDER_DOCUMENTS = {
    "OpenProposals": OPEN_PROPOSALS,
    "LatestElectionStage": LATEST_ELECTION_STAGE,
    "CandidaciesSince": CANDIDACIES_SINCE,
    "NewestEvent": NEWEST_EVENT,
}
