"""Personal data held by the curriculum and the Wagtail models it builds on (see
learners.privacy.register for the format). Courses hold no learner data; what names a person
here is the editorial trail: who owns, locks, revises, moderates and comments on pages.
"""

_PAGE_LINKS = ["owner", "locked_by"]

PERSONAL_DATA = [
    *(
        {
            "model": f"courses.{name}",
            "fields": _PAGE_LINKS,
            "purpose": "editorial",
            "retention": "editorial",
            "erasure": "keep",
        }
        for name in (
            "HomePage",
            "CourseIndexPage",
            "CoursePage",
            "ModulePage",
            "LessonPage",
            "AssessmentPage",
        )
    ),
    {
        "model": "wagtailcore.Page",
        "fields": _PAGE_LINKS,
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "wagtailcore.Revision",
        "fields": ["user"],
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "wagtailcore.PageLogEntry",
        "fields": ["user"],
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "wagtailcore.ModelLogEntry",
        "fields": ["user"],
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "wagtailcore.WorkflowState",
        "fields": ["requested_by"],
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "wagtailcore.TaskState",
        "fields": ["finished_by"],
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "wagtailcore.Comment",
        "fields": ["user", "resolved_by"],
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "wagtailcore.CommentReply",
        "fields": ["user"],
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "wagtailcore.PageSubscription",
        "fields": ["user"],
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "delete",
    },
    {
        "model": "wagtailcore.UploadedFile",
        "fields": ["uploaded_by_user", "file"],
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "delete",
    },
    {
        "model": "wagtailcore.APIToken",
        "fields": ["user"],
        "purpose": "account",
        "retention": "account",
        "erasure": "delete",
    },
    {
        "model": "wagtailadmin.EditingSession",
        "fields": ["user"],
        "purpose": "editorial",
        "retention": "sessions",
        "erasure": "delete",
    },
    {
        "model": "wagtailadmin.FormState",
        "fields": ["user", "data"],
        "purpose": "editorial",
        "retention": "sessions",
        "erasure": "delete",
    },
    {
        "model": "wagtailimages.Image",
        "fields": ["uploaded_by_user", "file"],
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "wagtailimages.Rendition",
        "fields": ["file"],
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "wagtaildocs.Document",
        "fields": ["uploaded_by_user", "file"],
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "keep",
    },
]

NO_PERSONAL_DATA = [
    "courses.RoleFamily",
    "courses.Role",
    "courses.RoleLevel",
    "courses.Skill",
    "courses.RoleLevelSkill",
    "courses.CourseSkill",
    # An imported cmi5 package and its assignable units: vendor content, no learner.
    "courses.Cmi5Package",
    "courses.Cmi5AssignableUnit",
    # Wagtail's structure, permissions, search index and redirects name no person.
    "wagtailcore.Locale",
    "wagtailcore.Site",
    "wagtailcore.GroupSitePermission",
    "wagtailcore.CollectionViewRestriction",
    "wagtailcore.Collection",
    "wagtailcore.GroupCollectionPermission",
    "wagtailcore.WorkflowContentType",
    "wagtailcore.Workflow",
    "wagtailcore.WorkflowTask",
    "wagtailcore.Task",
    "wagtailcore.GroupApprovalTask",
    "wagtailcore.GroupPagePermission",
    "wagtailcore.PageViewRestriction",
    "wagtailcore.WorkflowPage",
    "wagtailcore.ReferenceIndex",
    "wagtailadmin.Admin",
    "wagtailsearch",
    "wagtailredirects",
    "wagtailembeds",
    # No form pages are built on wagtailforms, so it never receives a submission.
    "wagtailforms",
    "taggit",
]


def erase_personal_data(user, *, pseudonym: str) -> dict[str, int]:
    """Delete the person's editorial working state; the editorial record stays, linked to the
    closed account.
    """
    from wagtail.admin.models import EditingSession, FormState
    from wagtail.models import APIToken, PageSubscription, UploadedFile

    counts = {}
    for model in (PageSubscription, EditingSession, FormState, APIToken):
        counts[model._meta.model_name] = model.objects.filter(user=user).delete()[0]
    uploads = UploadedFile.objects.filter(uploaded_by_user=user)
    for upload in uploads:
        upload.file.delete(save=False)
    counts["uploadedfile"] = uploads.delete()[0]
    return counts
