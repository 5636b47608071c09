"""Every GraphQL document the project sends to the query node, in one place.

tests/qn_ingest/test_query_documents.py validates each of them against the real
query-node schema (../shared/reference/qn-schema.graphql) and against the fake
query node's schema, so a typo or a renamed field fails the tests, not production.
"""

from __future__ import annotations

# The event types the ingest handles (EventTypeOptions values), see RULES.md.
HANDLED_EVENT_TYPES = (
    "PostAddedEvent",
    "ThreadCreatedEvent",
    "ProposalDiscussionPostCreatedEvent",
    "AnnouncingPeriodStartedEvent",
    "VotingPeriodStartedEvent",
    "RevealingStageStartedEvent",
)

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
# `posts` of a thread is unfiltered in the schema (no arguments on nested lists); the
# normaliser keeps the posts created strictly before the new one.
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
          posts {
            id
            authorId
            createdAt
          }
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
          posts {
            id
            authorId
            createdAt
          }
        }
      }
    }
    ... on AnnouncingPeriodStartedEvent {
      id
      createdAt
    }
    ... on VotingPeriodStartedEvent {
      id
      createdAt
    }
    ... on RevealingStageStartedEvent {
      id
      createdAt
    }
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

ALL_DOCUMENTS = {
    "MembershipControllerAccount": MEMBERSHIP_CONTROLLER_ACCOUNT,
    "NotifyEvents": NOTIFY_EVENTS,
    "ForumCategoriesById": FORUM_CATEGORIES_BY_ID,
    "ActiveWorkers": ACTIVE_WORKERS,
    "CurrentCouncil": CURRENT_COUNCIL,
}
