"""The challenge pages. Declarative: content, panels and page-type rules only."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.models import SkillLevel
from learners.models import Role

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ul", "ol"]

# File types an entrant may upload, recognised from the file's content by `filetype`.
# Plain-text formats are left out on purpose: their content cannot be told apart from anything.
FILE_TYPES = {
    "pdf": "PDF",
    "docx": "Word document (.docx)",
    "xlsx": "Excel spreadsheet (.xlsx)",
    "pptx": "PowerPoint presentation (.pptx)",
    "odt": "OpenDocument text (.odt)",
    "ods": "OpenDocument spreadsheet (.ods)",
    "odp": "OpenDocument presentation (.odp)",
    "png": "PNG image",
    "jpg": "JPEG image",
    "gif": "GIF image",
    "zip": "ZIP archive",
    "mp4": "MP4 video",
}
DEFAULT_FILE_TYPES = "pdf,docx,pptx,xlsx,odt,png,jpg"


class ScoreLevel(models.IntegerChoices):
    """The rubric's four score levels; each criterion describes what each one looks like."""

    NOT_YET = 1, "Not yet"
    DEVELOPING = 2, "Developing"
    SECURE = 3, "Secure"
    EXCELLENT = 4, "Excellent"


class ChallengeIndexPage(Page):
    introduction = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["challenges.ChallengePage"]
    max_count = 1
    template = "challenges/challenge_index_page.html"

    def get_context(self, request, *args, **kwargs):
        from challenges.selectors import challenge_list

        context = super().get_context(request, *args, **kwargs)
        context["challenges"] = challenge_list(index=self)
        return context


class ChallengePage(Page):
    summary = models.CharField(max_length=300, help_text="One or two sentences for the list.")
    problem_statement = RichTextField(features=RICH_TEXT_FEATURES)
    sponsor = models.ForeignKey(
        "learners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="sponsoring department",
    )
    skills = ParentalManyToManyField(
        "courses.Skill",
        related_name="challenges",
        help_text="The DDaT skills an accepted submission evidences.",
    )
    level = models.PositiveSmallIntegerField(
        choices=SkillLevel.choices,
        default=SkillLevel.WORKING,
        help_text="The level of those skills an accepted submission evidences.",
    )
    opens_at = models.DateTimeField("opens")
    closes_at = models.DateTimeField("closes", help_text="Submissions after this are refused.")
    eligibility = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    max_team_size = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Including the person who starts the submission. 1 means individual entries.",
    )
    allowed_file_types = models.CharField(
        max_length=200,
        default=DEFAULT_FILE_TYPES,
        help_text="Comma-separated, from: " + ", ".join(FILE_TYPES) + ".",
    )
    max_file_size_mb = models.PositiveSmallIntegerField(
        "largest file (MB)", default=10, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    max_files = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    managers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="managed_challenges",
        blank=True,
        limit_choices_to={"groups__name__in": [Role.MENTOR, Role.EDITOR]},
        help_text="Challenge managers assign mentors and decide on submissions.",
    )
    mentors_per_submission = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    exclude_same_department = models.BooleanField(
        "mentors from another department only",
        default=True,
        help_text="Never assign a mentor from the same department as an entrant.",
    )
    blind_review = models.BooleanField(
        default=False, help_text="Hide entrants' names from mentors."
    )
    disagreement_margin = models.PositiveSmallIntegerField(
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Flag reviews whose scores differ by more than this many percentage points.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("problem_statement"),
        FieldPanel("sponsor"),
        MultiFieldPanel([FieldPanel("skills"), FieldPanel("level")], heading="Skills built"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")])], heading="Dates"
        ),
        FieldPanel("eligibility"),
        MultiFieldPanel(
            [
                FieldPanel("max_team_size"),
                FieldPanel("allowed_file_types"),
                FieldPanel("max_file_size_mb"),
                FieldPanel("max_files"),
            ],
            heading="Entries",
        ),
        InlinePanel("rubric_criteria", label="Rubric criteria", min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("managers"),
                FieldPanel("mentors_per_submission"),
                FieldPanel("exclude_same_department"),
                FieldPanel("blind_review"),
                FieldPanel("disagreement_margin"),
            ],
            heading="Review",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("problem_statement"),
        index.FilterField("closes_at"),
    ]
    parent_page_types = ["challenges.ChallengeIndexPage"]
    subpage_types: list[str] = []
    template = "challenges/challenge_page.html"

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = "The closing date must be after the opening date."
        unknown = [ext for ext in self.allowed_extensions if ext not in FILE_TYPES]
        if unknown or not self.allowed_extensions:
            errors["allowed_file_types"] = "Choose file types from: " + ", ".join(FILE_TYPES) + "."
        if errors:
            raise ValidationError(errors)

    @property
    def allowed_extensions(self) -> list[str]:
        return [ext.strip().lower() for ext in self.allowed_file_types.split(",") if ext.strip()]

    @property
    def allowed_file_type_labels(self) -> list[str]:
        return [FILE_TYPES.get(ext, ext) for ext in self.allowed_extensions]

    @property
    def max_file_size_bytes(self) -> int:
        return self.max_file_size_mb * 1024 * 1024

    def is_open_at(self, moment) -> bool:
        return self.opens_at <= moment < self.closes_at

    def get_context(self, request, *args, **kwargs):
        from challenges.selectors import challenge_entry_for_user

        context = super().get_context(request, *args, **kwargs)
        context["entry"] = challenge_entry_for_user(challenge=self, user=request.user)
        return context


class RubricCriterion(Orderable):
    """One criterion of a challenge's rubric, with a weight and what each score looks like."""

    page = ParentalKey(ChallengePage, on_delete=models.CASCADE, related_name="rubric_criteria")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    not_yet = models.TextField("level 1: not yet")
    developing = models.TextField("level 2: developing")
    secure = models.TextField("level 3: secure")
    excellent = models.TextField("level 4: excellent")

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("weight"),
        FieldPanel("not_yet"),
        FieldPanel("developing"),
        FieldPanel("secure"),
        FieldPanel("excellent"),
    ]

    def __str__(self):
        return self.title

    @property
    def descriptors(self) -> list[tuple[int, str, str]]:
        """(score, label, descriptor) for each score level, lowest first."""
        texts = [self.not_yet, self.developing, self.secure, self.excellent]
        return [
            (level.value, level.label, text) for level, text in zip(ScoreLevel, texts, strict=True)
        ]
