"""The floors, checked on the source: every import of every project module (read with `ast`,
including imports inside functions) and every model relation named by a string points down,
the LRS imports nothing of the curriculum, learning, challenges or reporting, and no code
passes data on private request attributes.

Floors, lowest first: courses < learners (with learners.lrs and learners.learning) <
challenges < reporting < school. tests/ and bench/ sit outside the floors and may import any.
See docs/architecture.md.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLOORS = {"courses": 0, "learners": 1, "challenges": 2, "reporting": 3, "school": 4}
LRS = ("learners", "lrs")
# The LRS is a content-agnostic store: it may not know the platform's vocabulary or the apps
# whose events it stores.
LRS_FORBIDDEN = (
    ("courses",),
    ("challenges",),
    ("reporting",),
    ("school",),
    ("learners", "learning"),
    ("learners", "xapi"),
)
# Django app labels (models named in strings, "app_label.Model") by their floor's package.
APP_LABELS = {
    "courses": "courses",
    "learners": "learners",
    "lrs": "learners",
    "learning": "learners",
    "challenges": "challenges",
    "reporting": "reporting",
}
RELATION_FIELDS = {
    "ForeignKey",
    "OneToOneField",
    "ManyToManyField",
    "ParentalKey",
    "ParentalManyToManyField",
}
# The catalogue's audience filter names learners' Profession reference data: the one relation
# that points up, explained in docs/architecture.md ("The Profession link").
UPWARD_RELATIONS_ALLOWED = {("courses/models/pages.py", "learners.Profession")}
# Wagtail 8 has no public way to hand it a request's site; this is the one place that sets
# its private attribute (see courses.middleware.give_wagtail_the_site).
PRIVATE_REQUEST_ATTRIBUTES_ALLOWED = {("courses/middleware.py", "_wagtail_site")}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


def module_name(root: Path, path: Path) -> tuple[str, ...]:
    parts = path.relative_to(root).with_suffix("").parts
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_modules(tree: ast.AST, name: tuple[str, ...], is_package: bool):
    """(line, absolute module parts) for every import in the module, relative ones resolved."""
    package = name if is_package else name[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, tuple(alias.name.split("."))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = base + tuple(node.module.split(".")) if node.module else base
            else:
                module = tuple(node.module.split("."))
            yield node.lineno, module
            # `from learners import learning` imports the sub-package learners.learning.
            for alias in node.names:
                yield node.lineno, (*module, alias.name)


def import_violations(root: Path, path: Path) -> list[Violation]:
    name = module_name(root, path)
    floor = FLOORS[name[0]]
    tree = ast.parse(path.read_text(), filename=str(path))
    relative = str(path.relative_to(root))
    found = []
    for line, module in imported_modules(tree, name, path.name == "__init__.py"):
        target = FLOORS.get(module[0])
        dotted = ".".join(module)
        if target is not None and target > floor:
            found.append(Violation(relative, line, f"{name[0]} imports {dotted}, a higher floor"))
        if name[:2] == LRS and any(module[: len(f)] == f for f in LRS_FORBIDDEN):
            found.append(Violation(relative, line, f"the LRS imports {dotted}"))
    return found


def _relation_targets(tree: ast.AST):
    """(line, "app_label.Model") of each model relation field named by a string."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name not in RELATION_FIELDS:
            continue
        values = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "to")]
        for value in values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                yield node.lineno, value.value


def relation_violations(root: Path, path: Path) -> list[Violation]:
    name = module_name(root, path)
    floor = FLOORS[name[0]]
    relative = str(path.relative_to(root))
    found = []
    for line, target in _relation_targets(ast.parse(path.read_text(), filename=str(path))):
        package = APP_LABELS.get(target.partition(".")[0])
        if package is None or FLOORS[package] <= floor:
            continue
        if (relative, target) not in UPWARD_RELATIONS_ALLOWED:
            found.append(
                Violation(relative, line, f"{name[0]} relates to {target}, a higher floor")
            )
    return found


def _is_request(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "request"


def request_attribute_violations(root: Path, path: Path) -> list[Violation]:
    """Assignments of private attributes on a request (`request._x = ...`, setattr)."""
    relative = str(path.relative_to(root))
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        targets = []
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            targets = [
                (t.attr, t.lineno)
                for t in targets
                if isinstance(t, ast.Attribute) and _is_request(t.value)
            ]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "setattr"
            and len(node.args) >= 2
            and _is_request(node.args[0])
            and isinstance(node.args[1], ast.Constant)
        ):
            targets = [(str(node.args[1].value), node.lineno)]
        for attribute, line in targets:
            if attribute.startswith("_") and (relative, attribute) not in (
                PRIVATE_REQUEST_ATTRIBUTES_ALLOWED
            ):
                found.append(Violation(relative, line, f"sets request.{attribute}"))
    return found


