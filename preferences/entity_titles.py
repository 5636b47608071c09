"""Titles and Pioneer links of the entities a member watches or mutes, for the preferences page.

Titles come from the query node through qn_ingest's reader, with a short timeout and one
attempt: a person is waiting for the page. Answers are kept in Django's cache (found titles
for a day, unknown ids for an hour), and a failure marks the query node as down for a minute,
so a page never waits on it twice in a row. Whatever is missing is shown by its id: the page
renders with the query node down.

ENTITY_SOURCES has one row per kind of entity (Entity values of the kinds table): how to ask
the query node for titles, how to show one, and where the entity lives in Pioneer. An entity
unknown to the query node shows its id; one without a row also links to Pioneer's home.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache

from notifications.pioneer_format import group_name, group_url_param
from qn_ingest import queries
from qn_ingest.client import QueryNodeClient, QueryNodeError
from qn_ingest.fetch import QueryNodeReader

logger = logging.getLogger(__name__)

TITLE_TIMEOUT_SECONDS = 2.0
FOUND_TTL_SECONDS = 24 * 3600
UNKNOWN_TTL_SECONDS = 3600
DOWN_TTL_SECONDS = 60
_CACHE_PREFIX = "preferences:entity-title"
_DOWN_KEY = f"{_CACHE_PREFIX}:query-node-down"
_UNKNOWN = ""  # cached for ids the query node does not know


def _as_is(title: str) -> str:
    return title


def path_with_id(pattern: str) -> Callable[[str], str]:
    """The path of an entity whose Pioneer route holds its id: `pattern`'s `{id}`, URL-quoted."""
    return lambda entity_id: pattern.format(id=quote(entity_id, safe=""))


def working_group_path(group_id: str) -> str:
    """Pioneer routes a group by its URL parameter (`operationsWorkingGroupBeta` → `hr`)."""
    return f"/#/working-groups/{quote(group_url_param(group_id), safe='')}"


@dataclass(frozen=True)
class EntitySource:
    document: str  # takes $ids and $limit, lists `id` and `title` under `key`
    key: str
    path: Callable[[str], str]  # entity id -> its path under PIONEER_URL
    shown: Callable[[str], str] = _as_is  # the query node's title -> what the page shows


ENTITY_SOURCES: dict[str, EntitySource] = {
    "thread": EntitySource(queries.FORUM_THREAD_TITLES, "forumThreads", path_with_id("/#/forum/thread/{id}")),
    "category": EntitySource(
        queries.FORUM_CATEGORY_TITLES, "forumCategories", path_with_id("/#/forum/category/{id}")
    ),
    "proposal": EntitySource(queries.PROPOSAL_TITLES, "proposals", path_with_id("/#/proposals/preview/{id}")),
    # The query node names a group by its id ("operationsWorkingGroupBeta"); Pioneer says "HR".
    "working_group": EntitySource(
        queries.WORKING_GROUP_TITLES, "workingGroups", working_group_path, shown=group_name
    ),
}


def entity_link(entity: str, entity_id: str) -> str:
    base = settings.PIONEER_URL.rstrip("/")
    source = ENTITY_SOURCES.get(entity)
    return f"{base}{source.path(entity_id)}" if source else f"{base}/"


def _key(entity: str, entity_id: str) -> str:
    # Query-node ids are short and plain, but cache keys must stay safe for every backend.
    return f"{_CACHE_PREFIX}:{entity}:{quote(entity_id, safe='')}"


def entity_titles(refs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(entity, id) -> title for those whose title is known (cached or read now)."""
    keys = {ref: _key(*ref) for ref in refs if ref[0] in ENTITY_SOURCES}
    cached = cache.get_many(list(keys.values()))
    titles = {ref: cached[key] for ref, key in keys.items() if cached.get(key)}
    missing: dict[str, list[str]] = {}
    for (entity, entity_id), key in keys.items():
        if key not in cached:
            missing.setdefault(entity, []).append(entity_id)
    if missing and not cache.get(_DOWN_KEY):
        titles.update(_read(missing))
    return titles


def _read(missing: dict[str, list[str]]) -> dict[tuple[str, str], str]:
    reader = QueryNodeReader(
        QueryNodeClient(
            timeout_seconds=min(settings.QUERY_NODE_TIMEOUT_SECONDS, TITLE_TIMEOUT_SECONDS), max_attempts=1
        )
    )
    titles: dict[tuple[str, str], str] = {}
    for entity, ids in sorted(missing.items()):
        source = ENTITY_SOURCES[entity]
        try:
            read = reader.titles(document=source.document, key=source.key, ids=sorted(ids))
        except QueryNodeError as exc:
            logger.warning("Entity titles unavailable, showing ids for a while: %s", exc)
            cache.set(_DOWN_KEY, True, DOWN_TTL_SECONDS)
            break
        found = {entity_id: source.shown(title) for entity_id, title in read.items()}
        cache.set_many({_key(entity, i): found[i] for i in ids if found.get(i)}, FOUND_TTL_SECONDS)
        cache.set_many({_key(entity, i): _UNKNOWN for i in ids if not found.get(i)}, UNKNOWN_TTL_SECONDS)
        titles.update({(entity, i): found[i] for i in ids if found.get(i)})
    return titles
