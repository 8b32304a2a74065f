from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import backlog_status, broker_status, database_status, worker_status


@never_cache
@require_GET
def healthz(request):
    """Report database and broker status: 200 when both are up, otherwise 503.

    The worker's last heartbeat and the backlogs (last coverage run, oldest unsent forwarding
    row, parked rows) are shown too, for information and alerting only.
    """
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **checks,
            "worker": worker_status(),
            "backlog": backlog_status(),
        },
        status=200 if healthy else 503,
    )
