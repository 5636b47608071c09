"""The root schema: each app contributes Query/Mutation mixins."""

import graphene

from members.schema import MemberMutations, MemberQueries


class Query(MemberQueries, graphene.ObjectType):
    pass


class Mutation(MemberMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
