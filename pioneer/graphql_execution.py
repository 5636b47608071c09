"""graphql-core's execution with one shortcut: a list of objects whose selected fields are all
scalars or enums without arguments (the feed: 50 notifications × 8 fields) is completed in one
loop per object, instead of field by field through graphql-core's general machinery (a field
definition lookup, argument coercion, an awaitable check and a recursive completion per field),
which was most of the feed's time.

Every field still runs its own resolver, through the request's middleware, with the same
`info` (path included) and its type's own serialisation. Anything out of the ordinary for an
item — an error, a null for a non-null field, an awaitable, a failed `is_type_of` — sends the
whole list back to graphql-core, which runs it again and reports it exactly as it always does
(so resolvers of such fields must be free of side effects, as field resolvers are here).
"""

from __future__ import annotations

from datetime import date, datetime
from inspect import iscoroutine
from typing import Any

from graphql import (
    ExecutionContext,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    is_leaf_type,
)
from graphql.execution.execute import get_field_def
from graphql.language import FieldNode
from graphql.pyutils import Path, Undefined

# Values no check is needed for: neither an error nor an awaitable.
_PLAIN_TYPES = frozenset({str, int, float, bool, datetime, date})


class _Generic(Exception):
    """This list needs graphql-core's own completion."""


class FlatListExecutionContext(ExecutionContext):
    def complete_list_value(
        self,
        return_type: GraphQLList,
        field_nodes: list[FieldNode],
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
    ) -> Any:
        item_type = return_type.of_type
        object_type = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if isinstance(object_type, GraphQLObjectType) and isinstance(result, list | tuple):
            plan = self._flat_plan(object_type, field_nodes)
            if plan is not None:
                try:
                    return [
                        self._flat_object(object_type, plan, info, path.add_key(index, None), item)
                        for index, item in enumerate(result)
                    ]
                except Exception:  # noqa: BLE001 - graphql-core runs it again and reports it
                    pass
        return super().complete_list_value(return_type, field_nodes, info, path, result)

    def _flat_plan(self, object_type: GraphQLObjectType, field_nodes: list[FieldNode]) -> list | None:
        """For each selected field: (response name, nodes, definition, resolver, serialize,
        non-null); None unless every one is a leaf without arguments."""
        plan = []
        for response_name, nodes in self.collect_subfields(object_type, field_nodes).items():
            field_def = get_field_def(self.schema, object_type, nodes[0])
            if field_def is None or field_def.args:
                return None
            non_null = isinstance(field_def.type, GraphQLNonNull)
            leaf_type = field_def.type.of_type if non_null else field_def.type
            if not is_leaf_type(leaf_type):
                return None
            resolve = field_def.resolve or self.field_resolver
            if self.middleware_manager:
                resolve = self.middleware_manager.get_field_resolver(resolve)
            plan.append((response_name, nodes, field_def, resolve, leaf_type.serialize, non_null))
        return plan

    def _flat_object(
        self, object_type: GraphQLObjectType, plan: list, info: GraphQLResolveInfo, path: Path, item: Any
    ) -> dict[str, Any]:
        if item is None:
            raise _Generic  # null, or an error for a list of non-null items
        if object_type.is_type_of is not None:
            matches = object_type.is_type_of(item, info)
            if matches is not True:  # False, or an awaitable
                raise _Generic
        completed = {}
        for response_name, nodes, field_def, resolve, serialize, non_null in plan:
            field_info = self.build_resolve_info(
                field_def, nodes, object_type, Path(path, response_name, object_type.name)
            )
            value = resolve(item, field_info)
            if value is None or value is Undefined:
                if non_null:
                    raise _Generic
                completed[response_name] = None
                continue
            if type(value) not in _PLAIN_TYPES and (isinstance(value, Exception) or self.is_awaitable(value)):
                if iscoroutine(value):
                    value.close()  # graphql-core runs the resolver again and awaits its own
                raise _Generic
            serialized = serialize(value)
            if serialized is None or serialized is Undefined:
                raise _Generic
            completed[response_name] = serialized
        return completed
