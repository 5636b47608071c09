"""The root schema: each app contributes Query/Mutation mixins."""

import graphene

from chat.schema import ChatMutations, ChatQueries
from members.schema import MemberMutations, MemberQueries
from notifications.schema import NotificationMutations, NotificationQueries
from subscriptions.schema import SubscriptionMutations, SubscriptionQueries


class Query(MemberQueries, SubscriptionQueries, NotificationQueries, ChatQueries, graphene.ObjectType):
    pass


class Mutation(
    MemberMutations, SubscriptionMutations, NotificationMutations, ChatMutations, graphene.ObjectType
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
