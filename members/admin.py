from django.contrib import admin

from members.models import Member


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


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "name",
        "email",
        "unverified_email",
        "receive_emails",
        "email_frequency",
        "created_at",
    )
    list_filter = ("receive_emails", "email_frequency", VerifiedEmailFilter)
    search_fields = ("=id", "name", "email", "unverified_email")
    readonly_fields = ("created_at", "updated_at")
    ordering = ("id",)

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
