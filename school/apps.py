from django.apps import AppConfig


class SchoolConfig(AppConfig):
    name = "school"
    verbose_name = "Composition root"

    def ready(self):
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from challenges.models import ChallengePage
        from learners.models import Organisation, Profile, User

        from .context_processors import access_changed

        def user_saved(sender, update_fields=None, **kwargs):
            if update_fields is None or set(update_fields) - {"last_login"}:
                access_changed()

        # What the service navigation remembers about the places roles give: roles and
        # permissions, superusers, HR leads and the organisations they lead.
        uid = "school-navigation-access"
        post_save.connect(user_saved, sender=User, dispatch_uid=f"{uid}-user", weak=False)
        for model in (User, Profile, Organisation, Group):
            name = model._meta.label_lower
            post_delete.connect(access_changed, sender=model, dispatch_uid=f"{uid}-{name}-del")
        for model in (Organisation, Group):
            name = model._meta.label_lower
            post_save.connect(access_changed, sender=model, dispatch_uid=f"{uid}-{name}")
        # ... and about challenge management (modelcluster saves a page's managers with the page,
        # which need not send m2m_changed).
        post_save.connect(access_changed, sender=ChallengePage, dispatch_uid=f"{uid}-challenge")
        post_delete.connect(
            access_changed, sender=ChallengePage, dispatch_uid=f"{uid}-challenge-del"
        )
        for through in (
            User.groups.through,
            User.user_permissions.through,
            Group.permissions.through,
            Profile.hr_lead_for.through,
            ChallengePage.managers.through,
        ):
            m2m_changed.connect(
                access_changed, sender=through, dispatch_uid=f"{uid}-{through._meta.label_lower}"
            )
