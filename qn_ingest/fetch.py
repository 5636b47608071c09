"""Reads from the query node for one ingest run: event pages, the earlier posts of a page's
threads, the forum category chains, the current roles and the councils in office at a page's
blocks (read per page that needs them). Categories and roles are read
once per run and cached in a QueryNodeReader, which lives only as long as the run; earlier
posts are read per page and not kept."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from qn_ingest import queries
from qn_ingest.client import QueryNodeClient, QueryNodeResponseError
from qn_ingest.events import CouncilTerm, Roles, Worker

logger = logging.getLogger(__name__)

ROLES_PAGE_SIZE = 500
CATEGORY_BATCH_SIZE = 500
TITLE_BATCH_SIZE = 200
# Posts per request when reading a page's earlier posts: bounds each answer, whatever the threads' size.
EARLIER_POSTS_PAGE_SIZE = 1000
# A parent chain longer than this is a loop in the data; stop rather than spin.
MAX_CATEGORY_DEPTH = 64


def _list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise QueryNodeResponseError(f"the query node's `{key}` answer is not a list of objects")
    return value


class QueryNodeReader:
    """One run's view of the query node, with its per-run caches."""

    def __init__(self, client: QueryNodeClient | None = None):
        self.client = client or QueryNodeClient()
        self._categories: dict[str, tuple[str, str | None]] = {}  # id -> (title, parent id)
        self._missing_categories: set[str] = set()
        self._roles: Roles | None = None
        self._council_terms: tuple[CouncilTerm, ...] = ()

    # --- events ----------------------------------------------------------------
    def events_page(self, *, block: int, exclude_ids: list[str], limit: int) -> list[dict[str, Any]]:
        """The next `limit` handled events from `block` on, without the ones already processed,
        in (inBlock, indexInBlock) order."""
        where: dict[str, Any] = {"type_in": list(queries.HANDLED_EVENT_TYPES), "inBlock_gte": block}
        if exclude_ids:
            where["NOT"] = [{"id_in": sorted(exclude_ids)}]
        events = _list(self.client.execute(queries.NOTIFY_EVENTS, {"where": where, "limit": limit}), "events")
        for event in events:
            if not isinstance(event.get("id"), str) or not isinstance(event.get("inBlock"), int):
                raise QueryNodeResponseError("the query node returned an event without id or inBlock")
        # The query orders by block and index already; sorting again (with the id last) keeps
        # the cursor correct even if a node ignores part of orderBy.
        return sorted(events, key=lambda e: (e["inBlock"], e.get("indexInBlock") or 0, e["id"]))

    # --- earlier posts of a page's threads ------------------------------------------
    def forum_posts_before(self, *, thread_ids: set[str], before: str) -> Iterator[list[dict[str, Any]]]:
        """The posts of these forum threads created strictly before `before` (threadId, authorId,
        createdAt), oldest first, one bounded answer at a time."""
        return self._posts_before(queries.FORUM_POSTS_BEFORE, "forumPosts", thread_ids, before)

    def proposal_discussion_posts_before(
        self, *, thread_ids: set[str], before: str
    ) -> Iterator[list[dict[str, Any]]]:
        """The same for proposal discussion threads (discussionThreadId, authorId, createdAt)."""
        return self._posts_before(
            queries.PROPOSAL_DISCUSSION_POSTS_BEFORE, "proposalDiscussionPosts", thread_ids, before
        )

    def _posts_before(
        self, document: str, key: str, thread_ids: set[str], before: str
    ) -> Iterator[list[dict[str, Any]]]:
        if not thread_ids:
            return
        variables: dict[str, Any] = {
            "threadIds": sorted(thread_ids),
            "before": before,
            "limit": EARLIER_POSTS_PAGE_SIZE,
            "offset": 0,
        }
        while True:
            page = _list(self.client.execute(document, variables), key)
            yield page
            if len(page) < EARLIER_POSTS_PAGE_SIZE:
                return
            variables["offset"] += EARLIER_POSTS_PAGE_SIZE

    # --- forum categories --------------------------------------------------------
    def categories_load(self, category_ids: set[str]) -> None:
        """Make sure these categories and all their ancestors are cached (one query per level)."""
        wanted = {cid for cid in category_ids if cid not in self._categories} - self._missing_categories
        for _ in range(MAX_CATEGORY_DEPTH):
            if not wanted:
                return
            found: set[str] = set()
            ids = sorted(wanted)
            for start in range(0, len(ids), CATEGORY_BATCH_SIZE):
                batch = ids[start : start + CATEGORY_BATCH_SIZE]
                data = self.client.execute(
                    queries.FORUM_CATEGORIES_BY_ID, {"ids": batch, "limit": len(batch)}
                )
                for category in _list(data, "forumCategories"):
                    self._categories[str(category["id"])] = (
                        str(category.get("title") or ""),
                        str(category["parentId"]) if category.get("parentId") else None,
                    )
                    found.add(str(category["id"]))
            self._missing_categories |= wanted - found
            parents = {self._categories[cid][1] for cid in found}
            wanted = {p for p in parents if p and p not in self._categories} - self._missing_categories

    def category_chain(self, category_id: str) -> tuple[str, ...]:
        """The category, then each parent up to the root (nearest first)."""
        chain: list[str] = []
        current: str | None = category_id
        while current and current not in chain and len(chain) < MAX_CATEGORY_DEPTH:
            chain.append(current)
            current = self._categories.get(current, ("", None))[1]
        return tuple(chain)

    def category_title(self, category_id: str) -> str:
        return self._categories.get(category_id, ("", None))[0]

    # --- titles ------------------------------------------------------------------
    def titles(self, *, document: str, key: str, ids: list[str]) -> dict[str, str]:
        """id -> title of the entities of one kind the query node knows, in one request per
        TITLE_BATCH_SIZE ids (`document` takes $ids and $limit and lists `id` and `title`
        under `key`). Ids it does not know are left out."""
        found: dict[str, str] = {}
        for start in range(0, len(ids), TITLE_BATCH_SIZE):
            batch = ids[start : start + TITLE_BATCH_SIZE]
            for item in _list(self.client.execute(document, {"ids": batch, "limit": len(batch)}), key):
                if item.get("id") is not None and isinstance(item.get("title"), str):
                    found[str(item["id"])] = item["title"]
        return found

    # --- roles -------------------------------------------------------------------
    def roles(self) -> Roles:
        """Active workers (group, lead flag) and the current council, read once per run."""
        if self._roles is None:
            self._roles = Roles(council_member_ids=self._council_member_ids(), workers=self._active_workers())
        return self._roles

    def _active_workers(self) -> tuple[Worker, ...]:
        workers: list[Worker] = []
        offset = 0
        while True:
            data = self.client.execute(queries.ACTIVE_WORKERS, {"limit": ROLES_PAGE_SIZE, "offset": offset})
            page = _list(data, "workers")
            for worker in page:
                try:
                    workers.append(
                        Worker(
                            member_id=int(worker["membershipId"]),
                            group_id=str(worker["groupId"]),
                            is_lead=bool(worker["isLead"]),
                        )
                    )
                except (KeyError, TypeError, ValueError):
                    logger.warning("Ignoring a malformed worker from the query node: %r", worker)
            if len(page) < ROLES_PAGE_SIZE:
                return tuple(workers)
            offset += ROLES_PAGE_SIZE

    def _council_member_ids(self) -> frozenset[int]:
        councils = _list(self.client.execute(queries.CURRENT_COUNCIL), "electedCouncils")
        if not councils:
            return frozenset()
        return self._member_ids(councils[0].get("councilMembers") or [])

    # --- councils in office, per page --------------------------------------------
    def council_terms_load(self, first_block: int, last_block: int) -> None:
        """Read the councils in office at some block of [first_block, last_block] (one paged
        query); council_member_ids_at answers for those blocks until the next load."""
        terms: list[CouncilTerm] = []
        variables = {
            "firstBlock": first_block,
            "lastBlock": last_block,
            "limit": ROLES_PAGE_SIZE,
            "offset": 0,
        }
        while True:
            page = _list(self.client.execute(queries.COUNCILS_IN_OFFICE, variables), "electedCouncils")
            for council in page:
                try:
                    terms.append(
                        CouncilTerm(
                            elected_at=int(council["electedAtBlock"]),
                            ended_at=None
                            if council.get("endedAtBlock") is None
                            else int(council["endedAtBlock"]),
                            member_ids=self._member_ids(council.get("councilMembers") or []),
                        )
                    )
                except (KeyError, TypeError, ValueError):
                    logger.warning("Ignoring a malformed council from the query node: %r", council)
            if len(page) < ROLES_PAGE_SIZE:
                break
            variables["offset"] += ROLES_PAGE_SIZE
        self._council_terms = tuple(terms)

    def council_member_ids_at(self, block: int) -> frozenset[int]:
        """The members of the council in office at `block` (the latest elected at or before it
        that had not ended by then); empty when none was loaded."""
        in_office = [term for term in self._council_terms if term.in_office_at(block)]
        return max(in_office, key=lambda term: term.elected_at).member_ids if in_office else frozenset()

    @staticmethod
    def _member_ids(members: list) -> frozenset[int]:
        ids = set()
        for member in members:
            try:
                ids.add(int(member["memberId"]))
            except (KeyError, TypeError, ValueError):
                logger.warning("Ignoring a malformed council member from the query node: %r", member)
        return frozenset(ids)
