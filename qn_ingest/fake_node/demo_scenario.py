"""The `demo` scenario of the fake query node, served by `make demo`.

Two demo members, alice (1) and bob (2), are the ones `make demo` registers in Pioneer
Notify. Around them a small DAO is busy: a forum with categories, a council, a forum
working group, a funding proposal under discussion and a council election. Once the server
runs, a new on-chain action appears every few seconds, each one reaching alice or bob
through a different rule (thread creator, mention, reply, contributor, proposal creator,
election stages), so the API and var/demo/mail/ fill up within a minute. Twice the chain jumps to
the last day of an election stage, and the fake chain `make demo` runs beside the query node (its
head is the newest block here) makes the deadline reminders come due: bob, who has not voted, is
reminded to vote; alice, who voted, to reveal her vote. Each last day lasts three actions (12 s,
more than the demo's 10 s between ingests), so an ingest always sees it. Meanwhile the forum
working group, where bob works, opens a role that alice applies for, gets a budget top-up and
pays a bounty (bob hears of each as a worker of the group), and the election ends with a new
council that alice is elected to (bob hears that a new council was elected). After the script
the forum keeps chatting, one post every PACE * 3 seconds, until the process stops.
"""

from __future__ import annotations

import itertools
import threading
import time

from qn_ingest.fake_node import council
from qn_ingest.fake_node.scenarios import mention, scenario
from qn_ingest.fake_node.server import FakeQueryNode
from qn_ingest.fake_node.store import QueryNodeData
from qn_ingest.fake_node.working_groups import WorkingGroupChain

PACE = 4.0  # seconds between two scripted actions
ALICE, BOB, CAROL, DAVE, ERIN = "1", "2", "3", "4", "5"
# The voting and revealing stages last 57600 blocks each in the runtime the fake chain serves
# (specVersion 2004); a jump to 20 hours before a stage's end opens its reminder window.
STAGE_BLOCKS = 57600
LAST_DAY = STAGE_BLOCKS - 20 * 600


def build_world(data: QueryNodeData) -> dict:
    """What exists before the demo starts: no events, so nothing is notified for it."""
    data.member(1, handle="alice")
    data.member(2, handle="bob")
    data.member(3, handle="carol")
    data.member(4, handle="dave")
    data.member(5, handle="erin")
    data.council(members=[CAROL, DAVE, ERIN])
    data.worker(member=DAVE, group_id="forumWorkingGroup", is_lead=True)
    data.worker(member=ERIN, group_id="forumWorkingGroup")
    data.worker(member=BOB, group_id="forumWorkingGroup")
    governance = data.category("Governance")
    budgets = data.category("Budgets", parent=governance)
    general = data.category("General")
    world = {
        "budgets": budgets,
        "general": general,
        "budget_thread": data.thread(
            author=ALICE,
            category=budgets,
            title="Council budget for the next term",
            text="Here is my draft of the council budget. Comments welcome before Friday.",
            event=False,
        ),
        "wallet_thread": data.thread(
            author=BOB,
            category=general,
            title="Which wallet do you use for staking?",
            text="I am moving my stake and would like to hear what works for you.",
            event=False,
        ),
        "proposal": data.proposal(creator=BOB, title="Fund the Pioneer translation effort"),
        "working_groups": WorkingGroupChain(data),
    }
    return world


