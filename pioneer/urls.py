from django.contrib import admin
from django.urls import include, path

from notifications.unsubscribe_views import unsubscribe_view
from pioneer.graphql_view import graphql_view
from pioneer.health import healthz

# Every admin page (login, index, lists, the email preview) shows the product's name.
admin.site.site_header = "Pioneer Notify"
admin.site.site_title = "Pioneer Notify admin"
admin.site.index_title = "Pioneer Notify administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("graphql", graphql_view, name="graphql"),
    path("graphql/", graphql_view),
    path("unsubscribe/<str:token>", unsubscribe_view, name="unsubscribe"),
    # The preferences page linked from every email (README "Notification preferences page").
    path("", include("preferences.urls")),
    # The email provider's bounce / complaint / delivery reports (README "Deliverability").
    path("anymail/", include("notifications.tracking_urls")),
    # The Pioneer UI is configured with the bare root URL.
    path("", graphql_view, name="graphql-root"),
]
