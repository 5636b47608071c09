"""Earlier posters (FORUM_THREAD_CONTRIBUTOR / PROPOSAL_DISCUSSION_CONTRIBUTOR) are read once
per page for all of its threads, in bounded answers, and each event keeps only the posts
created strictly before its own."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from qn_ingest import fetch
from qn_ingest.services import ingest_run
from tests.factories import MemberFactory

PER_PAGE = ["NotifyEvents", "ForumCategoriesById", "ForumPostsBefore", "ActiveWorkers", "CurrentCouncil"]
# Once per run, after the events: the reminder pass (the head estimated from the newest event,
# the proposals in their deciding stage, the election stage).
REMINDER_PASS = ["NewestEvent", "OpenProposals", "LatestElectionStage"]


def _kinds() -> set[tuple[int, str, str]]:
    return set(Notification.objects.values_list("member_id", "event_id", "kind"))


def _requests(node, operation: str) -> list[dict]:
    return [request["variables"] for request in node.requests if request["operationName"] == operation]


@pytest.fixture
def members(fake_query_node, db):
    """Alice (1), Bob (2), Carol (3) and Dave (4), registered and on the query node."""
    for member_id, name in enumerate(["alice", "bob", "carol", "dave"], start=1):
        MemberFactory(id=member_id, name=name)
    return [
        fake_query_node.data.member(i, handle=h) for i, h in enumerate(["alice", "bob", "carol", "dave"], 1)
    ]


def test_requests_per_page_do_not_grow_with_the_events_of_one_big_thread(fake_query_node, members, settings):
    data = fake_query_node.data
    alice, bob, carol, dave = members
    thread = data.thread(author=alice, category=data.category("Lobby"), event=False, block=1)
    # a long history before the ingest starts, by members 5..54 (not registered)
    for i in range(150):
        data.post(thread=thread, author=data.member(5 + i % 50), block=2)
    settings.STARTING_BLOCK = 10

    def one_page_of(count: int, first_block: int) -> list[str | None]:
        fake_query_node.requests.clear()
        for i in range(count):
            data.post(thread=thread, author=[bob, carol, dave][i % 3], block=first_block + i)
        summary = ingest_run(page_size=100)
        assert (summary.pages, summary.events) == (1, count)
        return sorted(fake_query_node.operations())

    # a page of 3 events and a page of 90 events in the same thread cost the same requests
    assert one_page_of(3, first_block=10) == sorted(PER_PAGE + REMINDER_PASS)
    assert one_page_of(90, first_block=20) == sorted(PER_PAGE + REMINDER_PASS)
    # and the one earlier-posts request named the thread once, bounded by the page's last post
    (variables,) = _requests(fake_query_node, "ForumPostsBefore")
    assert variables["threadIds"] == [thread.id]
    assert variables["before"] == data.events[-1].createdAt
    # everyone who posted before is a contributor of the last post; Alice is its thread's creator
    last = data.events[-1].id
    assert {(m, k) for m, e, k in _kinds() if e == last} == {
        (1, "FORUM_THREAD_CREATOR"),
        (2, "FORUM_THREAD_CONTRIBUTOR"),
        (3, "FORUM_THREAD_CONTRIBUTOR"),
    }


def test_a_member_who_posted_only_after_the_new_post_is_not_a_contributor(fake_query_node, members):
    data = fake_query_node.data
    alice, bob, carol, dave = members
    thread = data.thread(author=alice, category=data.category("Lobby"), event=False, block=1)
    first = data.post(thread=thread, author=bob, block=10).event.id
    second = data.post(thread=thread, author=carol, block=11).event.id
    third = data.post(thread=thread, author=dave, block=12).event.id

    ingest_run()  # one page: Carol's post is among the posts read for the page

    assert _kinds() == {
        (1, first, "FORUM_THREAD_CREATOR"),
        # not Carol nor Dave for Bob's post: they posted after it
        (1, second, "FORUM_THREAD_CREATOR"),
        (2, second, "FORUM_THREAD_CONTRIBUTOR"),
        (1, third, "FORUM_THREAD_CREATOR"),
        (2, third, "FORUM_THREAD_CONTRIBUTOR"),
        (3, third, "FORUM_THREAD_CONTRIBUTOR"),
    }
    assert fake_query_node.operations().count("ForumPostsBefore") == 1


def test_proposal_discussion_contributors_are_the_earlier_posters(fake_query_node, members):
    data = fake_query_node.data
    alice, bob, carol, dave = members
    proposal = data.proposal(creator=alice)
    other = data.proposal(creator=dave)
    data.proposal_post(proposal=other, author=carol, block=5)  # another discussion: not a contributor
    first = data.proposal_post(proposal=proposal, author=bob, block=10).event.id
    second = data.proposal_post(proposal=proposal, author=carol, block=11).event.id
    third = data.proposal_post(proposal=proposal, author=bob, block=12).event.id
    fake_query_node.requests.clear()

    ingest_run(page_size=10)

    assert {row for row in _kinds() if row[1] in {first, second, third}} == {
        (1, first, "PROPOSAL_DISCUSSION_CREATOR"),
        (1, second, "PROPOSAL_DISCUSSION_CREATOR"),
        (2, second, "PROPOSAL_DISCUSSION_CONTRIBUTOR"),
        (1, third, "PROPOSAL_DISCUSSION_CREATOR"),
        (3, third, "PROPOSAL_DISCUSSION_CONTRIBUTOR"),
    }
    (variables,) = _requests(fake_query_node, "ProposalDiscussionPostsBefore")
    assert sorted(variables["threadIds"]) == sorted([proposal.discussionThread.id, other.discussionThread.id])
    assert "ForumPostsBefore" not in fake_query_node.operations()  # no forum post in the page


def test_earlier_posts_are_read_in_bounded_answers(fake_query_node, members, monkeypatch, settings):
    monkeypatch.setattr(fetch, "EARLIER_POSTS_PAGE_SIZE", 2)
    data = fake_query_node.data
    alice, bob, carol, dave = members
    thread = data.thread(author=alice, category=data.category("Lobby"), event=False, block=1)
    for author in (carol, bob, carol, dave):
        data.post(thread=thread, author=author, block=2)
    settings.STARTING_BLOCK = 10
    new = data.post(thread=thread, author=bob, block=10).event.id

    ingest_run()

    # five earlier posts (the initial one and four replies), two per answer
    assert [v["offset"] for v in _requests(fake_query_node, "ForumPostsBefore")] == [0, 2, 4]
    assert {(m, k) for m, e, k in _kinds() if e == new} == {
        (1, "FORUM_THREAD_CREATOR"),
        (3, "FORUM_THREAD_CONTRIBUTOR"),
        (4, "FORUM_THREAD_CONTRIBUTOR"),
    }
