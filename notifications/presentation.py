"""What a notification says and where it leads, from its stored display data.

The single place that turns `Notification.data` into words and Pioneer links, used
by the in-app feed and the emails alike. Pure functions of (kind, data, base URL).

`data` (written by the ingest) holds, depending on the event:
  {"event_type": "...", "author": {"id": 1, "handle": "alice"},
   "thread": {"id": "5", "title": "..."}, "category": {"id": "3", "title": "..."},
   "post": {"id": "55", "excerpt": "plain text, at most 300 chars"},
   "proposal": {"id": "9", "title": "..."},
   "election": {"stage": "ANNOUNCING" | "VOTING" | "REVEALING", "cycle_id": "4"},
   "watched": {"id": "3"}}  # entity kinds only: the watched thread/category/proposal that matched
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings

ELECTION_STAGE_NAMES = {"ANNOUNCING": "announcing", "VOTING": "voting", "REVEALING": "revealing"}
ELECTION_KIND_STAGES = {
    "ELECTION_ANNOUNCING_STARTED": "ANNOUNCING",
    "ELECTION_VOTING_STARTED": "VOTING",
    "ELECTION_REVEALING_STARTED": "REVEALING",
}


def _base(base_url: str | None) -> str:
    return (base_url or settings.PIONEER_URL).rstrip("/")


def data_part(data: dict, key: str) -> dict:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _id(data: dict, key: str) -> str:
    return quote(str(data_part(data, key).get("id", "")), safe="")


def watched_entity_id(data: dict) -> str | None:
    """The watched thread, category or proposal an entity-kind notification came from."""
    value = data_part(data, "watched").get("id")
    return str(value) if value is not None else None


def kind_family(kind: str) -> str:
    """forum_post, forum_thread, proposal_discussion or election: one template set each."""
    if kind.startswith("ELECTION_"):
        return "election"
    if kind.startswith("PROPOSAL_"):
        return "proposal_discussion"
    if kind in {"FORUM_THREAD_ALL", "FORUM_THREAD_MENTION", "FORUM_CATEGORY_ENTITY_THREAD"}:
        return "forum_thread"
    return "forum_post"


def notification_link(kind: str, data: dict, base_url: str | None = None) -> str:
    base = _base(base_url)
    family = kind_family(kind)
    if family == "forum_post":
        return f"{base}/#/forum/thread/{_id(data, 'thread')}?post={_id(data, 'post')}"
    if family == "forum_thread":
        return f"{base}/#/forum/thread/{_id(data, 'thread')}"
    if family == "proposal_discussion":
        return f"{base}/#/proposals/preview/{_id(data, 'proposal')}?post={_id(data, 'post')}"
    return f"{base}/#/election"


def settings_link(base_url: str | None = None) -> str:
    return f"{_base(base_url)}/#/settings"


def election_stage_name(kind: str, data: dict) -> str:
    stage = data_part(data, "election").get("stage") or ELECTION_KIND_STAGES.get(kind, "")
    return ELECTION_STAGE_NAMES.get(stage, "new")


def notification_message(kind: str, data: dict) -> str:
    """One line for the feed, e.g. "alice replied to your post in Thread title"."""
    who = data_part(data, "author").get("handle") or "Someone"
    thread = data_part(data, "thread").get("title") or "a thread"
    proposal = data_part(data, "proposal").get("title") or "a proposal"
    category = data_part(data, "category").get("title") or "a category"
    messages = {
        "FORUM_POST_MENTION": f"{who} mentioned you in {thread}",
        "FORUM_POST_REPLY": f"{who} replied to your post in {thread}",
        "FORUM_THREAD_CREATOR": f"{who} posted in your thread {thread}",
        "FORUM_THREAD_CONTRIBUTOR": f"{who} posted in {thread}, a thread you posted in",
        "FORUM_THREAD_ENTITY_POST": f"{who} posted in {thread}, a thread you watch",
        "FORUM_CATEGORY_ENTITY_POST": f"{who} posted in {thread} in {category}, a category you watch",
        "FORUM_POST_ALL": f"{who} posted in {thread}",
        "FORUM_THREAD_MENTION": f"{who} mentioned you in a new thread: {thread}",
        "FORUM_CATEGORY_ENTITY_THREAD": f"{who} started {thread} in {category}, a category you watch",
        "FORUM_THREAD_ALL": f"{who} started a new thread: {thread}",
        "PROPOSAL_DISCUSSION_MENTION": f"{who} mentioned you in the discussion of {proposal}",
        "PROPOSAL_DISCUSSION_REPLY": f"{who} replied to your post on {proposal}",
        "PROPOSAL_DISCUSSION_CREATOR": f"{who} commented on your proposal {proposal}",
        "PROPOSAL_DISCUSSION_CONTRIBUTOR": f"{who} commented on {proposal}, a proposal you discussed",
        "PROPOSAL_ENTITY_DISCUSSION": f"{who} commented on {proposal}, a proposal you watch",
        "PROPOSAL_DISCUSSION_ALL": f"{who} commented on {proposal}",
    }
    if kind in messages:
        return messages[kind]
    if kind.startswith("ELECTION_"):
        return f"The council election {election_stage_name(kind, data)} period has started"
    return f"New activity: {kind}"
