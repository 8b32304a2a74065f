from django.apps import AppConfig


class SchoolConfig(AppConfig):
    name = "school"
    verbose_name = "Composition root"

    def ready(self):
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from learners.models import Organisation, Profile, User

        from .context_processors import access_changed

        def user_saved(sender, update_fields=None, **kwargs):
            if update_fields is None or set(update_fields) - {"last_login"}:
                access_changed()

        # What the service navigation remembers about access to skills coverage: roles,
        # superusers, HR leads and the organisations they lead.
        uid = "school-navigation-access"
        post_save.connect(user_saved, sender=User, dispatch_uid=f"{uid}-user", weak=False)
        for model in (User, Profile, Organisation, Group):
            name = model._meta.label_lower
            post_delete.connect(access_changed, sender=model, dispatch_uid=f"{uid}-{name}-del")
        for model in (Organisation, Group):
            name = model._meta.label_lower
            post_save.connect(access_changed, sender=model, dispatch_uid=f"{uid}-{name}")
        for through in (User.groups.through, Profile.hr_lead_for.through):
            m2m_changed.connect(
                access_changed, sender=through, dispatch_uid=f"{uid}-{through._meta.label_lower}"
            )
