"""The demo catalogue's courses as content: one Markdown file per course in the project's
data/demo_courses/.

A file is front matter between `---` lines (`key: value`, or `key:` followed by `- item`
lines), then the lessons and the assessment:

    # Lesson: <title>          a lesson; the next line is `Summary: <one sentence>`
    ## <text>                  a heading block (### for a smaller one)
    ::: paragraph              paragraphs (blank lines between them), and `- item` lists
    ::: inset                  inset text
    ::: warning                warning text
    ::: details <summary>      an expanding section
    ::: code <language> | <caption>       the source, verbatim
    ::: check [multiple]       a knowledge check: the question on the first line, an optional
                               `hint: <text>` line, then `- [x] <text>` (correct) or
                               `- [ ] <text>` options, each optionally followed by an indented
                               line of feedback
    ::: question [multiple]    an assessment question, written like a check
    :::                        ends the block
    # Assessment               the assessment's questions follow

Text is stored as written: inline HTML (<em>, <strong>, <code>, links) passes through. Files
load in name order (hence the number prefixes). A malformed file raises `DemoFileError`
naming the file, the line and what is wrong.
"""

import re
from pathlib import Path

from django.conf import settings


def demo_courses_dir() -> Path:
    return Path(settings.BASE_DIR) / "data" / "demo_courses"


REQUIRED = {
    "slug": str,
    "title": str,
    "summary": str,
    "audience": str,
    "duration": int,
    "format": str,
    "level": int,
    "professions": list,
    "skills": list,
    "outcomes": list,
}
LESSON = re.compile(r"^# Lesson: (?P<title>.+)$")
HEADING = re.compile(r"^(?P<hashes>##|###) (?P<text>.+)$")
FENCE = re.compile(r"^::: (?P<kind>\w+)(?: (?P<rest>.*))?$")
OPTION = re.compile(r"^- \[(?P<mark>[ x])\] (?P<text>.+)$")
SKILL = re.compile(r"^(?P<name>.+): (?P<level>[1-4])$")


class DemoFileError(ValueError):
    """A demo course file that cannot be loaded; the message names the file and line."""


class _Lines:
    def __init__(self, path: Path):
        self.path = path
        self.lines = path.read_text(encoding="utf-8").split("\n")
        self.index = 0

    def error(self, message: str, line: int | None = None) -> DemoFileError:
        """An error at `line` (1-based), by default the line read last."""
        number = max(self.index, 1) if line is None else line
        return DemoFileError(f"{self.path.name}, line {number}: {message}")

    def done(self) -> bool:
        return self.index >= len(self.lines)

    def peek(self) -> str:
        return self.lines[self.index]

    def take(self) -> str:
        line = self.lines[self.index]
        self.index += 1
        return line


def _front_matter(lines: _Lines) -> dict:
    if lines.done() or lines.take() != "---":
        raise lines.error("a course file starts with front matter between '---' lines", 1)
    spec, key = {}, None
    while True:
        if lines.done():
            raise lines.error("the front matter has no closing '---' line")
        line = lines.take()
        if line == "---":
            break
        if line.startswith("- "):
            if key is None or not isinstance(spec[key], list):
                raise lines.error("a '- ' item belongs to a 'key:' line with no value", None)
            spec[key].append(line[2:])
            continue
        name, colon, value = line.partition(":")
        if not colon or name not in REQUIRED:
            raise lines.error(f"unknown front matter line {line!r}; keys: {', '.join(REQUIRED)}")
        if name in spec:
            raise lines.error(f"{name!r} is given twice")
        key, value = name, value.strip()
        if REQUIRED[name] is list:
            if value:
                raise lines.error(f"{name!r} takes a list: put each item on a '- ' line")
            spec[name] = []
        elif REQUIRED[name] is int:
            if not value.isdigit():
                raise lines.error(f"{name!r} must be a whole number, not {value!r}")
            spec[name] = int(value)
        else:
            spec[name] = value
    missing = [name for name in REQUIRED if not spec.get(name)]
    if missing:
        raise lines.error(f"the front matter lacks {', '.join(missing)}")
    skills = []
    for item in spec["skills"]:
        match = SKILL.match(item)
        if match is None:
            raise lines.error(f"a skill is '<skill name>: <level 1-4>', not {item!r}")
        skills.append((match["name"], int(match["level"])))
    spec["skills"] = skills
    return spec


def _fenced(lines: _Lines, opened: int) -> list[str]:
    body = []
    while True:
        if lines.done():
            raise lines.error("this block has no closing ':::' line", opened)
        line = lines.take()
        if line == ":::":
            return body
        body.append(line)


