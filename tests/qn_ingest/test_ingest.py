"""The ingest end to end through the fake query node: the worked example, the cursor cases
of issue 5, query-node failures, and the per-run query budget."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from notifications.models import EmailStatus, Notification
from qn_ingest.client import QueryNodeError, QueryNodeResponseError, QueryNodeUnavailable
from qn_ingest.fake_node.scenarios import build_worked_example, mention
from qn_ingest.models import IngestCursor
from qn_ingest.services import ingest_run
from tests.factories import MemberFactory, SubscriptionFactory
from tests.services import require_postgres

FAIL_INSERT_TRIGGER = {
    "postgresql": [
        """CREATE FUNCTION test_fail_insert() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'disk full (test)'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER test_fail_insert BEFORE INSERT ON notifications_notification
           FOR EACH ROW WHEN (NEW.event_id = '{event_id}') EXECUTE FUNCTION test_fail_insert()""",
    ],
    "sqlite": [
        """CREATE TRIGGER test_fail_insert BEFORE INSERT ON notifications_notification
           WHEN NEW.event_id = '{event_id}' BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END""",
    ],
}
DROP_TRIGGER = {
    "postgresql": [
        "DROP TRIGGER test_fail_insert ON notifications_notification",
        "DROP FUNCTION test_fail_insert()",
    ],
    "sqlite": ["DROP TRIGGER test_fail_insert"],
}


def _run_sql(statements: list[str], **params) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.format(**params))


def _notifications() -> list[tuple[int, str, str, str]]:
    return sorted(
        Notification.objects.values_list("member_id", "event_id", "kind", "email_status"),
        key=lambda row: (row[1], row[0]),
    )


def _cursor() -> tuple[int, list[str]]:
    cursor = IngestCursor.objects.get()
    return cursor.block, cursor.event_ids


@pytest.fixture
def forum(fake_query_node, db):
    """Alice (1) and Bob (2) registered; Alice's thread in a category; Bob's posts there
    reach Alice as FORUM_THREAD_CREATOR, one notification per post."""
    data = fake_query_node.data
    MemberFactory(id=1, name="alice")
    MemberFactory(id=2, name="bob")
    alice, bob = data.member(1, handle="alice"), data.member(2, handle="bob")
    thread = data.thread(author=alice, category=data.category("Lobby"), title="Alice's", event=False)
    return data, thread, alice, bob


def _bob_posts(data, thread, bob, blocks: list[int]) -> list[str]:
    return [
        data.post(thread=thread, author=bob, text=f"post {i}", block=b).event.id for i, b in enumerate(blocks)
    ]


def test_worked_example_end_to_end(fake_query_node, db):
    # given the worked example's members and subscriptions, and its six posts on the query node
    example = build_worked_example(fake_query_node.data)
    alice = MemberFactory(id=1, name="alice")
    bob = MemberFactory(id=2, name="bob")
    MemberFactory(id=4, name="dave", receive_emails=False)
    SubscriptionFactory(member=alice, kind="FORUM_THREAD_ENTITY_POST", entity_id=example.foo.id)
    SubscriptionFactory(member=alice, kind="FORUM_CATEGORY_ENTITY_POST", entity_id=example.baz.id)
    SubscriptionFactory(member=bob, kind="FORUM_POST_ALL")
    SubscriptionFactory(
        member=bob, kind="FORUM_THREAD_ENTITY_POST", entity_id=example.foo.id, should_notify=False
    )
    SubscriptionFactory(member=bob, kind="FORUM_THREAD_ENTITY_POST", entity_id=example.bar.id)
    SubscriptionFactory(
        member=bob, kind="FORUM_CATEGORY_ENTITY_POST", entity_id=example.qux.id, should_notify=False
    )

    # when the ingest runs
    summary = ingest_run()

    # then exactly the seven notifications of the table, six of them to email
    event = [post.event.id for post in example.posts]
    pending, ignored = EmailStatus.PENDING, EmailStatus.IGNORED
    assert _notifications() == sorted(
        [
            (1, event[0], "FORUM_THREAD_CREATOR", pending),
            (1, event[1], "FORUM_POST_MENTION", pending),
            (2, event[1], "FORUM_THREAD_ENTITY_POST", pending),
            (1, event[2], "FORUM_CATEGORY_ENTITY_POST", pending),
            (2, event[2], "FORUM_POST_ALL", pending),
            (1, event[4], "FORUM_POST_REPLY", pending),
            (4, event[4], "FORUM_POST_MENTION", ignored),
        ],
        key=lambda row: (row[1], row[0]),
    )
    assert (summary.events, summary.notifications, summary.pending) == (6, 7, 6)
    assert _cursor() == (example.posts[-1].event.inBlock, [event[5]])
    # and the display data came from the same events query (no query per event)
    mention_of_alice = Notification.objects.get(member_id=1, event_id=event[1])
    assert mention_of_alice.entity_id == example.posts[1].id
    assert mention_of_alice.in_block == example.posts[1].event.inBlock
    assert mention_of_alice.data["thread"] == {"id": example.bar.id, "title": "bar"}
    assert mention_of_alice.data["author"] == {"id": 3, "handle": "carol"}
    assert fake_query_node.operations().count("NotifyEvents") == 1


def test_queries_per_run_do_not_grow_with_events(forum, fake_query_node):
    data, thread, _alice, bob = forum
    _bob_posts(data, thread, bob, list(range(10, 40)))
    ingest_run(page_size=50)
    # one events page, one category level, the page's earlier posts, the roles (workers,
    # council), the reminder pass (newest event, open proposals, election stage): not one per event
    assert sorted(fake_query_node.operations()) == sorted(
        ["NotifyEvents", "ForumCategoriesById", "ForumPostsBefore", "ActiveWorkers", "CurrentCouncil"]
        + ["NewestEvent", "OpenProposals", "LatestElectionStage"]
    )
    assert Notification.objects.count() == 30


def _watchers(data, thread, first: int, last: int) -> None:
    """Members first..last, on the node and registered: odd ones watch the thread, even ones its category."""
    for member_id in range(first, last + 1):
        data.member(member_id, handle=f"member{member_id}")
        member = MemberFactory(id=member_id)
        kind, entity_id = (
            ("FORUM_THREAD_ENTITY_POST", thread.id)
            if member_id % 2
            else ("FORUM_CATEGORY_ENTITY_POST", thread.categoryId)
        )
        SubscriptionFactory(member=member, kind=kind, entity_id=entity_id)


def _busy_posts(data, thread, *, members: int, posts: int, first_block: int) -> None:
    """Posts by members 1..`members` that mention, reply to and follow one another."""
    written = []
    for i in range(posts):
        author, mentioned = i % members + 1, (i + 1) % members + 1
        written.append(
            data.post(
                thread=thread,
                author=data.members[str(author)],
                text=f"{mention(mentioned, f'member{mentioned}')} and more",
                replies_to=written[-1] if written else None,
                block=first_block + i // 3,
            )
        )


def test_database_queries_per_page_do_not_grow_with_its_events_members_or_subscriptions(forum):
    # PostgreSQL's writer (COPY, one INSERT per page, new ids handed over 5,000 at a time);
    # SQLite's ORM writer batches by its parameter limit, a statement per hundred rows or so.
    require_postgres()
    data, thread, _alice, _bob = forum
    _watchers(data, thread, 3, 4)
    _busy_posts(data, thread, members=4, posts=6, first_block=10)
    ingest_run(page_size=500)  # the first run also stores the cursor and the chain's constants
    _busy_posts(data, thread, members=4, posts=6, first_block=20)
    with CaptureQueriesContext(connection) as small:
        few = ingest_run(page_size=500)
    _watchers(data, thread, 5, 40)
    _busy_posts(data, thread, members=40, posts=100, first_block=100)
    with CaptureQueriesContext(connection) as big:
        many = ingest_run(page_size=500)

    assert (few.pages, many.pages) == (1, 1)
    assert many.notifications > 100 * few.notifications > 0
    assert len(big) == len(small)


def test_more_events_than_a_page(forum, fake_query_node):
    data, thread, _alice, bob = forum
    events = _bob_posts(data, thread, bob, [10, 11, 12, 13, 14])
    pages = []

    summary = ingest_run(page_size=2, on_page=pages.append)

    assert [(p.page, p.block, p.events, p.notifications) for p in pages] == [
        (1, 11, 2, 2),
        (2, 13, 2, 2),
        (3, 14, 1, 1),
    ]
    assert sorted(Notification.objects.values_list("event_id", flat=True)) == sorted(events)
    assert (summary.pages, summary.events, summary.notifications) == (3, 5, 5)
    assert _cursor() == (14, [events[-1]])
    # roles and categories were read once for the whole run
    assert fake_query_node.operations().count("CurrentCouncil") == 1
    assert fake_query_node.operations().count("ForumCategoriesById") == 1


def test_events_sharing_the_last_block_of_a_page(forum):
    data, thread, _alice, bob = forum
    events = _bob_posts(data, thread, bob, [10, 10, 10, 11])

    ingest_run(page_size=2)  # the first page ends in the middle of block 10

    assert sorted(Notification.objects.values_list("event_id", flat=True)) == sorted(events)
    assert _cursor() == (11, [events[3]])


def test_a_rerun_from_a_cursor_inside_a_block_skips_the_processed_events(forum):
    data, thread, _alice, bob = forum
    events = _bob_posts(data, thread, bob, [10, 10, 10])
    IngestCursor.objects.create(block=10, event_ids=[events[0]])

    summary = ingest_run()

    assert sorted(Notification.objects.values_list("event_id", flat=True)) == sorted(events[1:])
    assert summary.events == 2
    assert _cursor() == (10, sorted(events))


def test_nothing_new_leaves_everything_as_is(forum):
    data, thread, _alice, bob = forum
    _bob_posts(data, thread, bob, [10])
    ingest_run()
    before = _cursor()

    summary = ingest_run()

    assert (summary.ran, summary.pages, summary.events, summary.notifications) == (True, 0, 0, 0)
    assert _cursor() == before
    assert Notification.objects.count() == 1


def test_starting_block_applies_when_there_is_no_cursor(forum, settings):
    data, thread, _alice, bob = forum
    old, new = _bob_posts(data, thread, bob, [5, 20])
    settings.STARTING_BLOCK = 10

    ingest_run()

    assert list(Notification.objects.values_list("event_id", flat=True)) == [new]
    assert _cursor() == (20, [new])


def test_a_stored_cursor_wins_over_starting_block(forum, settings):
    data, thread, _alice, bob = forum
    events = _bob_posts(data, thread, bob, [5, 20])
    IngestCursor.objects.create(block=1, event_ids=[])
    settings.STARTING_BLOCK = 10

    ingest_run()

    assert sorted(Notification.objects.values_list("event_id", flat=True)) == sorted(events)


def test_a_crash_while_storing_a_page_loses_nothing_and_duplicates_nothing(forum):
    data, thread, _alice, bob = forum
    events = _bob_posts(data, thread, bob, [10, 11, 12, 13, 14])
    # the database refuses the first insert of page 2 (a real failure inside its transaction)
    _run_sql(FAIL_INSERT_TRIGGER[connection.vendor], event_id=events[2])

    with pytest.raises(DatabaseError):
        ingest_run(page_size=2)

    # page 1 is stored with its cursor; nothing of page 2
    assert sorted(Notification.objects.values_list("event_id", flat=True)) == sorted(events[:2])
    assert _cursor() == (11, [events[1]])

    _run_sql(DROP_TRIGGER[connection.vendor])
    ingest_run(page_size=2)

    assert sorted(Notification.objects.values_list("event_id", flat=True)) == sorted(events)
    assert _cursor() == (14, [events[4]])


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("500", QueryNodeUnavailable),
        ("timeout", QueryNodeUnavailable),
        ("malformed", QueryNodeResponseError),
        ("graphql_error", QueryNodeResponseError),
    ],
)
def test_query_node_failure_moves_nothing_and_the_next_run_catches_up(
    forum, fake_query_node, settings, fault, error
):
    data, thread, _alice, bob = forum
    events = _bob_posts(data, thread, bob, [10, 11])
    settings.QUERY_NODE_TIMEOUT_SECONDS = 0.3
    settings.QUERY_NODE_MAX_ATTEMPTS = 2
    fake_query_node.timeout_delay = 1.0
    fake_query_node.fail_always(fault)

    with pytest.raises(error):
        ingest_run()

    assert not IngestCursor.objects.exists()
    assert Notification.objects.count() == 0

    fake_query_node.clear_faults()
    # The short timeout was there to provoke the fault; the catch-up must not trip on a busy machine.
    settings.QUERY_NODE_TIMEOUT_SECONDS = 10
    ingest_run()
    assert sorted(Notification.objects.values_list("event_id", flat=True)) == sorted(events)


def test_query_node_going_down_mid_run_keeps_the_stored_pages(forum, fake_query_node, settings):
    data, thread, _alice, bob = forum
    events = _bob_posts(data, thread, bob, [10, 11, 12, 13])
    settings.QUERY_NODE_MAX_ATTEMPTS = 2

    def down_after_first_page(progress):
        if progress.page == 1:
            fake_query_node.fail_always("500")

    with pytest.raises(QueryNodeError, match="could not be read after 2 attempts"):
        ingest_run(page_size=2, on_page=down_after_first_page)
    assert _cursor() == (11, [events[1]])
    assert Notification.objects.count() == 2

    fake_query_node.clear_faults()
    ingest_run(page_size=2)
    assert sorted(Notification.objects.values_list("event_id", flat=True)) == sorted(events)


def test_an_event_with_unusable_data_is_skipped_not_stalling_the_ingest(forum):
    data, thread, _alice, bob = forum
    # a membership id that is not a number cannot be a Pioneer member
    odd = data.member("not-a-number", handle="odd")
    broken = data.post(thread=thread, author=odd, text="?", block=10).event.id
    good = data.post(thread=thread, author=bob, text="fine", block=11).event.id

    summary = ingest_run()

    assert (summary.events, summary.skipped_events, summary.notifications) == (2, 1, 1)
    assert list(Notification.objects.values_list("event_id", flat=True)) == [good]
    assert _cursor() == (11, [good])
    assert broken not in Notification.objects.values_list("event_id", flat=True)


def test_election_and_proposal_events_are_ingested(fake_query_node, db):
    data = fake_query_node.data
    MemberFactory(id=1, name="alice")
    MemberFactory(id=2, name="bob")
    alice, bob = data.member(1, handle="alice"), data.member(2, handle="bob")
    data.council(members=[alice])
    proposal = data.proposal(creator=alice, title="Fund it")
    discussion = data.proposal_post(proposal=proposal, author=bob, text="[@c](#mention?role=council) look")
    voting = data.election_stage("VOTING")

    ingest_run()

    by_event = {(n.member_id, n.event_id): n for n in Notification.objects.all()}
    assert by_event[(1, discussion.event.id)].kind == "PROPOSAL_DISCUSSION_MENTION"
    assert by_event[(1, discussion.event.id)].data["proposal"] == {"id": proposal.id, "title": "Fund it"}
    assert {(m, n.kind) for (m, e), n in by_event.items() if e == voting.id} == {
        (1, "ELECTION_VOTING_STARTED"),
        (2, "ELECTION_VOTING_STARTED"),
    }
    assert by_event[(2, voting.id)].entity_id == voting.id


def test_thread_created_uses_the_category_chain(fake_query_node, db):
    data = fake_query_node.data
    watcher = MemberFactory(id=1, name="alice")
    MemberFactory(id=2, name="bob")
    root = data.category("Root")
    child = data.category("Child", parent=data.category("Middle", parent=root))
    SubscriptionFactory(member=watcher, kind="FORUM_CATEGORY_ENTITY_THREAD", entity_id=root.id)
    thread = data.thread(
        author=data.member(2, handle="bob"), category=child, title="New!", text=mention(9, "x")
    )

    ingest_run()

    notification = Notification.objects.get()
    assert (notification.member_id, notification.kind, notification.entity_id) == (
        1,
        "FORUM_CATEGORY_ENTITY_THREAD",
        thread.id,
    )
