"""The GraphQL endpoint and what guards it: no traceback, SQL or internal detail ever reaches a
client, and a request's cost is bounded before work is done (README "Guarantees").

In order: the body (JSON only, at most GRAPHQL_MAX_BODY_BYTES, no lone surrogates, no
nesting the JSON decoder cannot follow), the query's length (GRAPHQL_MAX_QUERY_CHARS), the
document (at most GRAPHQL_MAX_TOKENS tokens, then pioneer.graphql_limits' shape rules) and the
schema's own validation, whose outcome pioneer.graphql_documents remembers per document text,
and while it runs a time budget and argument checks before every resolver.
"""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError, OperationType, execute, get_operation_ast

from pioneer.errors import DomainError, ErrorCode, invalid_input
from pioneer.graphql_documents import documents
from pioneer.graphql_execution import FlatListExecutionContext
from pioneer.graphql_feed_cache import feed_cache_entry

logger = logging.getLogger("pioneer.graphql")

_SUGGESTION = re.compile(r" Did you mean [^?]*\?")


def _strings(value: Any):
    """Every string in a decoded JSON value, keys included; iterative, whatever the nesting."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _is_unicode(text: str) -> bool:
    """False for a lone surrogate ("\\ud800" in JSON): no database or email can store it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text_refusal(value: Any) -> str | None:
    for text in _strings(value):
        if "\x00" in text:
            return "Text arguments must not contain NUL characters"
        if not _is_unicode(text):
            return "Text must be valid Unicode (a lone surrogate such as \\ud800 is not)"
    return None


def _bad_request(message: str, status: int = 400) -> HttpError:
    return HttpError(HttpResponse(status=status, content=message))


class ArgumentGuardMiddleware:
    """Before every resolver: the request's time budget is not spent, and no argument holds
    text PostgreSQL or an email cannot carry (NUL, lone surrogates written as GraphQL escapes).
    Refused for every field at once, instead of failing deep in a query with an internal error."""

    def resolve(self, next_, root, info, **args):
        deadline = getattr(info.context, "pioneer_deadline", None)
        if deadline is not None and time.monotonic() > deadline:
            budget = settings.GRAPHQL_REQUEST_TIME_BUDGET_SECONDS
            message = f"The request ran out of its time budget ({budget:g} s)"
            raise DomainError(message, ErrorCode.REQUEST_TIMEOUT)
        if args:
            refusal = _text_refusal(args)
            if refusal is not None:
                raise invalid_input(refusal)
        return next_(root, info, **args)


