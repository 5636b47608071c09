import graphene
from graphene_django import DjangoObjectType

from members.models import Member
from pioneer.graphql import authenticated_member


class MemberType(DjangoObjectType):
    id = graphene.Int(required=True, description="Joystream membership id")
    email = graphene.String(description="Verified email address, null until verified")
    unverified_email = graphene.String(description="Address waiting for its verification link")
    receive_emails = graphene.Boolean(required=True, description="False turns every email off")

    class Meta:
        model = Member
        name = "Member"
        fields = ("id", "name", "email", "unverified_email", "receive_emails")
        description = "A Joystream member registered with Pioneer Notify"


class MemberQueries(graphene.ObjectType):
    me = graphene.Field(MemberType, description="The member of the bearer token (requires auth)")
    member_exist = graphene.Boolean(
        id=graphene.Int(description="Joystream membership id"),
        description="Whether this membership is registered (public)",
    )

    @staticmethod
    def resolve_me(root, info):
        from pioneer.graphql import unauthorized

        member = authenticated_member(info)
        if member is None:
            raise unauthorized()
        return member

    @staticmethod
    def resolve_member_exist(root, info, id=None):
        if id is None:
            return False
        return Member.objects.filter(pk=id).exists()


class MemberMutations(graphene.ObjectType):
    """signin, signup, verifyEmail and updateMember (members/auth issue)."""

    placeholder = graphene.Boolean(description="Removed when the auth mutations land")

    @staticmethod
    def resolve_placeholder(root, info):
        return None
