"""Named data sets for the fake query node (`python -m qn_ingest.fake_node --scenario NAME`).

A scenario is a function `(node: FakeQueryNode) -> None` that fills `node.data`; it
runs before the server starts answering. A scenario that keeps publishing while the
server runs (a demo) starts its own daemon thread and calls the store's factories
from it (they are thread-safe). Register one with `@scenario("name")`, here or in a module
qn_ingest/fake_node/<something>_scenario.py (discovered automatically).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qn_ingest.fake_node.server import FakeQueryNode
from qn_ingest.fake_node.store import ForumCategory, ForumPost, ForumThread, QueryNodeData

SCENARIOS: dict[str, Callable[[FakeQueryNode], None]] = {}


def scenario(name: str):
    def register(build: Callable[[FakeQueryNode], None]) -> Callable[[FakeQueryNode], None]:
        SCENARIOS[name] = build
        return build

    return register


def mention(member_id: int, label: str) -> str:
    """Pioneer's markdown for a member mention."""
    return f"[@{label}](#mention?member-id={member_id})"


@dataclass
class WorkedExample:
    """Handles on the worked example of docs/matching-rules.md ("Worked example")."""

    foo: ForumThread
    bar: ForumThread
    baz: ForumCategory
    qux: ForumCategory
    posts: list[ForumPost]
    # Threads are created before this block and without events: the example is about posts.
    first_post_block: int


def build_worked_example(data: QueryNodeData) -> WorkedExample:
    """Members 1 alice, 2 bob, 3 carol (not registered in Pioneer Notify), 4 dave; the six
    posts of the worked example of docs/matching-rules.md. Subscriptions live in the Notify database: the
    caller stores them (Alice watches foo and baz; Bob FORUM_POST_ALL, mutes foo and qux,
    watches bar; Dave has receiveEmails off)."""
    alice = data.member(1, handle="alice")
    bob = data.member(2, handle="bob")
    carol = data.member(3, handle="carol")
    dave = data.member(4, handle="dave")
    general = data.category("General")
    baz = data.category("baz", parent=general)
    qux = data.category("qux", parent=general)
    foo = data.thread(author=alice, category=general, title="foo", text="Alice's foo", event=False)
    bar = data.thread(author=alice, category=general, title="bar", text="Alice's bar", event=False)
    in_baz = data.thread(author=carol, category=baz, title="carol in baz", text="hello baz", event=False)
    in_qux = data.thread(author=alice, category=qux, title="alice in qux", text="hello qux", event=False)
    first_post_block = data.head + 1
    posts = [
        data.post(thread=foo, author=carol, text=f"hi {mention(bob.id, 'bob')}"),
        data.post(
            thread=bar, author=carol, text=f"{mention(alice.id, 'alice')} agreed", replies_to=bar.initialPost
        ),
        data.post(thread=in_baz, author=carol, text="more about baz"),
        data.post(
            thread=in_qux,
            author=alice,
            text=f"note to {mention(alice.id, 'me')}",
            replies_to=in_qux.initialPost,
        ),
        data.post(
            thread=foo, author=carol, text=f"cc {mention(dave.id, 'dave')}", replies_to=foo.initialPost
        ),
        data.post(thread=in_qux, author=alice, text="talking to myself"),
    ]
    return WorkedExample(foo=foo, bar=bar, baz=baz, qux=qux, posts=posts, first_post_block=first_post_block)


@scenario("empty")
def empty(node: FakeQueryNode) -> None:
    """No data at all: the ingest finds nothing."""


@scenario("worked-example")
def worked_example(node: FakeQueryNode) -> None:
    """The six forum posts of docs/matching-rules.md's worked example (STARTING_BLOCK=0 reads them all)."""
    build_worked_example(node.data)


@scenario("sample")
def sample(node: FakeQueryNode) -> None:
    """One event of each handled type plus roles, for a first look at `manage.py notify`."""
    data = node.data
    alice = data.member(1, handle="alice")
    bob = data.member(2, handle="bob")
    data.worker(member=alice, group_id="forumWorkingGroup", is_lead=True)
    data.council(members=[bob])
    forum = data.category("Forum")
    thread = data.thread(author=alice, category=forum, title="Welcome", text=f"Hi {mention(2, 'bob')}")
    data.post(thread=thread, author=bob, text="Thanks!", replies_to=thread.initialPost)
    proposal = data.proposal(creator=alice, title="Fund the forum")
    data.proposal_post(proposal=proposal, author=bob, text="[@Council](#mention?role=council) please look")
    for stage in ("ANNOUNCING", "VOTING", "REVEALING"):
        data.election_stage(stage)


def _discover_scenario_modules() -> None:
    """Register the scenarios of every qn_ingest/fake_node/*_scenario.py (e.g. the `make demo` one):
    a scenario lives in its own module and needs no edit here."""
    package_dir = Path(__file__).parent
    for module in sorted(pkgutil.iter_modules([str(package_dir)])):
        if module.name.endswith("_scenario"):
            importlib.import_module(f"qn_ingest.fake_node.{module.name}")


_discover_scenario_modules()
