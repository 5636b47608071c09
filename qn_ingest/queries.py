"""Every GraphQL document the project sends to the query node, in one place.

tests/qn_ingest/test_query_documents.py validates each of them against the real
query-node schema (vendored as QN_SCHEMA_PATH) and against the fake query node's
schema, so a typo or a renamed field fails the tests, not production.
"""

from __future__ import annotations

from pathlib import Path

from qn_ingest.council_queries import COUNCIL_DOCUMENTS
from subscriptions.kinds import EVENT_TYPES

# The real query node's schema, kept in the repository (see the header of the file).
QN_SCHEMA_PATH = Path(__file__).with_name("qn_schema.graphql")

# The event types the ingest reads (EventTypeOptions values): those of the kinds table.
HANDLED_EVENT_TYPES = EVENT_TYPES

MEMBERSHIP_CONTROLLER_ACCOUNT = """
query MembershipControllerAccount($id: ID!) {
  membershipByUniqueInput(where: { id: $id }) {
    id
    controllerAccount
  }
}
"""

# One page of events with everything matching and the emails need, so that no
# query is sent per event. The `Event` interface has no `id`: each fragment asks for it.
# It does not ask for a thread's `posts`: that nested list takes no arguments in the schema,
# so every event would bring its whole thread. The earlier posters come from
# FORUM_POSTS_BEFORE / PROPOSAL_DISCUSSION_POSTS_BEFORE, once per page. Fields of one name must
# have one type across the fragments: LeaderSetEvent's nullable `worker` is read as `newLead`,
# apart from the `Worker!` of the leaving and exit events. A lead hire's two events find each
# other through the hired worker: its `entry` (the fill) and its `leaderseteventworker`.
NOTIFY_EVENTS = """
query NotifyEvents($where: EventWhereInput!, $limit: Int!) {
  events(where: $where, orderBy: [inBlock_ASC, indexInBlock_ASC], limit: $limit) {
    __typename
    inBlock
    indexInBlock
    ... on PostAddedEvent {
      id
      createdAt
      text
      post {
        id
        createdAt
        author {
          id
          handle
        }
        repliesTo {
          id
          authorId
        }
        thread {
          id
          title
          authorId
          categoryId
        }
      }
    }
    ... on ThreadCreatedEvent {
      id
      createdAt
      title
      text
      thread {
        id
        title
        categoryId
        author {
          id
          handle
        }
      }
    }
    ... on ProposalDiscussionPostCreatedEvent {
      id
      createdAt
      text
      post {
        id
        createdAt
        author {
          id
          handle
        }
        repliesTo {
          id
          authorId
        }
        discussionThread {
          id
          proposal {
            id
            title
            creatorId
          }
        }
      }
    }
    ... on AnnouncingPeriodStartedEvent {
      id
      createdAt
    }
    ... on NotEnoughCandidatesEvent {
      id
      createdAt
    }
    ... on NewCouncilNotElectedEvent {
      id
      createdAt
    }
    ... on NewCouncilElectedEvent {
      id
      createdAt
      electedCouncil {
        id
        councilMembers {
          member {
            id
            handle
          }
        }
      }
    }
    ... on NewCandidateEvent {
      id
      createdAt
      candidate {
        id
        member {
          id
          handle
        }
      }
    }
    ... on CandidacyWithdrawEvent {
      id
      createdAt
      candidate {
        id
        member {
          id
          handle
        }
      }
    }
    ... on VotingPeriodStartedEvent {
      id
      createdAt
    }
    ... on RevealingStageStartedEvent {
      id
      createdAt
    }
    ... on ProposalCreatedEvent {
      id
      createdAt
      proposal {
        ...ProposalBasics
      }
    }
    ... on ProposalStatusUpdatedEvent {
      id
      createdAt
      newStatus {
        __typename
      }
      proposal {
        ...ProposalHistory
      }
    }
    ... on ProposalDecisionMadeEvent {
      id
      createdAt
      decisionStatus {
        __typename
      }
      proposal {
        ...ProposalHistory
      }
    }
    ... on ProposalExecutedEvent {
      id
      createdAt
      executionStatus {
        __typename
        ... on ProposalStatusExecutionFailed {
          errorMessage
        }
      }
      proposal {
        ...ProposalHistory
      }
    }
    ... on ProposalCancelledEvent {
      id
      createdAt
      proposal {
        ...ProposalHistory
      }
    }
    ... on ProposalVotedEvent {
      id
      createdAt
      voteKind
      voteRationale: rationale
      votingRound
      voter {
        id
        handle
      }
      proposal {
        ...ProposalBasics
      }
    }
    ... on OpeningAddedEvent {
      id
      createdAt
      groupId
      opening {
        id
        metadata {
          title
        }
      }
    }
    ... on AppliedOnOpeningEvent {
      id
      createdAt
      groupId
      opening {
        id
        metadata {
          title
        }
      }
      application {
        id
        applicant {
          id
          handle
        }
      }
    }
    ... on OpeningFilledEvent {
      id
      createdAt
      groupId
      opening {
        id
        metadata {
          title
        }
      }
      workersHired {
        id
        membership {
          id
          handle
        }
        leaderseteventworker {
          id
          inBlock
          indexInBlock
        }
      }
    }
    ... on BudgetUpdatedEvent {
      id
      createdAt
      groupId
      budgetChangeAmount
    }
    ... on BudgetSetEvent {
      id
      createdAt
      groupId
      newBudget
    }
    ... on BudgetSpendingEvent {
      id
      createdAt
      groupId
      reciever
      amount
      rationale
    }
    ... on LeaderSetEvent {
      id
      createdAt
      groupId
      newLead: worker {
        id
        membership {
          id
          handle
        }
        entry {
          id
          inBlock
          indexInBlock
          opening {
            id
            metadata {
              title
            }
          }
        }
      }
    }
    ... on LeaderUnsetEvent {
      id
      createdAt
      groupId
      leader {
        id
        membership {
          id
          handle
        }
      }
    }
    ... on WorkerStartedLeavingEvent {
      id
      createdAt
      groupId
      rationale
      worker {
        id
        membership {
          id
          handle
        }
      }
    }
    ... on WorkerExitedEvent {
      id
      createdAt
      groupId
      worker {
        id
        membership {
          id
          handle
        }
      }
    }
  }
}

fragment ProposalBasics on Proposal {
  id
  title
  creator {
    id
    handle
  }
}

# What a status change needs besides the basics: the status updates (for the status before
# this one) and the decision and cancellation events (to find the first event of the same
# action in a block). Each list is a handful of events per proposal.
fragment ProposalHistory on Proposal {
  ...ProposalBasics
  proposalStatusUpdates {
    id
    inBlock
    indexInBlock
    newStatus {
      __typename
    }
  }
  proposaldecisionmadeeventproposal {
    id
    inBlock
    indexInBlock
  }
  proposalcancelledeventproposal {
    id
    inBlock
    indexInBlock
  }
}
"""

