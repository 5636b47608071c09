from django.contrib import admin, messages
from django.urls import path

from notifications.dispatch import delivery_runs_inline
from notifications.email_preview import email_preview_view
from notifications.models import Digest, EmailEvent, EmailStatus, Notification
from notifications.services import notifications_requeue_failed


class EmailEventInline(admin.TabularInline):
    """What the provider reported about this notification's email, oldest first."""

    model = EmailEvent
    fields = ("occurred_at", "esp_name", "event_type", "recipient", "description", "received_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "provider event"
    verbose_name_plural = "email history (provider events)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    inlines = (EmailEventInline,)
    list_display = (
        "id",
        "member",
        "kind",
        "event_id",
        "email_status",
        "retry_count",
        "is_read",
        "created_at",
    )
    list_filter = ("kind", "email_status", "is_read")
    search_fields = ("=member__id", "member__name", "event_id", "entity_id")
    list_select_related = ("member",)
    date_hierarchy = "created_at"
    actions = ("requeue_failed_emails",)
    # Notifications are a record of what the ingest decided and what delivery did;
    # editing them would make that record lie. Only the read flag stays editable.
    readonly_fields = (
        "member",
        "kind",
        "event_id",
        "entity_id",
        "email_status",
        "retry_count",
        "last_error",
        "email_queued_at",
        "next_attempt_at",
        "sent_at",
        "provider_message_id",
        "delivered_at",
        "opened_at",
        "clicked_at",
        "created_at",
        "in_block",
        "data",
        "in_app",  # digests/settings: decided at ingest like the rest
    )

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        preview = self.admin_site.admin_view(email_preview_view)
        return [
            path("email-preview/", preview, name="notifications_email_preview"),
            path("email-preview/<str:kind>/", preview, name="notifications_email_preview_kind"),
            path("email-preview/digest/<str:digest>/", preview, name="notifications_email_preview_digest"),
            *super().get_urls(),
        ]

    @admin.action(description="Re-queue FAILED emails of the selected notifications")
    def requeue_failed_emails(self, request, queryset):
        failed_ids = list(queryset.filter(email_status=EmailStatus.FAILED).values_list("id", flat=True))
        count = notifications_requeue_failed(notification_ids=failed_ids)
        level = messages.SUCCESS if count else messages.WARNING
        # Without a broker nothing runs in the background: say where the emails will go out.
        later = " They go out with the next `manage.py notify` run." if delivery_runs_inline() else ""
        self.message_user(request, f"{count} failed email(s) re-queued for delivery.{later}", level)


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    """The digests sent: a record, read-only (deleting one lets beat send that period again)."""

    list_display = ("id", "member", "frequency", "period_start", "scheduled", "notification_count", "sent_at")
    list_filter = ("frequency", "scheduled")
    search_fields = ("=member__id", "member__name")
    list_select_related = ("member",)
    readonly_fields = ("member", "frequency", "period_start", "scheduled", "notification_count", "sent_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
