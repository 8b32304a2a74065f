"""Users, their profiles and their roles."""

import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from courses.models import RoleLevel

from .organisations import Grade, Organisation, Profession


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with their email address; there are no usernames."""

    username = None
    email = models.EmailField("email address", unique=True)
    # GOV.UK asks for given and family names rather than "first" and "last": not every
    # culture puts the given name first. The columns keep Django's names so that allauth, the
    # admin and SSO claims (given_name, family_name) fill them without translation.
    first_name = models.CharField("given name", max_length=150, blank=True)
    last_name = models.CharField("family name", max_length=150, blank=True)
    # The opaque id used as the xAPI account name: erasing a learner means dropping this mapping.
    learner_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """How the service shows this person: their full name, or their email address only for
        an account that has not given a name yet (created before names were asked).
        """
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    """Roles beyond 'learner', which everyone is. Each maps to a Django group of the same name."""

    MENTOR = "Mentors", "Mentor"
    HR_LEAD = "HR leads", "HR lead"
    ANALYST = "Central analysts", "Central analyst"
    EDITOR = "Editors", "Editor"
    MODERATOR = "Moderators", "Moderator"


class Profile(models.Model):
    """Where a learner sits and where they want to go in the DDaT framework."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
        verbose_name="department or agency",
    )
    grade = models.ForeignKey(Grade, null=True, blank=True, on_delete=models.PROTECT)
    profession = models.ForeignKey(Profession, null=True, blank=True, on_delete=models.PROTECT)
    current_role_level = models.ForeignKey(
        RoleLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_role_level = models.ForeignKey(
        RoleLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The departments whose skills coverage this person may see as an HR lead.
    hr_lead_for = models.ManyToManyField(
        Organisation, blank=True, related_name="hr_leads", verbose_name="HR lead for"
    )
    # Lets the coverage job find learners who moved department, grade or profession.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self):
        return f"Profile of {self.user}"

    @property
    def is_complete(self) -> bool:
        return all([self.organisation_id, self.grade_id, self.profession_id])
