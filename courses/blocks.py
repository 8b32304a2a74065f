"""StreamField blocks of lessons and assessments, rendered with GOV.UK Frontend markup.

Every block has a template, an icon, a description and a preview value. Questions (knowledge
checks and assessment questions) keep stable option ids: the answers learners give are recorded
against those ids, so editors may reword or reorder options without breaking past answers.
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"]
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    size = blocks.ChoiceBlock(
        choices=[("h2", "Section heading"), ("h3", "Subsection heading")],
        default="h2",
        help_text="Lesson pages have their title as the only h1.",
    )

    class Meta:
        template = "courses/blocks/heading.html"
        icon = "title"
        description = "A heading that starts a section of the lesson."
        preview_value = {"text": "Why user research matters", "size": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        template = "courses/blocks/paragraph.html"
        icon = "pilcrow"
        description = "Paragraphs, lists and links."
        preview_value = (
            "<p>User research helps you understand who your users are and what they need to do.</p>"
        )


class InsetTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=SHORT_RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        template = "courses/blocks/inset_text.html"
        icon = "openquote"
        description = "Inset text: a quotation, an example or extra information set apart."
        preview_value = "<p>It can take up to 8 weeks to get a security clearance.</p>"


class WarningTextBlock(blocks.CharBlock):
    class Meta:
        template = "courses/blocks/warning_text.html"
        icon = "warning"
        description = "Warning text: something the learner must not miss."
        preview_value = "Never put personal data in a public code repository."


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(max_length=120, help_text="The link text that opens the details.")
    content = blocks.RichTextBlock(features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        template = "courses/blocks/details.html"
        icon = "collapse-down"
        description = "Details: extra content the learner can open if they need it."
        preview_value = {
            "summary": "What is a user need?",
            "content": "<p>A user need is something a person needs to do to get a result.</p>",
        }


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe what the image shows for people who cannot see it.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        template = "courses/blocks/image.html"
        icon = "image"
        description = "An image with alternative text (required) and an optional caption."
        preview_value = {"alt_text": "A service blueprint on a wall", "caption": ""}


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, help_text="Names the video for screen readers.")
    video = EmbedBlock(help_text="A YouTube or Vimeo address.")
    transcript = blocks.RichTextBlock(
        features=SHORT_RICH_TEXT_FEATURES,
        help_text="Required: everything said and shown that matters, for people who cannot watch.",
    )

    class Meta:
        template = "courses/blocks/video.html"
        icon = "media"
        description = "An embedded video with its transcript (required)."
        preview_value = {
            "title": "What is agile?",
            "transcript": "<p>Agile is a way of delivering in small, frequent steps.</p>",
        }


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(
        choices=[
            ("text", "Plain text"),
            ("python", "Python"),
            ("javascript", "JavaScript"),
            ("json", "JSON"),
            ("html", "HTML"),
            ("sql", "SQL"),
            ("shell", "Shell"),
            ("yaml", "YAML"),
        ],
        default="text",
    )
    caption = blocks.CharBlock(required=False, max_length=200)
    code = blocks.TextBlock()

    class Meta:
        template = "courses/blocks/code.html"
        icon = "code"
        description = "A code sample, shown as written."
        preview_value = {
            "language": "shell",
            "caption": "Ask an API for one record",
            "code": "curl https://api.example.gov.uk/v1/organisations/cabinet-office",
        }


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        template = "courses/blocks/document.html"
        icon = "doc-full"
        description = "A file learners can download."
        preview_value = {"description": "A template to plan your research sessions."}


class OptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False, help_text="Tick every correct option.")
    feedback = blocks.CharBlock(
        required=False,
        max_length=500,
        help_text="Shown to a learner who chose this option.",
    )

    class Meta:
        icon = "radio-full"
        label = "Option"


class QuestionBlock(blocks.StructBlock):
    """A single or multiple choice question; the shared shape of checks and assessments."""

    question = blocks.CharBlock(max_length=300)
    hint = blocks.CharBlock(required=False, max_length=300)
    multiple = blocks.BooleanBlock(
        required=False,
        help_text="Learners may choose more than one option (a 'select all that apply' question).",
    )
    options = blocks.ListBlock(OptionBlock(), min_num=2, max_num=8)

    def clean(self, value):
        value = super().clean(value)
        correct = [option for option in value["options"] if option["correct"]]
        if not correct:
            raise StructBlockValidationError(
                block_errors={"options": ValidationError("Mark at least one option as correct.")}
            )
        if not value["multiple"] and len(correct) > 1:
            raise StructBlockValidationError(
                block_errors={
                    "options": ValidationError(
                        "A single choice question has exactly one correct option; "
                        "tick 'multiple' to allow several."
                    )
                }
            )
        return value

    class Meta:
        template = "courses/blocks/question.html"
        icon = "help"
        description = "A multiple choice question with one or more correct options."
        preview_value = {
            "question": "Which of these is a user need?",
            "hint": "Select one option.",
            "multiple": False,
            "options": [
                {"text": "I need to renew my passport before I travel", "correct": True},
                {"text": "The service must use a database", "correct": False},
            ],
        }


class KnowledgeCheckBlock(QuestionBlock):
    class Meta:
        template = "courses/blocks/knowledge_check.html"
        icon = "tick-inverse"
        label = "Knowledge check"
        description = "A question with feedback per option. It does not count towards a pass."


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    inset_text = InsetTextBlock()
    warning_text = WarningTextBlock()
    details = DetailsBlock()
    image = ImageBlock()
    video = VideoBlock()
    code = CodeBlock()
    document = DocumentBlock()
    knowledge_check = KnowledgeCheckBlock()


class AssessmentStreamBlock(blocks.StreamBlock):
    question = QuestionBlock()

    class Meta:
        min_num = 1


def question_options(value) -> list[tuple[str, dict]]:
    """The (option id, option) pairs of a question block value, in the editor's order."""
    return [(child.id, child.value) for child in value["options"].bound_blocks]
