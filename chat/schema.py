"""GraphQL for a member's chat channels: chatChannels, addChatChannel, confirmChatChannel,
removeChatChannel. The channel's URL goes in once and never comes back out."""

from __future__ import annotations

import graphene

from chat import selectors, services
from chat.models import ChannelStatus
from pioneer.graphql import member_required

ChatChannelStatusEnum = graphene.Enum.from_enum(
    ChannelStatus,
    name="ChatChannelStatus",
    description=lambda member: (
        "PENDING until the code sent through the channel is confirmed, then ACTIVE; DISABLED after "
        "CHAT_DISABLE_AFTER failed sends in a row"
        if member is None
        else str(member.label)
    ),
)


class ChatChannel(graphene.ObjectType):
    class Meta:
        description = "A chat target of the member (Discord, Telegram, Matrix, Slack, a webhook...)"

    id = graphene.ID(required=True, description="Id of the channel")
    label = graphene.String(required=True, description="The member's name for it")
    target = graphene.String(required=True, description="Scheme and host only, e.g. discord://discord.com")
    status = graphene.Field(ChatChannelStatusEnum, required=True, description="PENDING, ACTIVE or DISABLED")
    last_error = graphene.String(description="Why the last send failed (the service's answer); null if none")

    @staticmethod
    def resolve_last_error(channel, info):
        return channel.last_error or None


class ChatQueries(graphene.ObjectType):
    chat_channels = graphene.List(
        graphene.NonNull(ChatChannel),
        required=True,
        description="The member's chat channels, oldest first (requires auth)",
    )

    @staticmethod
    @member_required
    def resolve_chat_channels(root, info, member):
        return selectors.chat_channels_for_member(member=member)


class ChatMutations(graphene.ObjectType):
    add_chat_channel = graphene.Field(
        ChatChannel,
        url=graphene.String(
            required=True, description="Apprise URL of the target, e.g. discord://webhook_id/webhook_token"
        ),
        label=graphene.String(description="A name for it (default: its scheme and host)"),
        description="Add a chat channel: a 6-digit code is sent through it, and it stays PENDING until "
        "confirmChatChannel gets that code; RATE_LIMITED past the limits per member and per target "
        "(requires auth)",
    )
    confirm_chat_channel = graphene.Field(
        ChatChannel,
        id=graphene.ID(required=True, description="Id of the PENDING channel"),
        code=graphene.String(required=True, description="The 6-digit code the channel received"),
        description="Confirm a channel with its code (valid CHAT_CONFIRMATION_TTL_SECONDS, 1 hour by "
        "default); the fifth wrong code, or a code past its time, removes it (requires auth)",
    )
    remove_chat_channel = graphene.Boolean(
        id=graphene.ID(required=True, description="Id of the channel"),
        description="Remove a channel and its undelivered messages; false if there was none (requires auth)",
    )

    @staticmethod
    @member_required
    def resolve_add_chat_channel(root, info, member, url, label=None):
        return services.chat_channel_add(member=member, url=url, label=label)

    @staticmethod
    @member_required
    def resolve_confirm_chat_channel(root, info, member, id, code):
        return services.chat_channel_confirm(member=member, channel_id=id, code=code)

    @staticmethod
    @member_required
    def resolve_remove_chat_channel(root, info, member, id):
        return services.chat_channel_remove(member=member, channel_id=id)
