from django.contrib import admin
from django.urls import path

from pioneer.graphql import graphql_view
from pioneer.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("graphql", graphql_view, name="graphql"),
    path("graphql/", graphql_view),
    # The Pioneer UI is configured with the bare root URL.
    path("", graphql_view, name="graphql-root"),
]
