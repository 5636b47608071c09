from django.contrib import admin

from subscriptions.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("id", "member", "kind", "entity_id", "should_notify", "should_notify_by_email")
    list_filter = ("kind", "should_notify", "should_notify_by_email")
    search_fields = ("=member__id", "member__name", "entity_id")
    list_select_related = ("member",)
    raw_id_fields = ("member",)
    readonly_fields = ("created_at", "updated_at")
