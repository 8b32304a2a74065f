"""Personal data of the privacy app itself, and the person's xAPI data, which the LRS cannot
export because it knows agents, not users (see learners.privacy.register for the format).
"""

import base64
import json
from datetime import timedelta

PERSONAL_DATA = [
    {
        "model": "privacy.PersonalDataAccess",
        "fields": ["actor", "subject", "detail"],
        "purpose": "security",
        "retention": "audit",
        "erasure": "keep",
    },
    {
        "model": "privacy.SubjectAccessRequest",
        "fields": ["subject", "requested_by", "storage_name"],
        "purpose": "rights",
        "retention": "sar_files",
        "erasure": "delete",
    },
    {
        "model": "privacy.ErasureRecord",
        "fields": ["requested_by", "pseudonym"],
        "purpose": "rights",
        "retention": "audit",
        "erasure": "keep",
    },
]


def _document(row) -> dict:
    content = bytes(row.content)
    try:
        body = json.loads(content)
    except ValueError:
        body = {"base64": base64.b64encode(content).decode()}
    return {"content_type": row.content_type, "updated": row.updated, "content": body}


def export_personal_data(user) -> dict:
    """Every statement that names the person, their xAPI documents, and the privacy record."""
    from learners.lrs.erasure import statements_mentioning
    from learners.lrs.models import AgentProfile, StateDocument, Statement
    from learners.privacy.models import PersonalDataAccess, SubjectAccessRequest
    from learners.privacy.services import person_ifis

    ifis = person_ifis(user)
    statements = Statement.objects.filter(pk__in=statements_mentioning(ifis)).order_by("stored")
    return {
        "xapi_statements": [json.loads(row.payload) for row in statements],
        "xapi_state_documents": [
            {"activity": row.activity_id, "state_id": row.state_id, **_document(row)}
            for row in StateDocument.objects.filter(agent_ifi__in=ifis)
        ],
        "xapi_agent_profiles": [
            {"profile_id": row.profile_id, **_document(row)}
            for row in AgentProfile.objects.filter(agent_ifi__in=ifis)
        ],
        "subject_access_requests": list(
            SubjectAccessRequest.objects.filter(subject=user).values("created_at", "status")
        ),
        "who_handled_your_data": [
            {
                "by": "you"
                if row.actor_id == user.pk
                else ("a member of staff" if row.actor_id else "a scheduled job"),
                "action": row.get_action_display(),
                "at": row.at,
            }
            for row in PersonalDataAccess.objects.filter(subject=user)
        ],
    }


def erase_personal_data(user, *, pseudonym: str) -> dict[str, int]:
    """Delete the person's subject access files and requests."""
    from django.core.files.storage import storages
    from django.db import transaction

    from learners.privacy.models import SubjectAccessRequest

    requests = SubjectAccessRequest.objects.filter(subject=user)
    names = [name for name in requests.values_list("storage_name", flat=True) if name]
    transaction.on_commit(lambda: [storages["private"].delete(name) for name in names])
    return {"subject_access_requests": requests.delete()[0]}


def apply_retention(*, now) -> dict[str, int]:
    """Delete the statements of accounts erased longer ago than the learning retention."""
    from django.conf import settings

    from learners.lrs.identity import agent_ifi
    from learners.lrs.models import Statement
    from learners.models import User
    from learners.privacy.models import ErasureRecord

    cutoff = now - timedelta(days=settings.PRIVACY_RETENTION_DAYS["learning"])
    erased_ids = ErasureRecord.objects.filter(
        status=ErasureRecord.Status.DONE, finished_at__lt=cutoff
    ).values_list("user_id_erased", flat=True)
    ifis = [
        agent_ifi({"account": {"homePage": settings.SITE_BASE_URL, "name": str(learner_id)}})
        for learner_id in User.objects.filter(pk__in=erased_ids).values_list(
            "learner_id", flat=True
        )
    ]
    _, by_model = Statement.objects.filter(actor_ifi__in=ifis).delete()
    return {"statements_deleted": by_model.get(Statement._meta.label, 0)}
