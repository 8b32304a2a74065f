"""Background work of the personal-data app: subject access downloads and nightly retention."""

import logging

from celery import shared_task
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)


@shared_task
def build_subject_access(request_id: int) -> None:
    """Build one subject access download (a built or unknown request is left alone)."""
    services.sar_build(request_id=request_id)


@shared_task
def apply_retention() -> dict:
    """Apply the retention rules as at now (beat runs it nightly)."""
    return services.retention_apply(now=timezone.now())
