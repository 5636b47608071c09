"""The families of the kinds table: what a group of kinds share in their emails and links
(header word, button, link, crumbs, facts, template). Kinds name their family in
subscriptions.kinds; presentation and emails read it from there."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """What a group of kinds share in their emails and links.

    `link` is a path under PIONEER_URL (fields URL-quoted); when the data lacks one of its
    fields (an imported row), the notification links to `section` instead. `crumbs` say where it
    happened, above the heading, and `facts` are (label, value) lines under it: a crumb or fact
    whose fields are missing from the data is left out."""

    name: str
    eyebrow: str  # the word in the email's header bar
    cta_label: str  # the email's button
    link: str
    section: str  # the area of Pioneer the family belongs to
    crumbs: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    template: str = "emails/notification"  # <template>.subject.txt / .txt / .html
    excerpt_part: str = "post"  # the part of the data whose `excerpt` the email quotes
    digest_heading: str = ""  # the family's heading in a digest email; the eyebrow when empty


# A reminder's deadline (its stored `deadline` part); left out of the other kinds' emails.
_DEADLINE_FACTS = (
    ("Deadline", "{deadline_time}"),
    ("Time left", "{deadline_left}"),
    ("At block", "#{deadline_block}"),
)

FORUM_POST = Family(
    "forum_post",
    eyebrow="Forum",
    cta_label="View the post",
    link="/#/forum/thread/{thread_id}?post={post_id}",
    section="/#/forum",
    crumbs=("{category}", "{thread}"),
    digest_heading="Forum posts",
)
FORUM_THREAD = Family(
    "forum_thread",
    eyebrow="Forum",
    cta_label="Open the thread",
    link="/#/forum/thread/{thread_id}",
    section="/#/forum",
    crumbs=("{category}", "{thread}"),
    digest_heading="New forum threads",
)
PROPOSAL_DISCUSSION = Family(
    "proposal_discussion",
    eyebrow="Proposals",
    cta_label="Join the discussion",
    link="/#/proposals/preview/{proposal_id}?post={post_id}",
    section="/#/proposals",
    crumbs=("Proposal #{proposal_id}",),
    digest_heading="Proposal discussions",
)
PROPOSAL = Family(
    "proposal",
    eyebrow="Proposals",
    cta_label="View the proposal",
    link="/#/proposals/preview/{proposal_id}",
    section="/#/proposals",
    crumbs=("Proposal #{proposal_id}",),
    facts=(("Status", "{status_change}"), ("Execution error", "{status_error}"), *_DEADLINE_FACTS),
)
PROPOSAL_VOTE = Family(
    "proposal_vote",
    eyebrow="Proposals",
    cta_label="See the votes",
    link="/#/proposals/preview/{proposal_id}",
    section="/#/proposals",
    crumbs=("Proposal #{proposal_id}",),
    facts=(("Vote", "{vote}"), ("Voting round", "{vote_round}")),
    excerpt_part="vote",
)
PROPOSAL_COUNCIL = Family(
    "proposal_council",
    eyebrow="Council",
    cta_label="Cast your vote",
    link="/#/proposals/preview/{proposal_id}",
    section="/#/proposals",
    crumbs=("Proposal #{proposal_id}",),
    facts=(("Status", "{status_change}"), *_DEADLINE_FACTS),
)
ELECTION = Family(
    "election",
    eyebrow="Council election",
    cta_label="Go to the election",
    link="/#/election",
    section="/#/election",
    facts=(("Election cycle", "#{election_cycle_id}"), *_DEADLINE_FACTS),
)
COUNCIL = Family(
    "council",
    eyebrow="Council",
    cta_label="Meet the new council",
    link="/#/council",
    section="/#/council",
)
ELECTION_CANDIDACY = Family(
    "election_candidacy",
    eyebrow="Council election",
    cta_label="See the candidates",
    link="/#/election",
    section="/#/election",
)
# Working groups (docs/kinds/working-groups.md): openings and applications lead to the opening,
# everything else to the group's page. Facts whose fields an event lacks are left out.
WG_OPENING = Family(
    "wg_opening",
    eyebrow="Working groups",
    cta_label="View the opening",
    link="/#/working-groups/openings/{opening_id}",
    section="/#/working-groups",
    crumbs=("{group}",),
    facts=(("Opening", "{opening}"), ("Applicant", "{applicant}")),
)
WORKING_GROUP = Family(
    "working_group",
    eyebrow="Working groups",
    cta_label="Go to the working group",
    link="/#/working-groups/{group_param}",
    section="/#/working-groups",
    crumbs=("{group}",),
    facts=(
        ("Opening", "{opening}"),
        ("Applicant", "{applicant}"),
        ("Hired", "{hired_handles}"),
        ("Lead", "{lead}"),
        ("Worker", "{worker}"),
        ("Budget change", "{budget_change}"),
        ("New budget", "{budget_new}"),
        ("Amount spent", "{spending_amount}"),
        ("Paid to", "{spending_receiver}"),
        ("Rationale", "{rationale_text}"),
    ),
)
