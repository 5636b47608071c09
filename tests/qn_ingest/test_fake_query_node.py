"""The fake query node honours the arguments the project sends."""

from __future__ import annotations

from qn_ingest.client import QueryNodeClient
from qn_ingest.queries import (
    ACTIVE_WORKERS,
    CURRENT_COUNCIL,
    FORUM_CATEGORIES_BY_ID,
    FORUM_POSTS_BEFORE,
    PROPOSAL_DISCUSSION_POSTS_BEFORE,
    WORKING_GROUP_TITLES,
)

EVENTS = """
query Events($where: EventWhereInput, $limit: Int, $offset: Int) {
  events(where: $where, orderBy: [inBlock_ASC, indexInBlock_ASC], limit: $limit, offset: $offset) {
    __typename
    inBlock
    indexInBlock
    ... on PostAddedEvent { id }
    ... on ThreadCreatedEvent { id }
    ... on VotingPeriodStartedEvent { id }
  }
}
"""


def _events(where=None, limit=50, offset=0):
    data = QueryNodeClient().execute(EVENTS, {"where": where, "limit": limit, "offset": offset})
    return [(event["__typename"], event["inBlock"], event["id"]) for event in data["events"]]


def test_events_where_order_limit_offset(fake_query_node):
    data = fake_query_node.data
    alice = data.member(1)
    thread = data.thread(author=alice, category=data.category(), block=3)
    data.post(thread=thread, author=alice, block=5)
    data.post(thread=thread, author=alice, block=5)
    data.election_stage("VOTING", block=4)
    assert [e[2] for e in _events()] == ["3-0", "4-0", "5-0", "5-1"]
    assert _events(where={"type_in": ["PostAddedEvent"]}) == [
        ("PostAddedEvent", 5, "5-0"),
        ("PostAddedEvent", 5, "5-1"),
    ]
    assert [e[2] for e in _events(where={"inBlock_gte": 4, "NOT": [{"id_in": ["5-0"]}]})] == ["4-0", "5-1"]
    assert [e[2] for e in _events(limit=2, offset=1)] == ["4-0", "5-0"]


def test_categories_workers_and_council(fake_query_node):
    data = fake_query_node.data
    root = data.category("root", id="10")
    data.category("child", parent=root, id="11")
    alice, bob, carol = data.member(1), data.member(2), data.member(3)
    data.worker(member=alice, group_id="forumWorkingGroup", is_lead=True)
    data.worker(member=bob, group_id="forumWorkingGroup", is_active=False)
    data.worker(member=carol, group_id="appWorkingGroup")
    data.council(members=[alice], is_resigned=True, elected_at_block=1)
    data.council(members=[bob, carol], elected_at_block=9)
    client = QueryNodeClient()

    categories = client.execute(FORUM_CATEGORIES_BY_ID, {"ids": ["11"], "limit": 10})["forumCategories"]
    assert categories == [{"id": "11", "title": "child", "parentId": "10"}]
    workers = client.execute(ACTIVE_WORKERS, {"limit": 10, "offset": 0})["workers"]
    assert [(w["membershipId"], w["groupId"], w["isLead"]) for w in workers] == [
        ("3", "appWorkingGroup", False),
        ("1", "forumWorkingGroup", True),
    ]
    assert client.execute(ACTIVE_WORKERS, {"limit": 1, "offset": 1})["workers"][0]["membershipId"] == "1"
    council = client.execute(CURRENT_COUNCIL)["electedCouncils"]
    assert [m["memberId"] for m in council[0]["councilMembers"]] == ["2", "3"]


def test_forum_and_proposal_posts_where_order_limit_offset(fake_query_node):
    data = fake_query_node.data
    alice, bob = data.member(1), data.member(2)
    lobby = data.category()
    one = data.thread(author=alice, category=lobby, block=1, id="t1")
    two = data.thread(author=bob, category=lobby, block=1, id="t2")
    other = data.thread(author=bob, category=lobby, block=1, id="t3")
    data.post(thread=two, author=alice, block=2)
    data.post(thread=one, author=bob, block=3)
    data.post(thread=other, author=alice, block=3)
    late = data.post(thread=one, author=alice, block=4)
    # two posts at the same instant in different threads: the thread id breaks the tie
    tied = data.post(thread=two, author=bob, block=5)
    data.post(thread=one, author=bob, block=5).createdAt = tied.createdAt
    client = QueryNodeClient()

    def posts(before, limit=50, offset=0):
        variables = {"threadIds": ["t1", "t2"], "before": before, "limit": limit, "offset": offset}
        answer = client.execute(FORUM_POSTS_BEFORE, variables)["forumPosts"]
        return [(p["threadId"], p["authorId"], p["createdAt"][11:19]) for p in answer]

    everything = [
        ("t1", "1", "00:00:06"),  # the initial posts
        ("t2", "2", "00:00:06"),
        ("t2", "1", "00:00:12"),
        ("t1", "2", "00:00:18"),
        ("t1", "1", "00:00:24"),
        ("t1", "2", "00:00:30"),
        ("t2", "2", "00:00:30"),
    ]
    assert posts("2030-01-01T00:00:00Z") == everything
    # strictly before, compared as instants (another offset, same moment as `late`)
    assert posts(late.createdAt) == everything[:4]
    assert posts("2024-01-01T01:00:24+01:00") == everything[:4]
    assert posts("2030-01-01T00:00:00Z", limit=3, offset=3) == everything[3:6]

    proposal = data.proposal(creator=alice)
    data.proposal_post(proposal=proposal, author=bob, block=6)
    data.proposal_post(proposal=data.proposal(creator=bob), author=alice, block=6)
    answer = client.execute(
        PROPOSAL_DISCUSSION_POSTS_BEFORE,
        {
            "threadIds": [proposal.discussionThread.id],
            "before": "2030-01-01T00:00:00Z",
            "limit": 5,
            "offset": 0,
        },
    )["proposalDiscussionPosts"]
    assert [(p["discussionThreadId"], p["authorId"]) for p in answer] == [(proposal.discussionThread.id, "2")]


def test_working_groups_by_id_named_by_their_id(fake_query_node):
    # Like the real node: every runtime group exists from genesis, stored under its name.
    client = QueryNodeClient()
    asked = ["operationsWorkingGroupBeta", "forumWorkingGroup", "noSuchWorkingGroup"]
    found = client.execute(WORKING_GROUP_TITLES, {"ids": asked, "limit": 3})["workingGroups"]
    assert sorted(found, key=lambda group: group["id"]) == [
        {"id": "forumWorkingGroup", "title": "forumWorkingGroup"},
        {"id": "operationsWorkingGroupBeta", "title": "operationsWorkingGroupBeta"},
    ]
    assert len(client.execute(WORKING_GROUP_TITLES, {"ids": asked, "limit": 1})["workingGroups"]) == 1