def script(data: QueryNodeData, world: dict) -> list:
    """The scripted actions, in order; each is a zero-argument callable."""
    budget, wallets, proposal = world["budget_thread"], world["wallet_thread"], world["proposal"]
    working_groups = world["working_groups"]
    return [
        # alice: FORUM_POST_REPLY (a reply to her opening post)
        lambda: data.post(
            thread=budget,
            author=CAROL,
            text="The marketing line looks high compared to last term. Can we split it by quarter?",
            replies_to=budget.initialPost,
        ),
        # bob: FORUM_POST_MENTION (also the thread creator; the mention wins)
        lambda: data.post(
            thread=wallets,
            author=DAVE,
            text=f"{mention(2, 'bob')} I use the Polkadot.js extension with a Ledger, works fine.",
        ),
        # alice: FORUM_THREAD_MENTION
        lambda: data.thread(
            author=ERIN,
            category=world["general"],
            title="Forum moderation guidelines, second draft",
            text=f"Updated after the last meeting. {mention(1, 'alice')} could you review section 3?",
        ),
        # bob: PROPOSAL_DISCUSSION_CREATOR
        lambda: data.proposal_post(
            proposal=proposal,
            author=CAROL,
            text="Supportive. Which languages come first, and who reviews the translations?",
        ),
        # alice: PROPOSAL_DISCUSSION_MENTION
        lambda: data.proposal_post(
            proposal=proposal,
            author=DAVE,
            text=f"{mention(1, 'alice')} you translated the docs last year, any estimate for the effort?",
        ),
        # alice and bob: ELECTION_ANNOUNCING_STARTED
        lambda: data.election_stage("ANNOUNCING"),
        # alice: FORUM_THREAD_CREATOR; bob: FORUM_THREAD_CONTRIBUTOR after he posts below
        lambda: data.post(thread=budget, author=BOB, text="Agree with Carol, quarterly tranches are safer."),
        lambda: data.post(
            thread=budget,
            author=DAVE,
            text="Updated the spreadsheet with quarterly numbers, see the second tab.",
        ),
        # alice and bob: ELECTION_VOTING_STARTED
        lambda: world.update(voting=data.election_stage("VOTING").inBlock),
        # alice votes (from her controller account); bob does not
        lambda: council.vote(data, account=data.members[ALICE].controllerAccount),
        # days later, the voting stage's last day: bob gets ELECTION_VOTING_LAST_DAY
        lambda: data.post(
            thread=budget,
            author=CAROL,
            text="Less than a day left to vote in the council election, everyone.",
            block=world["voting"] + LAST_DAY,
        ),
        # Three actions (12 s at PACE, more than the demo's NOTIFY_INTERVAL_SECONDS) before the stage
        # changes, so that an ingest runs while the last day is on and the reminder comes due.
        # bob, a worker of the forum working group: WG_OPENING_WORKER
        lambda: world.update(
            opening=working_groups.opening("forumWorkingGroup", title="Forum moderator, weekend shifts")
        ),
        # bob: WG_APPLICATION_WORKER (alice, the applicant, is not told of her own application)
        lambda: working_groups.apply(world["opening"], member=ALICE),
        # bob: FORUM_POST_REPLY (a reply to his opening post)
        lambda: data.post(
            thread=wallets,
            author=ERIN,
            text="A Ledger too. Whatever you pick, keep the controller and stash accounts apart.",
            replies_to=wallets.initialPost,
        ),
        # bob: ELECTION_REVEALING_STARTED; alice, who voted: ELECTION_REVEALING_VOTER
        lambda: world.update(revealing=data.election_stage("REVEALING").inBlock),
        # the revealing stage's last day: alice gets ELECTION_REVEALING_LAST_DAY_VOTER
        lambda: data.post(
            thread=budget,
            author=DAVE,
            text="Reminder: reveal your votes before the revealing stage ends.",
            block=world["revealing"] + LAST_DAY,
        ),
        # Again three actions before the stage ends.
        # bob: WG_BUDGET_UPDATE_WORKER (+25,000 JOY; 1 JOY is 10^10 of the chain's units)
        lambda: working_groups.budget_updated("forumWorkingGroup", 25_000 * 10**10),
        # bob: WG_SPENDING_WORKER
        lambda: working_groups.spend(
            "forumWorkingGroup",
            1_500 * 10**10,
            receiver=data.members[ERIN].controllerAccount,
            rationale="Moderation bounty for the weekend shifts",
        ),
        # alice: FORUM_THREAD_CREATOR; bob: FORUM_THREAD_CONTRIBUTOR
        lambda: data.post(thread=budget, author=ERIN, text="Results of the election are coming in."),
        # the revealing stage ends with a new council: alice, elected, gets
        # ELECTION_COUNCIL_ELECTED_ME; bob gets ELECTION_COUNCIL_ELECTED
        lambda: council.council_elected(
            data, members=[ALICE, CAROL, DAVE], block=world["revealing"] + STAGE_BLOCKS
        ),
    ]


CHATTER = [
    "Thanks for the summary, this helps.",
    "Could we put this on the agenda of the next council call?",
    "I have added a few comments to the document.",
    "+1, let's move forward with this.",
]


def publish_forever(data: QueryNodeData, world: dict, *, pace: float = PACE) -> None:
    for action in script(data, world):
        time.sleep(pace)
        action()
    for text, author in zip(itertools.cycle(CHATTER), itertools.cycle([CAROL, DAVE, ERIN]), strict=False):
        time.sleep(pace * 3)
        data.post(thread=world["budget_thread"], author=author, text=text)


@scenario("demo")
def demo(node: FakeQueryNode) -> None:
    """`make demo`: a small DAO whose members act every few seconds (see the module docstring)."""
    world = build_world(node.data)
    publisher = threading.Thread(target=publish_forever, args=(node.data, world), name="demo-publisher")
    publisher.daemon = True  # stops with the server
    publisher.start()
