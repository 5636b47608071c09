import graphene
from graphene_django import DjangoObjectType

from members import services, watched_accounts
from members.models import EmailFrequency, Member, WatchedAccount
from members.selectors import watched_accounts_list
from pioneer.graphql import BigInt, limited_per_client, member_required
from subscriptions.graphql_enums import enum_value

# signin and signup share one budget per client address.
SIGN_IN_GROUP = "signin"

EmailFrequencyEnum = graphene.Enum.from_enum(
    EmailFrequency,
    name="EmailFrequency",
    description=lambda value: (
        "How notification emails go out; the in-app feed is not affected"
        if value is None
        else str(value.label)
    ),
)


class MemberType(DjangoObjectType):
    id = graphene.Int(required=True, description="Joystream membership id")
    name = graphene.String(required=True, description="Name the member registered with")
    email = graphene.String(description="Verified email address, null until verified")
    unverified_email = graphene.String(description="Address waiting for its verification link")
    receive_emails = graphene.Boolean(required=True, description="False turns every email off")
    email_frequency = graphene.Field(
        EmailFrequencyEnum,
        required=True,
        description="One email per notification (IMMEDIATE), a DAILY or WEEKLY digest, or NEVER",
    )
    email_deliverable = graphene.Boolean(
        required=True,
        description="False when the email provider reported the verified address as undeliverable "
        "(see emailSuppressedReason): no email goes to it until a new address is verified",
    )
    email_suppressed_reason = graphene.String(
        description="Why email to the verified address stopped: BOUNCED, COMPLAINED (marked as spam), "
        "REJECTED (refused by the provider) or UNSUBSCRIBED (at the provider); null while deliverable",
    )

    class Meta:
        model = Member
        name = "Member"
        fields = ("id", "name", "email", "unverified_email", "receive_emails", "email_frequency")
        description = "A Joystream member registered with Pioneer Notify"

    @staticmethod
    def resolve_email_suppressed_reason(member, info):
        return member.email_suppressed_reason or None


class WatchedAccountType(DjangoObjectType):
    address = graphene.String(
        required=True, description="The account's SS58 address, in Joystream's format (prefix 126)"
    )
    label = graphene.String(description="The member's name for it, shown in emails instead of the address")

    class Meta:
        model = WatchedAccount
        name = "WatchedAccount"
        fields = ("address", "label")
        description = (
            "An account the member cares about besides their membership's own: votes cast from it "
            "count as theirs (reveal notifications and reminders). Public chain data only."
        )

    @staticmethod
    def resolve_label(account, info):
        return account.label or None


class MemberQueries(graphene.ObjectType):
    me = graphene.Field(MemberType, description="The member of the bearer token (requires auth)")
    watched_accounts = graphene.List(
        graphene.NonNull(WatchedAccountType),
        required=True,
        description="The accounts the member watches, oldest first (requires auth)",
    )
    member_exist = graphene.Boolean(
        id=graphene.Int(description="Joystream membership id"),
        description="Whether this membership is registered (public)",
    )

    @staticmethod
    @member_required
    def resolve_me(root, info, member):
        return member

    @staticmethod
    @member_required
    def resolve_watched_accounts(root, info, member):
        return watched_accounts_list(member=member)

    @staticmethod
    @limited_per_client("memberExist", "RATE_LIMIT_MEMBER_EXIST")
    def resolve_member_exist(root, info, id=None):
        if id is None:
            return False
        return Member.objects.filter(pk=id).exists()


class MemberMutations(graphene.ObjectType):
    signin = graphene.String(
        member_id=graphene.Int(required=True, description="Joystream membership id"),
        signature=graphene.String(
            required=True, description='Hex signature of "<memberId>:<timestamp>" by the controller account'
        ),
        timestamp=BigInt(required=True, description="Signing time in milliseconds since the epoch"),
        description="Sign in with a signature of the membership's controller account; returns an auth token",
    )
    signup = graphene.String(
        member_id=graphene.Int(required=True, description="Joystream membership id"),
        name=graphene.String(required=True, description="Name to greet the member with"),
        email=graphene.String(description="Address for notifications; it receives a verification link"),
        signature=graphene.String(
            required=True, description='Hex signature of "<memberId>:<timestamp>" by the controller account'
        ),
        timestamp=BigInt(required=True, description="Signing time in milliseconds since the epoch"),
        description="Register a membership (signed by its controller account); returns an auth token",
    )
    verify_email = graphene.Field(
        MemberType,
        token=graphene.String(required=True, description="Token from the verification email"),
        description="Confirm an email address with the token of its verification link (public)",
    )
    update_member = graphene.Field(
        MemberType,
        email=graphene.String(description="New address; it stays unverified until its link is opened"),
        receive_emails=graphene.Boolean(description="False turns every email off"),
        email_frequency=EmailFrequencyEnum(
            description="IMMEDIATE, DAILY or WEEKLY digests (sent at DIGEST_HOUR_UTC), or NEVER (in-app only)"
        ),
        description="Change the member's email settings; only the given fields change (requires auth)",
    )

    add_watched_account = graphene.Field(
        WatchedAccountType,
        address=graphene.String(
            required=True, description="SS58 address, in Joystream's format (126) or the generic one (42)"
        ),
        label=graphene.String(description="At most 64 characters; empty or absent: the address is shown"),
        description="Watch an account: votes cast from it count as the member's. The same key given "
        "again (in either format) only changes its label (requires auth)",
    )
    remove_watched_account = graphene.Boolean(
        address=graphene.String(
            required=True, description="SS58 address of a watched account, either format"
        ),
        description="Stop watching an account; false when it was not watched (requires auth)",
    )

    @staticmethod
    @member_required
    def resolve_add_watched_account(root, info, member, address, label=None):
        return watched_accounts.watched_account_add(member=member, address=address, label=label)

    @staticmethod
    @member_required
    def resolve_remove_watched_account(root, info, member, address):
        return watched_accounts.watched_account_remove(member=member, address=address)

    @staticmethod
    @limited_per_client(SIGN_IN_GROUP, "RATE_LIMIT_SIGNIN")
    def resolve_signin(root, info, member_id, signature, timestamp):
        return services.member_sign_in(member_id=member_id, signature=signature, timestamp=timestamp)

    @staticmethod
    @limited_per_client(SIGN_IN_GROUP, "RATE_LIMIT_SIGNIN")
    def resolve_signup(root, info, member_id, name, signature, timestamp, email=None):
        return services.member_sign_up(
            member_id=member_id,
            name=name,
            email=email,
            signature=signature,
            timestamp=timestamp,
            link_base=_link_base(info),
        )

    @staticmethod
    def resolve_verify_email(root, info, token):
        return services.member_verify_email(token=token)

    @staticmethod
    @member_required
    def resolve_update_member(root, info, member, email=None, receive_emails=None, email_frequency=None):
        return services.member_update(
            member=member,
            email=email,
            receive_emails=receive_emails,
            email_frequency=enum_value(email_frequency),
            link_base=_link_base(info),
        )


def _link_base(info) -> str:
    return services.verification_link_base(referer=info.context.META.get("HTTP_REFERER"))
