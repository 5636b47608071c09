"""The root schema: each app contributes Query/Mutation mixins."""

import graphene

from members.schema import MemberMutations, MemberQueries
from notifications.schema import NotificationMutations, NotificationQueries
from subscriptions.schema import SubscriptionMutations, SubscriptionQueries


class Query(MemberQueries, SubscriptionQueries, NotificationQueries, graphene.ObjectType):
    pass


class Mutation(MemberMutations, SubscriptionMutations, NotificationMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
