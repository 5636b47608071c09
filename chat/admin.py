"""Admin for chat: operators create community channels here and look at members' channels.

A channel's URL is write-only: the form takes a new one (checked like a member's), and the
admin shows only its scheme and host, never the encrypted column or the token.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from chat.fanout import COMMUNITY_KINDS
from chat.models import ChatChannel, ChatDelivery, CommunityChannel, CommunityPost
from chat.secrets import url_encrypt
from chat.targets import chat_target_check_address, chat_target_parse
from pioneer.errors import DomainError
from subscriptions.kinds import kind_get


class CommunityChannelForm(forms.ModelForm):
    url = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Apprise URL (discord://…, tgram://…, slack://…, matrixs://…). Stored encrypted and "
        "never shown again; leave empty to keep the current one.",
    )
    kinds = forms.MultipleChoiceField(
        choices=[(name, f"{name}: {kind_get(name).label}") for name in COMMUNITY_KINDS],
        widget=forms.CheckboxSelectMultiple,
        help_text="The kinds whose audience is every member; each event of them is posted once here.",
    )

    class Meta:
        model = CommunityChannel
        fields = ("label", "url", "kinds", "status")

    def clean_url(self):
        url = self.cleaned_data.get("url") or ""
        if not url:
            if not self.instance.pk:
                raise forms.ValidationError("A new channel needs its Apprise URL.")
            return ""
        try:
            target = chat_target_parse(url)
            chat_target_check_address(target)
        except DomainError as refusal:
            raise forms.ValidationError(refusal.message) from None
        self.target = target
        return target.url

    def save(self, commit=True):
        channel = super().save(commit=False)
        channel.kinds = list(self.cleaned_data["kinds"])
        if self.cleaned_data.get("url"):
            channel.url_encrypted = url_encrypt(self.target.url)
            channel.target = self.target.masked
            channel.consecutive_failures = 0
            channel.last_error = ""
        if commit:
            channel.save()
        return channel


@admin.register(CommunityChannel)
class CommunityChannelAdmin(admin.ModelAdmin):
    form = CommunityChannelForm
    list_display = ("id", "label", "target", "status", "consecutive_failures", "created_at")
    list_filter = ("status",)
    readonly_fields = ("target", "consecutive_failures", "last_error", "created_at")
    fields = ("label", "url", "target", "kinds", "status", "consecutive_failures", "last_error", "created_at")


@admin.register(ChatChannel)
class ChatChannelAdmin(admin.ModelAdmin):
    """Members manage their own channels through the API; operators may look, disable or delete."""

    list_display = ("id", "member", "label", "target", "status", "consecutive_failures", "created_at")
    list_filter = ("status",)
    search_fields = ("=member__id", "member__name", "label")
    list_select_related = ("member",)
    fields = ("member", "label", "target", "status", "consecutive_failures", "last_error", "confirmed_at")
    readonly_fields = ("member", "target", "consecutive_failures", "last_error", "confirmed_at")

    def has_add_permission(self, request):
        return False


class _DeliveryAdmin(admin.ModelAdmin):
    list_filter = ("status",)
    readonly_fields = ("status", "retry_count", "last_error", "queued_at", "next_attempt_at", "sent_at")

    def has_add_permission(self, request):
        return False


@admin.register(ChatDelivery)
class ChatDeliveryAdmin(_DeliveryAdmin):
    list_display = ("id", "notification", "channel", "status", "retry_count", "sent_at")
    list_select_related = ("notification", "channel")
    fields = ("notification", "channel", *_DeliveryAdmin.readonly_fields)
    readonly_fields = ("notification", "channel", *_DeliveryAdmin.readonly_fields)


@admin.register(CommunityPost)
class CommunityPostAdmin(_DeliveryAdmin):
    list_display = ("id", "channel", "kind", "event_id", "status", "retry_count", "sent_at")
    list_select_related = ("channel",)
    fields = ("channel", "kind", "event_id", "in_block", *_DeliveryAdmin.readonly_fields)
    readonly_fields = ("channel", "kind", "event_id", "in_block", *_DeliveryAdmin.readonly_fields)