def _paragraphs(body: list[str]) -> str:
    """Paragraphs become <p>, a run of '- ' lines a <ul>; lines of a paragraph join."""
    html, chunk = [], []
    for line in [*body, ""]:
        if line.strip():
            chunk.append(line)
            continue
        if not chunk:
            continue
        if all(item.startswith("- ") for item in chunk):
            html.append("<ul>" + "".join(f"<li>{item[2:]}</li>" for item in chunk) + "</ul>")
        else:
            html.append("<p>" + " ".join(chunk) + "</p>")
        chunk = []
    return "".join(html)


def _question(lines: _Lines, body: list[str], rest: str, opened: int, *, kind: str) -> dict:
    """A check or question; `opened` is the line number of its '::: ' line."""
    if rest not in ("", "multiple"):
        raise lines.error(f"'::: {kind}' takes only 'multiple', not {rest!r}", opened)
    if not body or not body[0].strip():
        raise lines.error("the question goes on the line after the ':::' line", opened + 1)
    value = {"question": body[0], "hint": "", "multiple": rest == "multiple", "options": []}
    options = value["options"]
    for index, line in enumerate(body[1:], start=1):
        if not line.strip():
            continue
        if index == 1 and line.startswith("hint: "):
            value["hint"] = line[len("hint: ") :]
        elif match := OPTION.match(line):
            options.append({"text": match["text"], "correct": match["mark"] == "x", "feedback": ""})
        elif line.startswith("  ") and options and not options[-1]["feedback"]:
            options[-1]["feedback"] = line.strip()
        else:
            raise lines.error(
                f"expected an option '- [x] text' or '- [ ] text': {line!r}", opened + 1 + index
            )
    if len(options) < 2:
        raise lines.error("a question needs at least two options", opened)
    if not any(option["correct"] for option in options):
        raise lines.error("a question needs at least one correct option ('- [x]')", opened)
    return value


def _block(lines: _Lines, kind: str, rest: str, opened: int) -> dict:
    body = _fenced(lines, opened)
    if kind == "paragraph":
        return {"type": "paragraph", "value": _paragraphs(body)}
    if kind == "inset":
        return {"type": "inset_text", "value": _paragraphs(body)}
    if kind == "warning":
        return {"type": "warning_text", "value": " ".join(body).strip()}
    if kind == "details":
        if not rest:
            raise lines.error("'::: details' needs its summary on the same line", opened)
        return {"type": "details", "value": {"summary": rest, "content": _paragraphs(body)}}
    if kind == "code":
        language, bar, caption = (rest or "").partition(" | ")
        if not language or not bar:
            raise lines.error("write '::: code <language> | <caption>'", opened)
        value = {"language": language, "caption": caption, "code": "\n".join(body)}
        return {"type": "code", "value": value}
    if kind in ("check", "question"):
        block_type = "knowledge_check" if kind == "check" else "question"
        return {"type": block_type, "value": _question(lines, body, rest or "", opened, kind=kind)}
    raise lines.error(f"unknown block '::: {kind}'", opened)


def load_course(path: Path) -> dict:
    """One course: its front matter, `lessons` ([{title, summary, body}]) and `assessment`."""
    lines = _Lines(path)
    spec = _front_matter(lines)
    spec["lessons"], spec["assessment"] = [], []
    blocks = None
    while not lines.done():
        number = lines.index + 1
        line = lines.take()
        if not line.strip():
            continue
        if match := LESSON.match(line):
            summary = lines.take() if not lines.done() else ""
            if not summary.startswith("Summary: "):
                raise lines.error("a lesson's title is followed by 'Summary: <text>'")
            lesson = {"title": match["title"], "summary": summary[len("Summary: ") :], "body": []}
            spec["lessons"].append(lesson)
            blocks = lesson["body"]
        elif line == "# Assessment":
            blocks = spec["assessment"]
        elif blocks is None:
            raise lines.error("content before the first '# Lesson: <title>'", number)
        elif match := HEADING.match(line):
            size = "h2" if match["hashes"] == "##" else "h3"
            blocks.append({"type": "heading", "value": {"text": match["text"], "size": size}})
        elif match := FENCE.match(line):
            block = _block(lines, match["kind"], match["rest"] or "", number)
            if (blocks is spec["assessment"]) != (block["type"] == "question"):
                raise lines.error(
                    "lessons hold content and checks, the assessment questions", number
                )
            blocks.append(block)
        else:
            raise lines.error(f"text outside a block: {line!r}", number)
    if not spec["lessons"]:
        raise lines.error("a course needs at least one '# Lesson: <title>'")
    if not spec["assessment"]:
        raise lines.error("a course needs a '# Assessment' with at least one question")
    return spec


def load_courses(directory: Path | None = None) -> list[dict]:
    """Every course file in the directory (data/demo_courses/ by default), in name order."""
    directory = directory or demo_courses_dir()
    paths = sorted(directory.glob("*.md"))
    if not paths:
        raise DemoFileError(f"no demo course files (*.md) in {directory}")
    return [load_course(path) for path in paths]
