from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path, reverse

from qn_ingest.cursor import cursor_reset
from qn_ingest.models import IngestCursor


class CursorResetForm(forms.Form):
    block = forms.IntegerField(min_value=0, help_text="The next ingest starts reading at this block.")
    confirm = forms.BooleanField(
        required=True,
        label="I understand that events from this block on are read again "
        "(already stored notifications are not duplicated).",
    )


@admin.register(IngestCursor)
class IngestCursorAdmin(admin.ModelAdmin):
    list_display = ("__str__", "block", "updated_at")
    readonly_fields = ("block", "event_ids", "updated_at")
    change_form_template = "admin/qn_ingest/ingestcursor/change_form.html"
    change_list_template = "admin/qn_ingest/ingestcursor/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:object_id>/reset/",
                self.admin_site.admin_view(self.reset_view),
                name="qn_ingest_ingestcursor_reset",
            ),
            *super().get_urls(),
        ]

    def reset_view(self, request, object_id):
        if not self.has_change_permission(request):
            return redirect("admin:index")
        cursor = IngestCursor.objects.filter(pk=IngestCursor.SINGLETON_ID).first()
        form = CursorResetForm(request.POST or None, initial={"block": cursor.block if cursor else 0})
        if request.method == "POST" and form.is_valid():
            cursor_reset(block=form.cleaned_data["block"])
            self.message_user(
                request, f"Cursor reset to block {form.cleaned_data['block']}.", messages.SUCCESS
            )
            return redirect(reverse("admin:qn_ingest_ingestcursor_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Reset the ingest cursor",
            "form": form,
            "cursor": cursor,
            "opts": self.model._meta,
        }
        return render(request, "admin/qn_ingest/ingestcursor/reset.html", context)
