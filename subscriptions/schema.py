"""GraphQL for subscriptions: generalSubscriptions, generalSubscriptionsAll, entitySubscription(s),
subscribeToEntity.

Names, arguments and nullability are the TypeScript backend's (docs/api-contract.md, "GraphQL schema").
`shouldNotifyInApp` is the clear name of `shouldNotify` (the in-app switch, stored as
`should_notify`): both are accepted and answered with the same value, so the Pioneer UI keeps
working while it moves to the new name. Resolvers stay thin: they check input shape and call
selectors and services.
"""

from __future__ import annotations

import graphene

from pioneer.errors import invalid_input
from pioneer.graphql import member_required
from subscriptions import selectors, services
from subscriptions.graphql_enums import (
    EntitySubscriptionKindEnum,
    EntitySubscriptionStatusEnum,
    GeneralSubscriptionKindEnum,
    enum_value,
)
from subscriptions.kinds import ENTITY_ID_MAX_LENGTH


class GeneralSubscription(graphene.ObjectType):
    class Meta:
        description = "A member's choice for one general kind; id is null while the default applies"

    id = graphene.Int(description="Id of the stored subscription; null when the default applies")
    kind = graphene.Field(GeneralSubscriptionKindEnum, required=True, description="The kind of notification")
    should_notify = graphene.Boolean(
        required=True, description="Same as shouldNotifyInApp (the name the Pioneer UI was built with)"
    )
    should_notify_in_app = graphene.Boolean(
        required=True, description="Whether these notifications show in the member's in-app feed"
    )
    should_notify_by_email = graphene.Boolean(
        required=True, description="Whether these notifications are emailed (independent of in-app)"
    )

    should_notify_by_chat = graphene.Boolean(
        required=True,
        description="Whether these notifications are also posted to the member's confirmed chat channels "
        "(default: the same as the kind's email default)",
    )

    @staticmethod
    def resolve_should_notify_in_app(state, info) -> bool:
        return state.should_notify


class EntitySubscription(graphene.ObjectType):
    class Meta:
        description = "A member's choice about one thread, category or proposal"

    id = graphene.Int(
        description="Id of the stored subscription; after DEFAULT, the id of the deleted one (null if none)"
    )
    kind = graphene.Field(EntitySubscriptionKindEnum, required=True, description="The kind of notification")
    entity_id = graphene.String(
        required=True, description="Query-node id of the thread, category or proposal"
    )
    status = graphene.Field(
        EntitySubscriptionStatusEnum, required=True, description="WATCH, MUTE or DEFAULT (nothing stored)"
    )


class GeneralSubscriptionInput(graphene.InputObjectType):
    class Meta:
        description = "A change to one general subscription; an absent flag means true"

    kind = graphene.Field(GeneralSubscriptionKindEnum, required=True, description="The kind to change")
    should_notify = graphene.Boolean(description="Same as shouldNotifyInApp (default true)")
    should_notify_in_app = graphene.Boolean(
        description="Show them in the in-app feed (default true); if shouldNotify is sent too, it must agree"
    )
    should_notify_by_email = graphene.Boolean(description="Email them (default true)")
    should_notify_by_chat = graphene.Boolean(
        description="Also post them to the member's chat channels (absent: left as it is)"
    )


def in_app_switch(should_notify: bool | None, should_notify_in_app: bool | None) -> bool | None:
    """The one in-app value of `shouldNotify` and `shouldNotifyInApp` (either may be sent)."""
    if (
        should_notify is not None
        and should_notify_in_app is not None
        and should_notify != should_notify_in_app
    ):
        raise invalid_input(
            "shouldNotify and shouldNotifyInApp are the same switch; they must not differ when both are sent"
        )
    return should_notify if should_notify is not None else should_notify_in_app


def _subscription_id_filter(value: str | None) -> int | None:
    """The contract types the id filter as String; it must hold a decimal subscription id."""
    if value is None:
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise invalid_input("id must be a decimal subscription id")
    return int(text)


def _entity_id_filter(value: str | None) -> str | None:
    """Normalised like stored entity ids, so a filter finds what the mutation stored."""
    if value is None:
        return None
    return services.entity_id_clean(value)


