"""The fake query node honours the arguments the project sends."""

from __future__ import annotations

from qn_ingest.client import QueryNodeClient
from qn_ingest.queries import ACTIVE_WORKERS, CURRENT_COUNCIL, FORUM_CATEGORIES_BY_ID

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
