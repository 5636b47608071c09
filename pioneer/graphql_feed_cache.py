"""The feed's answers, cached: the front-end polls the same feed query every few seconds and the
answer rarely changes between two polls.

What is cached: the JSON body of a POST whose selected operation is a query reading nothing but
`notifications` and `notificationsCount` (aliases and directives allowed), and only when it
answered without any error. Keyed by the member's id and feed version, a hash of the document
text, the variables and the operation name, and the settings that shape the answer or its
validation (SETTINGS); kept FEED_CACHE_TTL_SECONDS (0 turns the cache off) in the cache alias
"feed" (Redis when CACHE_URL names one, else the process's memory; pioneer/settings.py). The
hook is PioneerGraphQLView.get_response (pioneer/graphql_view.py); which documents qualify is
read from the view's cache of validated documents (pioneer/graphql_documents.py).

Why it is never stale: the version (NotificationCount.version, migration 0008) is bumped by
database triggers on every insert, update or delete of one of the member's feed rows, whoever
writes it (the ingest's COPY, mark read, the admin, cascades, TRUNCATE), and never goes back.
The version is read before the answer is computed, so an answer stored under version v reflects
a state at least as new as v, and nobody reads v once a change has committed.

Why authorization is unchanged: the bearer token is checked first (signature, expiry, type) as
the resolvers do, and the version is read joined to the member's row; no valid token or no
member: no lookup, and the request runs as usual (and is refused as usual). A hit is one query
(the version) and one cache read; it skips execution and serialisation, which is right because
the very same document, variables and settings answered without error before.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from graphql import FieldNode, GraphQLSchema, OperationType, get_operation_ast

from members.tokens import member_id_from_request
from notifications.selectors import feed_version
from pioneer.graphql_documents import documents

logger = logging.getLogger("pioneer.graphql")

CACHED_FIELDS = frozenset({"notifications", "notificationsCount"})
# What else decides the answer or whether it is refused: the links' base URL and the document
# rules. Code changes (the messages' wording) are not in the key: they last at most the TTL.
SETTINGS = (
    "PIONEER_URL",
    "GRAPHQL_EXPLORER",
    "GRAPHQL_MAX_TOKENS",
    "GRAPHQL_MAX_BODY_BYTES",
    "GRAPHQL_MAX_QUERY_CHARS",
    "GRAPHQL_MAX_DEPTH",
    "GRAPHQL_MAX_ALIASES",
)


@dataclass(frozen=True)
class FeedCacheEntry:
    """One request's place in the cache: `body` is the cached answer, or None (store it)."""

    key: str
    body: str | None

    def store(self, body: str | None, status: int) -> None:
        # Only answers without errors: their JSON is {"data": ...} alone (graphene-django's order).
        if body is not None and status == 200 and body.startswith('{"data":'):
            try:
                caches["feed"].set(self.key, body, settings.FEED_CACHE_TTL_SECONDS)
            except Exception:  # an unreachable cache costs speed, never the answer
                logger.warning("The feed cache could not store an answer", exc_info=True)


def feed_cache_entry(request, data, schema: GraphQLSchema) -> FeedCacheEntry | None:
    """The cache entry of this request, or None when it is not a cached kind of request (or the
    token or member is not valid: then it runs, and is refused, as without the cache)."""
    if settings.FEED_CACHE_TTL_SECONDS <= 0 or request.method != "POST" or request.GET.get("pretty"):
        return None
    query, variables, operation_name = data.get("query"), data.get("variables"), data.get("operationName")
    if not isinstance(query, str) or not isinstance(variables, dict | None):
        return None
    if not isinstance(operation_name, str | None) or len(query) > settings.GRAPHQL_MAX_QUERY_CHARS:
        return None
    if not hasattr(request, "_pioneer_member_id"):  # shared with pioneer.graphql's decorators
        request._pioneer_member_id = member_id_from_request(request)
    member_id = request._pioneer_member_id
    if member_id is None or not _reads_only_the_feed(schema, query, operation_name):
        return None
    version = feed_version(member_id)
    if version is None:
        return None
    shape = json.dumps(
        [[getattr(settings, name) for name in SETTINGS], query, variables, operation_name],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    request_hash = hashlib.sha256(shape.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"{member_id}:{version}:{request_hash}"
    try:
        body = caches["feed"].get(key)
    except Exception:  # an unreachable cache: answered as without it
        logger.warning("The feed cache could not be read", exc_info=True)
        body = None
    return FeedCacheEntry(key=key, body=body)


def _reads_only_the_feed(schema: GraphQLSchema, query: str, operation_name: str | None) -> bool:
    """Whether the document is valid and its operation a query whose every top-level selection
    is a cached field. The document comes from the view's own cache (pioneer.graphql_documents),
    which the request would use next anyway."""
    prepared = documents.prepare(schema, query)
    if prepared.refusal or prepared.validation_errors:
        return False
    operation = get_operation_ast(prepared.document, operation_name)
    if operation is None or operation.operation != OperationType.QUERY:
        return False
    selections = operation.selection_set.selections
    return bool(selections) and all(
        isinstance(selection, FieldNode) and selection.name.value in CACHED_FIELDS for selection in selections
    )