class SubscriptionQueries(graphene.ObjectType):
    general_subscriptions = graphene.List(
        GeneralSubscription,
        kind=GeneralSubscriptionKindEnum(description="Only this kind"),
        should_notify=graphene.Boolean(description="Only entries with this shouldNotify"),
        should_notify_in_app=graphene.Boolean(
            description="Only entries with this shouldNotifyInApp (same as shouldNotify)"
        ),
        should_notify_by_email=graphene.Boolean(description="Only entries with this shouldNotifyByEmail"),
        description=(
            "One entry per general kind, in enum order: the stored subscription, else the default "
            "(requires auth)"
        ),
    )
    entity_subscriptions = graphene.List(
        EntitySubscription,
        id=graphene.String(description="Only the subscription with this id"),
        kind=EntitySubscriptionKindEnum(description="Only this kind"),
        entity_id=graphene.String(description="Only subscriptions about this entity"),
        status=EntitySubscriptionStatusEnum(description="Only WATCH or only MUTE (DEFAULT matches nothing)"),
        description="The member's stored entity subscriptions, oldest first (requires auth)",
    )

    @staticmethod
    @member_required
    def resolve_general_subscriptions(
        root,
        info,
        member,
        kind=None,
        should_notify=None,
        should_notify_in_app=None,
        should_notify_by_email=None,
    ):
        return selectors.general_subscriptions_for_member(
            member=member,
            kind=enum_value(kind),
            should_notify=in_app_switch(should_notify, should_notify_in_app),
            should_notify_by_email=should_notify_by_email,
        )

    @staticmethod
    @member_required
    def resolve_entity_subscriptions(root, info, member, id=None, kind=None, entity_id=None, status=None):
        return selectors.entity_subscriptions_for_member(
            member=member,
            id=_subscription_id_filter(id),
            kind=enum_value(kind),
            entity_id=_entity_id_filter(entity_id),
            status=enum_value(status),
        )


def _entity_subscription_field(description: str) -> graphene.Field:
    return graphene.Field(
        EntitySubscription,
        kind=EntitySubscriptionKindEnum(required=True, description="The kind of notification"),
        entity_id=graphene.String(
            required=True,
            description=f"Query-node id of the thread, category or proposal (1-{ENTITY_ID_MAX_LENGTH} chars)",
        ),
        status=EntitySubscriptionStatusEnum(
            required=True, description="WATCH or MUTE stores the choice; DEFAULT removes it"
        ),
        description=description,
    )


@member_required
def _resolve_entity_subscription(root, info, member, kind, entity_id, status):
    return services.entity_subscription_set(
        member=member, kind=enum_value(kind), entity_id=entity_id, status=enum_value(status)
    )


class SubscriptionMutations(graphene.ObjectType):
    general_subscriptions = graphene.List(
        GeneralSubscription,
        data=graphene.List(GeneralSubscriptionInput, description="The changes, applied in one transaction"),
        description=(
            "Change general subscriptions; returns the stored rows touched. An input equal to the "
            "default with nothing stored stores nothing (requires auth)"
        ),
    )
    general_subscriptions_all = graphene.List(
        graphene.NonNull(GeneralSubscription),
        required=True,
        should_notify_in_app=graphene.Boolean(description="Set the in-app switch of every general kind"),
        should_notify_by_email=graphene.Boolean(description="Set the email switch of every general kind"),
        description=(
            "Subscribe to (or unsubscribe from) every general kind in one step: sets the given "
            "switch(es) on all of them, keeps the other switch and every entity watch and mute, and "
            "returns the full list in enum order. At least one argument is required (requires auth)"
        ),
    )
    entity_subscription = _entity_subscription_field(
        "Watch, mute or reset one entity; DEFAULT returns the deleted id or null (requires auth)"
    )
    subscribe_to_entity = _entity_subscription_field(
        "Same as entitySubscription, under the name the old README documents (requires auth)"
    )

    @staticmethod
    @member_required
    def resolve_general_subscriptions(root, info, member, data=None):
        if data is None:
            return []
        changes = []
        for item in data:
            if item is None:
                raise invalid_input("data must not contain null entries")
            in_app = in_app_switch(item.should_notify, item.should_notify_in_app)
            changes.append(
                services.GeneralSubscriptionChange(
                    kind=enum_value(item.kind),
                    should_notify=in_app is not False,
                    should_notify_by_email=item.should_notify_by_email is not False,
                    should_notify_by_chat=item.should_notify_by_chat,
                )
            )
        return services.general_subscriptions_update(member=member, changes=changes)

    @staticmethod
    @member_required
    def resolve_general_subscriptions_all(
        root, info, member, should_notify_in_app=None, should_notify_by_email=None
    ):
        return services.general_subscriptions_set_all(
            member=member, should_notify=should_notify_in_app, should_notify_by_email=should_notify_by_email
        )

    resolve_entity_subscription = staticmethod(_resolve_entity_subscription)
    resolve_subscribe_to_entity = staticmethod(_resolve_entity_subscription)
