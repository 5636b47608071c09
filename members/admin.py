from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from members.models import EmailSuppressionReason, Member, VerificationEmail
from members.suppression import members_email_suppression_lift


class VerifiedEmailFilter(admin.SimpleListFilter):
    title = "verified email"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return (("yes", "Verified"), ("no", "Not verified"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(email__isnull=False)
        if self.value() == "no":
            return queryset.filter(email__isnull=True)
        return queryset


class EmailSuppressionFilter(admin.SimpleListFilter):
    title = "email suppression"
    parameter_name = "suppressed"

    def lookups(self, request, model_admin):
        return (("any", "Suppressed (any reason)"), *EmailSuppressionReason.choices)

    def queryset(self, request, queryset):
        if self.value() == "any":
            return queryset.exclude(email_suppressed_reason="")
        if self.value():
            return queryset.filter(email_suppressed_reason=self.value())
        return queryset


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "name",
        "email",
        "unverified_email",
        "receive_emails",
        "email_frequency",
        "email_suppressed_reason",
        "created_at",
    )
    list_filter = ("receive_emails", "email_frequency", VerifiedEmailFilter, EmailSuppressionFilter)
    search_fields = ("=id", "name", "email", "unverified_email")
    # Suppressions come from the provider's reports; they are lifted with the action, not edited.
    readonly_fields = (
        "created_at",
        "updated_at",
        "email_suppressed_reason",
        "email_suppressed_at",
        "email_suppressed_detail",
        "email_deliverable_since",
    )
    ordering = ("id",)
    actions = ("lift_email_suppression",)

    def get_readonly_fields(self, request, obj=None):
        # The id is the on-chain membership id: changing it would re-point everything.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "id") if obj else fields

    def get_search_results(self, request, queryset, search_term):
        # "=id" on a non-numeric term would fail; search the text fields only then.
        if search_term and not search_term.isdigit():
            return queryset.filter(name__icontains=search_term) | queryset.filter(
                email__icontains=search_term
            ) | queryset.filter(unverified_email__icontains=search_term), False
        return super().get_search_results(request, queryset, search_term)

    @admin.action(description="Lift the email suppression of the selected members")
    def lift_email_suppression(self, request, queryset):
        suppressed = queryset.exclude(email_suppressed_reason="")
        if request.POST.get("confirm") != "yes":
            # Lifting sends mail to an address the provider refused or a recipient reported
            # as spam: the operator confirms on a page that shows what they are lifting.
            return TemplateResponse(
                request,
                "admin/members/member/lift_suppression.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Lift email suppressions?",
                    "opts": self.model._meta,
                    "members": suppressed,
                    "selected": queryset.values_list("pk", flat=True),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        count = members_email_suppression_lift(member_ids=list(suppressed.values_list("pk", flat=True)))
        level = messages.SUCCESS if count else messages.WARNING
        self.message_user(request, f"Email suppression lifted for {count} member(s).", level)
        return None


@admin.register(VerificationEmail)
class VerificationEmailAdmin(admin.ModelAdmin):
    """The verification emails asked for and what delivery did with them: a record, read-only
    (members.verification_emails sends and retries them)."""

    list_display = ("id", "member", "email", "email_status", "retry_count", "next_attempt_at", "created_at")
    list_filter = ("email_status",)
    search_fields = ("=member__id", "member__name", "email")
    list_select_related = ("member",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "member",
        "email",
        "link_base",
        "email_status",
        "retry_count",
        "last_error",
        "email_queued_at",
        "next_attempt_at",
        "sent_at",
        "created_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