class PioneerGraphQLView(GraphQLView):
    """GraphQL over HTTP for the Pioneer UI.

    format_error is the one place a failure becomes what the client reads: a DomainError
    (raised on purpose by a service or resolver) reaches the client as its message and
    `extensions.code`; graphql-core's own errors (parse, validation, coercion) as they are.
    Anything else is logged and replaced by a generic message, so no traceback, SQL or
    internal detail ever leaves the server.
    """

    # Lists of flat objects (the feed) completed in one loop per object: pioneer/graphql_execution.py.
    execution_context_class = FlatListExecutionContext

    def dispatch(self, request, *args, **kwargs):
        request.pioneer_deadline = time.monotonic() + settings.GRAPHQL_REQUEST_TIME_BUDGET_SECONDS
        return super().dispatch(request, *args, **kwargs)

    def get_response(self, request, data, show_graphiql=False):
        # The polled feed's answer, cached per member and feed version: pioneer/graphql_feed_cache.py.
        cached = None if show_graphiql else feed_cache_entry(request, data, self.schema.graphql_schema)
        if cached is not None and cached.body is not None:
            return cached.body, 200
        body, status = super().get_response(request, data, show_graphiql)
        if cached is not None:
            cached.store(body, status)
        return body, status

    def can_display_graphiql(self, request, data):
        return settings.GRAPHQL_EXPLORER and super().can_display_graphiql(request, data)

    def parse_body(self, request):
        if request.method != "POST":
            return {}
        if self.get_content_type(request) != "application/json":
            raise _bad_request("POST bodies must be JSON (Content-Type: application/json)")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.GRAPHQL_MAX_BODY_BYTES:
            raise _bad_request(f"The body may be at most {settings.GRAPHQL_MAX_BODY_BYTES} bytes", 413)
        try:
            data = json.loads(request.body.decode("utf-8"))
        except RecursionError as exc:
            raise _bad_request("POST body nests too deeply") from exc
        except ValueError as exc:  # invalid UTF-8 or JSON
            raise _bad_request("POST body sent invalid JSON.") from exc
        if not isinstance(data, dict):
            raise _bad_request("The body must be a JSON object with a query")
        return data

    @staticmethod
    def get_graphql_params(request, data):
        # graphene-django passes a body's values on as they are; graphql-core then fails with
        # a TypeError (an "Internal server error") on a non-string query or non-object variables.
        query, variables, operation_name, id_ = GraphQLView.get_graphql_params(request, data)
        if query is not None and not isinstance(query, str):
            raise HttpError(HttpResponseBadRequest("query must be a string"))
        if variables is not None and not isinstance(variables, dict):
            raise HttpError(HttpResponseBadRequest("variables must be a JSON object"))
        if operation_name is not None and not isinstance(operation_name, str):
            raise HttpError(HttpResponseBadRequest("operationName must be a string"))
        if query is not None and len(query) > settings.GRAPHQL_MAX_QUERY_CHARS:
            # Before the parser, whose every token costs tens of microseconds of held GIL.
            raise _bad_request(f"The query may be at most {settings.GRAPHQL_MAX_QUERY_CHARS} characters")
        refusal = _text_refusal([query, variables, operation_name])
        if refusal is not None:
            raise HttpError(HttpResponseBadRequest(refusal))
        return query, variables, operation_name, id_

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        """graphene-django's, with the cost limits first. Mutations are not wrapped in one
        transaction (ATOMIC_MUTATIONS is off: each service opens its own)."""
        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest("Must provide query string."))
        prepared = documents.prepare(self.schema.graphql_schema, query)
        if prepared.refusal:
            return ExecutionResult(data=None, errors=list(prepared.refusal))
        document = prepared.document
        operation = get_operation_ast(document, operation_name)
        if request.method == "GET" and operation is not None and operation.operation != OperationType.QUERY:
            if show_graphiql:
                return None
            raise HttpError(
                HttpResponseNotAllowed(
                    ["POST"], f"Can only perform a {operation.operation.value} operation from a POST request."
                )
            )
        if prepared.validation_errors:
            return ExecutionResult(data=None, errors=list(prepared.validation_errors))
        try:
            return execute(
                self.schema.graphql_schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
                execution_context_class=self.execution_context_class,
            )
        except Exception as exc:  # formatted (and logged) by format_error like any other
            return ExecutionResult(errors=[exc])

    @staticmethod
    def format_error(error):
        if isinstance(error, GraphQLError):
            original = error.original_error
            if isinstance(original, DomainError):
                # The located error's own locations and path: a new GraphQLError would find the
                # locations in the document again, scanning its text once per error (30 for 30 aliases).
                formatted = error.formatted
                formatted["message"] = original.message
                formatted["extensions"] = {"code": original.code.value, **original.extensions}
                return formatted
            if original is not None and not isinstance(original, GraphQLError):
                logger.error("Unhandled error in GraphQL resolver", exc_info=original)
                sanitized = GraphQLError(
                    "Internal server error",
                    nodes=error.nodes,
                    path=error.path,
                    extensions={"code": ErrorCode.INTERNAL.value},
                )
                return sanitized.formatted
            formatted = error.formatted
            if not settings.GRAPHQL_EXPLORER:
                # Variable coercion still suggests names ("Did you mean ..."): the schema stays private.
                formatted["message"] = _SUGGESTION.sub("", formatted["message"])
            if "extensions" not in formatted and (original is None or error.path is None):
                # Parse, validation and variable-coercion errors from graphql-core (the last wrap
                # the scalar's or enum's own GraphQLError, and have no path): the client's input was wrong.
                formatted["extensions"] = {"code": ErrorCode.GRAPHQL_VALIDATION_FAILED.value}
            return formatted
        if isinstance(error, HttpError):
            # Refusals of the HTTP layer (a mutation over GET, a malformed or oversized body):
            # the message is ours or graphene-django's, and safe to show.
            return {"message": error.message, "extensions": {"code": ErrorCode.INVALID_INPUT.value}}
        logger.error("Unexpected GraphQL error object: %r", error)
        return {"message": "Internal server error", "extensions": {"code": ErrorCode.INTERNAL.value}}


graphql_view = csrf_exempt(PioneerGraphQLView.as_view(graphiql=True))
