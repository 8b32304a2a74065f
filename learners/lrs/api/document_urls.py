"""URLs of the document, Activities, Agents and About resources (xAPI 1.0.3 Communication 2.2-2.8),
under /xapi/ (Appendix B: Table of All Resources).
"""

from django.urls import path

from . import documents

urlpatterns = [
    path("activities/state", documents.state, name="state"),
    path("activities/profile", documents.activity_profile, name="activity-profile"),
    path("activities", documents.activities, name="activities"),
    path("agents/profile", documents.agent_profile, name="agent-profile"),
    path("agents", documents.agents, name="agents"),
    path("about", documents.about, name="about"),
]
