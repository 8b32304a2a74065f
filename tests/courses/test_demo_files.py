"""The demo course files: the loader reads the format exactly and refuses a malformed file
with an error that names the file, the line and the problem.
"""

import pytest

from courses.demo_files import DemoFileError, load_course, load_courses

GOOD = """---
slug: a-course
title: A course
summary: What it is.
audience: Everyone.
duration: 30
format: self-paced
level: 2
professions:
- Digital
skills:
- Data ethics and privacy: 2
outcomes:
- do a thing
---

# Lesson: First
Summary: The first lesson.

::: paragraph
One <em>line</em>
continues.

Intro:

- a
- b
:::

## A heading

::: code python | An example
print("hi")

print("again")
:::

::: check multiple
Which?
hint: Select all that apply.
- [x] Yes
  Right.
- [ ] No

:::

# Assessment

::: question
Pick one.
- [x] This
- [ ] That
:::
"""


def write(tmp_path, text, name="01-a-course.md"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_load_course_reads_front_matter_lessons_blocks_and_questions(tmp_path):
    spec = load_course(write(tmp_path, GOOD))

    assert spec["slug"] == "a-course"
    assert spec["duration"] == 30 and spec["level"] == 2
    assert spec["skills"] == [("Data ethics and privacy", 2)]
    assert spec["professions"] == ["Digital"] and spec["outcomes"] == ["do a thing"]
    [lesson] = spec["lessons"]
    assert (lesson["title"], lesson["summary"]) == ("First", "The first lesson.")
    paragraph, heading, code, check = lesson["body"]
    assert paragraph == {
        "type": "paragraph",
        "value": "<p>One <em>line</em> continues.</p><p>Intro:</p><ul><li>a</li><li>b</li></ul>",
    }
    assert heading == {"type": "heading", "value": {"text": "A heading", "size": "h2"}}
    assert code["value"] == {
        "language": "python",
        "caption": "An example",
        "code": 'print("hi")\n\nprint("again")',
    }
    assert check == {
        "type": "knowledge_check",
        "value": {
            "question": "Which?",
            "hint": "Select all that apply.",
            "multiple": True,
            "options": [
                {"text": "Yes", "correct": True, "feedback": "Right."},
                {"text": "No", "correct": False, "feedback": ""},
            ],
        },
    }
    [question] = spec["assessment"]
    assert question["type"] == "question"
    assert [o["correct"] for o in question["value"]["options"]] == [True, False]


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (GOOD.replace("---\nslug", "slug", 1), "line 1: a course file starts with front matter"),
        (GOOD.replace("duration: 30", "duration: half an hour"), "line 6: 'duration' must be"),
        (GOOD.replace("title: A course\n", ""), "the front matter lacks title"),
        (GOOD.replace("colour: red", "").replace("format:", "colour: red\nformat:"), "line 7"),
        (GOOD.replace("- Data ethics and privacy: 2", "- Data ethics"), "a skill is"),
        (GOOD.replace("Summary: The first lesson.", "The first lesson."), "Summary: <text>"),
        (GOOD.replace("::: code python", "::: video python"), "line 32: unknown block"),
        (GOOD.rstrip().removesuffix(":::"), "line 49: this block has no closing ':::'"),
        (GOOD.replace("- [x] Yes", "- [ ] Yes"), "at least one correct option"),
        (GOOD.replace("- [x] This", "* This"), "expected an option"),
        (GOOD.replace("## A heading", "A stray sentence."), "line 30: text outside a block"),
        (GOOD.replace("::: question", "::: check", 1), "line 49: lessons hold content and checks"),
        (GOOD.split("# Assessment")[0], "needs a '# Assessment'"),
    ],
)
def test_load_course_refuses_a_malformed_file_naming_file_and_line(tmp_path, broken, message):
    path = write(tmp_path, broken)

    with pytest.raises(DemoFileError) as error:
        load_course(path)

    assert str(error.value).startswith("01-a-course.md, line ")
    assert message in str(error.value)


def test_load_courses_reads_files_in_name_order_and_refuses_an_empty_folder(tmp_path):
    write(tmp_path, GOOD.replace("a-course", "second"), name="02-second.md")
    write(tmp_path, GOOD, name="01-first.md")

    assert [spec["slug"] for spec in load_courses(tmp_path)] == ["a-course", "second"]
    with pytest.raises(DemoFileError, match="no demo course files"):
        load_courses(tmp_path / "missing")


def test_the_project_demo_courses_load():
    specs = load_courses()
    assert len(specs) >= 8
    assert len({spec["slug"] for spec in specs}) == len(specs)
