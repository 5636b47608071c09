"""The query documents of the council and election kinds, read once per page that needs them
(qn_ingest/council_normalize.py). Registered in queries.ALL_DOCUMENTS, so that
tests/qn_ingest/test_query_documents.py validates them against the real schema."""

from __future__ import annotations

# The round-starting events of some blocks: a page that holds one of them finds the others
# of the same block (possibly on another page) and keys the round on the first.
ROUND_STARTS_IN_BLOCKS = """
query RoundStartsInBlocks($blocks: [Int!]!, $limit: Int!) {
  events(
    where: {
      inBlock_in: $blocks
      type_in: [AnnouncingPeriodStartedEvent, NotEnoughCandidatesEvent, NewCouncilNotElectedEvent]
    }
    orderBy: [inBlock_ASC, indexInBlock_ASC]
    limit: $limit
  ) {
    __typename
    inBlock
    indexInBlock
    ... on AnnouncingPeriodStartedEvent {
      id
    }
    ... on NotEnoughCandidatesEvent {
      id
    }
    ... on NewCouncilNotElectedEvent {
      id
    }
  }
}
"""

# The latest voting periods that started at or before a block: the one before each revealing
# stage of a page (stages alternate, so as many as the page has revealing stages).
VOTING_STARTS_BEFORE = """
query VotingStartsBefore($block: Int!, $limit: Int!) {
  votingPeriodStartedEvents(
    where: { inBlock_lte: $block }
    orderBy: [inBlock_DESC, indexInBlock_DESC]
    limit: $limit
  ) {
    inBlock
  }
}
"""

# The votes cast in some block ranges (each from a voting period's start to its revealing
# stage) and whether each was revealed since (voteForId, set with the VoteRevealedEvent),
# paged; (inBlock, indexInBlock) is unique, so offset paging is stable.
ROUND_VOTES = """
query RoundVotes($where: VoteCastEventWhereInput!, $limit: Int!, $offset: Int!) {
  voteCastEvents(where: $where, orderBy: [inBlock_ASC, indexInBlock_ASC], limit: $limit, offset: $offset) {
    inBlock
    castVote {
      castBy
      voteForId
    }
  }
}
"""

# The memberships that own some accounts as root, controller or bound (staking) account,
# paged; handles are unique, so offset paging is stable.
MEMBERSHIPS_BY_ACCOUNTS = """
query MembershipsByAccounts($accounts: [String!]!, $limit: Int!, $offset: Int!) {
  memberships(
    where: {
      OR: [
        { rootAccount_in: $accounts }
        { controllerAccount_in: $accounts }
        { boundAccounts_containsAny: $accounts }
      ]
    }
    orderBy: [handle_ASC]
    limit: $limit
    offset: $offset
  ) {
    id
    rootAccount
    controllerAccount
    boundAccounts
  }
}
"""

COUNCIL_DOCUMENTS = {
    "RoundStartsInBlocks": ROUND_STARTS_IN_BLOCKS,
    "VotingStartsBefore": VOTING_STARTS_BEFORE,
    "RoundVotes": ROUND_VOTES,
    "MembershipsByAccounts": MEMBERSHIPS_BY_ACCOUNTS,
}
