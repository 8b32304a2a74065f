import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))


def test_no_template_has_a_multi_line_comment_tag():
    """Django's {# #} is one line only: a second line is printed on the page as text."""
    unclosed = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\{#(?!.*#\})", line)
    ]
    assert TEMPLATES and not unclosed


@pytest.mark.django_db
def test_pages_show_no_template_syntax(client):
    for url in ("/accounts/login/", "/accessibility/", "/privacy/", "/cookies/", "/status/"):
        html = client.get(url).content.decode()
        assert "{#" not in html and "{%" not in html and "{{" not in html, url