def project_modules(root: Path) -> list[Path]:
    return sorted(
        path
        for app in FLOORS
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
    )


def check(root: Path) -> list[Violation]:
    found = []
    for path in project_modules(root):
        found += import_violations(root, path)
        found += relation_violations(root, path)
        found += request_attribute_violations(root, path)
    return found


def test_the_project_keeps_its_floors():
    assert project_modules(ROOT), "no project modules found"
    violations = check(ROOT)
    assert not violations, "\n".join(map(str, violations))


def plant(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_check_finds_an_import_from_a_higher_floor(tmp_path):
    root = plant(
        tmp_path,
        {
            "courses/__init__.py": "",
            "courses/models.py": "from learners.models import Profession\n",
            "learners/__init__.py": "",
            "learners/selectors.py": ("def evidence():\n    from challenges import selectors\n"),
            "challenges/views.py": "import reporting.selectors\nfrom courses import models\n",
            "reporting/views.py": "from learners.learning import selectors\n",
        },
    )

    assert [str(v) for v in check(root)] == [
        "challenges/views.py:1: challenges imports reporting.selectors, a higher floor",
        "courses/models.py:1: courses imports learners.models, a higher floor",
        "courses/models.py:1: courses imports learners.models.Profession, a higher floor",
        "learners/selectors.py:2: learners imports challenges, a higher floor",
        "learners/selectors.py:2: learners imports challenges.selectors, a higher floor",
    ]


def test_the_check_finds_a_relation_to_a_higher_floor(tmp_path):
    root = plant(
        tmp_path,
        {
            "courses/models/pages.py": (
                "from django.db import models\n"
                "class CoursePage:\n"
                "    audience = models.ManyToManyField('learners.Profession')\n"  # allowed
                "    team = models.ForeignKey(to='challenges.Submission')\n"
            ),
            "learners/models.py": "x = models.ForeignKey('lrs.Client')\n",  # same floor
            "challenges/models.py": "x = ParentalKey('reporting.Target', on_delete=None)\n",
        },
    )

    assert [str(v) for v in check(root)] == [
        "challenges/models.py:1: challenges relates to reporting.Target, a higher floor",
        "courses/models/pages.py:4: courses relates to challenges.Submission, a higher floor",
    ]


def test_the_check_finds_the_lrs_importing_content_modules(tmp_path):
    root = plant(
        tmp_path,
        {
            "learners/lrs/services.py": (
                "from learners.models import User\n"  # the same floor, not content: allowed
                "from learners import learning\n"
                "from ..xapi import PASSED\n"
            ),
            "learners/lrs/api/views.py": "from ...learning.selectors import progress\n",
            "learners/lrs/emit/__init__.py": "from courses.models import CoursePage\n",
        },
    )

    messages = sorted(str(v) for v in check(root))

    assert messages == [
        "learners/lrs/api/views.py:1: the LRS imports learners.learning.selectors",
        "learners/lrs/api/views.py:1: the LRS imports learners.learning.selectors.progress",
        "learners/lrs/emit/__init__.py:1: the LRS imports courses.models",
        "learners/lrs/emit/__init__.py:1: the LRS imports courses.models.CoursePage",
        "learners/lrs/services.py:2: the LRS imports learners.learning",
        "learners/lrs/services.py:3: the LRS imports learners.xapi",
        "learners/lrs/services.py:3: the LRS imports learners.xapi.PASSED",
    ]


def test_the_check_finds_data_passed_on_request_attributes(tmp_path):
    root = plant(
        tmp_path,
        {
            "learners/lrs/api/statements.py": (
                "def post(request):\n"
                "    request._xapi_statements = (1, 2)\n"
                "    request.lrs_auth = None\n"  # public, set like request.user: allowed
            ),
            "learners/learning/tags.py": (
                "def cache(request):\n    setattr(request, '_learning_cache', {})\n"
            ),
            "courses/middleware.py": "def give(request, site):\n    request._wagtail_site = site\n",
        },
    )

    assert sorted(str(v) for v in check(root)) == [
        "learners/learning/tags.py:2: sets request._learning_cache",
        "learners/lrs/api/statements.py:2: sets request._xapi_statements",
    ]