# Who posted in the page's threads before its latest post, paged: the normaliser keeps, per
# thread, each author's first post and compares it with each event's post (strictly before).
# Only the three fields it needs are transferred. The order covers every selected field, so
# offset paging neither skips nor repeats a value even when posts share a block timestamp;
# `createdAt_lt` keeps posts added while paging out of the answer.
FORUM_POSTS_BEFORE = """
query ForumPostsBefore($threadIds: [ID!]!, $before: DateTime!, $limit: Int!, $offset: Int!) {
  forumPosts(
    where: { thread: { id_in: $threadIds }, createdAt_lt: $before }
    orderBy: [createdAt_ASC, thread_ASC, author_ASC]
    limit: $limit
    offset: $offset
  ) {
    threadId
    authorId
    createdAt
  }
}
"""

# The same for proposal discussions (by discussion thread id).
PROPOSAL_DISCUSSION_POSTS_BEFORE = """
query ProposalDiscussionPostsBefore($threadIds: [ID!]!, $before: DateTime!, $limit: Int!, $offset: Int!) {
  proposalDiscussionPosts(
    where: { discussionThread: { id_in: $threadIds }, createdAt_lt: $before }
    orderBy: [createdAt_ASC, discussionThread_ASC, author_ASC]
    limit: $limit
    offset: $offset
  ) {
    discussionThreadId
    authorId
    createdAt
  }
}
"""

