"""What every app's GraphQL code shares: the auth and rate-limit decorators, the BigInt scalar.

Resolvers refuse with pioneer.errors.DomainError, like the services they call; the HTTP
endpoint, which turns it into a GraphQL error, and its guards are in pioneer/graphql_view.py."""

from __future__ import annotations

import functools
from typing import Any

import graphene
from django.conf import settings
from graphql import GraphQLError
from graphql.language import ast

from pioneer.errors import DomainError, unauthorized
from pioneer.rate_limits import Spend, client_ip, rate_limits_spend


def authenticated_member_id(info) -> int | None:
    """The member id of the request's bearer token, or None (never an error). The token is
    checked once per request (signature, expiry, type); the member is not looked up."""
    from members.tokens import member_id_from_request

    request = info.context
    if not hasattr(request, "_pioneer_member_id"):
        request._pioneer_member_id = member_id_from_request(request)
    return request._pioneer_member_id


def authenticated_member(info):
    """The member of the request's bearer token, or None (never an error); looked up once per request."""
    from members.tokens import member_get

    request = info.context
    if not hasattr(request, "_pioneer_member"):
        request._pioneer_member = member_get(authenticated_member_id(info))
    return request._pioneer_member


def member_required(resolver):
    """Protect a resolver or mutation: it receives the member as `member=` keyword."""

    @functools.wraps(resolver)
    def wrapper(root, info, *args, **kwargs):
        member = authenticated_member(info)
        if member is None:
            raise unauthorized()
        return resolver(root, info, *args, member=member, **kwargs)

    return wrapper


def member_id_required(resolver):
    """member_required for the reads that confirm the member in their own query (the feed and its
    counts, the most frequent requests), saving the lookup's round trip: the resolver receives
    the token's member id as `member_id=` and returns None when no member has it (a token that
    outlived its member), which is refused like a bad token. When the resolver refuses its
    arguments, an unknown member is still refused as Unauthorized first, as member_required does."""

    @functools.wraps(resolver)
    def wrapper(root, info, *args, **kwargs):
        member_id = authenticated_member_id(info)
        if member_id is None:
            raise unauthorized()
        try:
            result = resolver(root, info, *args, member_id=member_id, **kwargs)
        except DomainError:
            if authenticated_member(info) is None:
                raise unauthorized() from None
            raise
        if result is None:
            raise unauthorized()
        return result

    return wrapper


def limited_per_client(group: str, rate_setting: str):
    """Count each run of a resolver (so each alias) against the client address's limit of
    `group`, whose rate is the setting `rate_setting` (pioneer.rate_limits)."""

    def decorator(resolver):
        @functools.wraps(resolver)
        def wrapper(root, info, *args, **kwargs):
            rate = getattr(settings, rate_setting)
            rate_limits_spend(Spend(group=group, rate=rate, key=client_ip(info.context)))
            return resolver(root, info, *args, **kwargs)

        return wrapper

    return decorator


class BigInt(graphene.Scalar):
    """An integer of any size. Input: an Int or a decimal String ("1700000000000"); output: a number."""

    @staticmethod
    def serialize(value: Any) -> int:
        return int(value)

    @staticmethod
    def parse_value(value: Any) -> int:
        return _parse_big_int(value)

    @staticmethod
    def parse_literal(node, _variables=None) -> int:
        if isinstance(node, ast.IntValueNode | ast.StringValueNode):
            return _parse_big_int(node.value)
        raise GraphQLError("BigInt must be an integer or a string of decimal digits")


def _parse_big_int(value: Any) -> int:
    if isinstance(value, bool):
        raise GraphQLError("BigInt must be an integer or a string of decimal digits")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] == "-" else text
        if digits.isascii() and digits.isdigit() and len(digits) <= 40:
            return int(text)
    raise GraphQLError("BigInt must be an integer or a string of decimal digits")
