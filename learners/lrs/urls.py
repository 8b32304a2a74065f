from django.urls import include, path

app_name = "lrs"
urlpatterns = [
    path("", include("learners.lrs.api.statement_urls")),
    path("", include("learners.lrs.api.document_urls")),
]
