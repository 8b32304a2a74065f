"""Reads of the document resources and canonical activities (xAPI 1.0.3 Communication 2.2-2.7)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from learners.lrs.models import Activity

from .refs import DocumentRef, DocumentScope, digest


def document_get(*, ref: DocumentRef):
    """The one document the ref names, or None (single-document GET)."""
    return ref.model.objects.filter(doc_key=ref.doc_key).first()


def document_ids(
    *, scope: DocumentScope, since: datetime | None = None
) -> tuple[list[str], datetime | None]:
    """Ids of the scope's documents updated after `since` (exclusive), oldest first.

    Also returns when the most recent of them was modified, for Last-Modified (2.2.s6.b2).
    """
    documents = scope.model.objects.filter(**scope.filters())
    if since is not None:
        documents = documents.filter(updated__gt=since)
    ids = list(documents.order_by("updated", "pk").values_list(scope.id_field, flat=True))
    last_modified = documents.aggregate(latest=Max("updated"))["latest"] if ids else None
    return ids, last_modified


def activity_object(*, activity_id: str) -> dict:
    """The full Activity object the LRS knows for this id (Communication 2.5.s1).

    An activity never seen still gets an Activity object with its id (2.5.s2.b1).
    """
    found = {"objectType": "Activity", "id": activity_id}
    definition = (
        Activity.objects.filter(activity_key=digest(activity_id))
        .values_list("definition", flat=True)
        .first()
    )
    if definition:
        found["definition"] = definition
    return found
