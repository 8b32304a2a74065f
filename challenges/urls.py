from django.urls import path

from challenges.views import entrants, managers, mentors

app_name = "challenges"
urlpatterns = [
    # Entrants.
    path("submissions/", entrants.my_submissions, name="my_submissions"),
    path(
        "submissions/start/<int:challenge_id>/",
        entrants.submission_start,
        name="submission_start",
    ),
    path("submissions/invitations/<uuid:token>/", entrants.invitation, name="invitation"),
    path("submissions/<int:pk>/", entrants.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/edit/", entrants.submission_edit, name="submission_edit"),
    path("submissions/<int:pk>/submit/", entrants.submission_submit, name="submission_submit"),
    path(
        "submissions/<int:pk>/withdraw/", entrants.submission_withdraw, name="submission_withdraw"
    ),
    path("submissions/<int:pk>/files/", entrants.file_upload, name="file_upload"),
    path(
        "submissions/<int:pk>/files/<int:file_id>/",
        entrants.file_download_member,
        name="file_download",
    ),
    path(
        "submissions/<int:pk>/files/<int:file_id>/delete/",
        entrants.file_delete,
        name="file_delete",
    ),
    path("submissions/<int:pk>/invite/", entrants.invite, name="invite"),
    path(
        "submissions/<int:pk>/invitations/<int:invitation_id>/cancel/",
        entrants.invitation_cancel,
        name="invitation_cancel",
    ),
    # Mentors (the MFA middleware guards this prefix).
    path("review/", mentors.queue, name="review_queue"),
    path("review/<int:pk>/", mentors.review, name="review"),
    path("review/<int:pk>/conflict/", mentors.declare_conflict, name="review_conflict"),
    path("review/<int:pk>/files/<int:file_id>/", mentors.file_download_mentor, name="review_file"),
    # Challenge managers (the MFA middleware guards this prefix).
    path("manage/", managers.challenge_list, name="manage"),
    path("manage/<int:challenge_id>/", managers.challenge_submissions, name="manage_challenge"),
    path("manage/<int:challenge_id>/assign/", managers.auto_assign, name="manage_auto_assign"),
    path("manage/submissions/<int:pk>/", managers.submission, name="manage_submission"),
    path("manage/submissions/<int:pk>/assign/", managers.assign, name="manage_assign"),
    path(
        "manage/submissions/<int:pk>/assignments/<int:assignment_id>/remove/",
        managers.unassign,
        name="manage_unassign",
    ),
    path("manage/submissions/<int:pk>/decide/", managers.decide, name="manage_decide"),
    path(
        "manage/submissions/<int:pk>/files/<int:file_id>/",
        managers.file_download_manager,
        name="manage_file",
    ),
]