# Categories by id; the ingest asks again for parents it has not seen yet (cached per run).
FORUM_CATEGORIES_BY_ID = """
query ForumCategoriesById($ids: [ID!]!, $limit: Int!) {
  forumCategories(where: { id_in: $ids }, limit: $limit) {
    id
    title
    parentId
  }
}
"""

# Active workers, paged; (groupId, runtimeId) is unique, so offset paging is stable.
ACTIVE_WORKERS = """
query ActiveWorkers($limit: Int!, $offset: Int!) {
  workers(
    where: { isActive_eq: true }
    orderBy: [groupId_ASC, runtimeId_ASC]
    limit: $limit
    offset: $offset
  ) {
    id
    membershipId
    groupId
    isLead
  }
}
"""

# The current council: the latest elected council that has not resigned.
CURRENT_COUNCIL = """
query CurrentCouncil {
  electedCouncils(where: { isResigned_eq: false }, orderBy: [electedAtBlock_DESC], limit: 1) {
    id
    councilMembers {
      id
      memberId
    }
  }
}
"""

# The councils in office at some block of a page's range, paged: one answer per page that
# needs councillors (a proposal entering Deciding). A council still in office has not resigned;
# one that ended inside the range ended after its first block.
COUNCILS_IN_OFFICE = """
query CouncilsInOffice($firstBlock: Int!, $lastBlock: Int!, $limit: Int!, $offset: Int!) {
  electedCouncils(
    where: {
      AND: [
        { electedAtBlock_lte: $lastBlock }
        { OR: [{ isResigned_eq: false }, { endedAtBlock_gt: $firstBlock }] }
      ]
    }
    orderBy: [electedAtBlock_ASC, createdAt_ASC]
    limit: $limit
    offset: $offset
  ) {
    id
    electedAtBlock
    endedAtBlock
    councilMembers {
      memberId
    }
  }
}
"""

# Titles of watched or muted entities for the preferences page, by id (one document per kind of
# entity: the page asks only for the kinds a member has, and caches the answers).
FORUM_THREAD_TITLES = """
query ForumThreadTitles($ids: [ID!]!, $limit: Int!) {
  forumThreads(where: { id_in: $ids }, limit: $limit) {
    id
    title
  }
}
"""

FORUM_CATEGORY_TITLES = """
query ForumCategoryTitles($ids: [ID!]!, $limit: Int!) {
  forumCategories(where: { id_in: $ids }, limit: $limit) {
    id
    title
  }
}
"""

PROPOSAL_TITLES = """
query ProposalTitles($ids: [ID!]!, $limit: Int!) {
  proposals(where: { id_in: $ids }, limit: $limit) {
    id
    title
  }
}
"""

# A working group's `name` (also its id, e.g. "forumWorkingGroup") stands for its title; the page
# shows it the way Pioneer names the group (notifications.pioneer_format).
WORKING_GROUP_TITLES = """
query WorkingGroupTitles($ids: [ID!]!, $limit: Int!) {
  workingGroups(where: { id_in: $ids }, limit: $limit) {
    id
    title: name
  }
}
"""

ALL_DOCUMENTS = {
    "MembershipControllerAccount": MEMBERSHIP_CONTROLLER_ACCOUNT,
    "NotifyEvents": NOTIFY_EVENTS,
    "ForumPostsBefore": FORUM_POSTS_BEFORE,
    "ProposalDiscussionPostsBefore": PROPOSAL_DISCUSSION_POSTS_BEFORE,
    "ForumCategoriesById": FORUM_CATEGORIES_BY_ID,
    "ActiveWorkers": ACTIVE_WORKERS,
    "CurrentCouncil": CURRENT_COUNCIL,
    "CouncilsInOffice": COUNCILS_IN_OFFICE,
    **COUNCIL_DOCUMENTS,
    "ForumThreadTitles": FORUM_THREAD_TITLES,
    "ForumCategoryTitles": FORUM_CATEGORY_TITLES,
    "ProposalTitles": PROPOSAL_TITLES,
    "WorkingGroupTitles": WORKING_GROUP_TITLES,
}
