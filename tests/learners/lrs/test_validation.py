"""One valid and one invalid case per MUST of xAPI 1.0.3 Data that the validator enforces."""

import copy
import uuid

import pytest

from learners.lrs.validation import (
    StatementValidationError,
    formats,
    parse_timestamp,
    validate_statement,
)
from tests.factories.lrs import statement

SHA2 = "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"


def _with(path: str, value):
    """A valid statement with the value at a dotted path replaced (None deletes it)."""
    data = statement(
        result={"score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10}, "success": True},
        context={
            "registration": "6fbd8f6a-6b0a-4d6b-8a1e-3c1e2f8b9a10",
            "contextActivities": {"parent": [{"id": "http://example.com/course"}]},
        },
    )
    target = data
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target.setdefault(key, {})
    if value is None:
        target.pop(keys[-1], None)
    else:
        target[keys[-1]] = value
    return data


VALID = [
    ("id", "AA97B177-9383-4934-8543-0F91A7A02836"),
    ("actor", {"mbox_sha1sum": "a" * 40}),
    ("actor", {"openid": "https://openid.example.com/someone"}),
    ("actor", {"account": {"homePage": "http://testserver", "name": "42"}}),
    ("actor", {"objectType": "Group", "member": [{"mbox": "mailto:a@example.gov.uk"}]}),
    ("actor", {"objectType": "Group", "mbox": "mailto:team@example.gov.uk"}),
    ("verb.display", {"en-GB": "completed", "cy": "cwblhawyd"}),
    ("object", {"objectType": "Agent", "mbox": "mailto:b@example.gov.uk"}),
    ("object", {"objectType": "StatementRef", "id": "6fbd8f6a-6b0a-4d6b-8a1e-3c1e2f8b9a10"}),
    (
        "object",
        {
            "objectType": "SubStatement",
            "actor": {"mbox": "mailto:a@example.gov.uk"},
            "verb": {"id": "http://example.com/verbs/will-attend"},
            "object": {"id": "http://example.com/meeting"},
        },
    ),
    (
        "object.definition",
        {
            "interactionType": "choice",
            "correctResponsesPattern": ["a"],
            "choices": [{"id": "a", "description": {"en-GB": "A"}}, {"id": "b"}],
        },
    ),
    ("result.score", {"scaled": -1, "raw": 0, "min": 0, "max": 0}),
    ("result.duration", "PT1H30M"),
    ("result.duration", "P1Y2M3DT4H5M6.5S"),
    ("result.extensions", {"http://example.com/ext": None}),
    ("context.contextActivities.parent", {"id": "http://example.com/course"}),
    ("context.language", "en-GB"),
    ("timestamp", "2026-11-27T10:00:00Z"),
    ("timestamp", "2026-11-27T10:00:00.123+01:00"),
    ("timestamp", "20261127T100000Z"),
    ("timestamp", "2026-11-27T10:00:00"),
    ("version", "1.0.3"),
    ("version", "1.0"),
    (
        "attachments",
        [
            {
                "usageType": "http://example.com/usage",
                "display": {"en-GB": "A file"},
                "contentType": "text/plain; charset=ascii",
                "length": 27,
                "sha2": SHA2,
                "fileUrl": "http://example.com/file.txt",
            }
        ],
    ),
]

INVALID = [
    # (path, value, property named in the error)
    ("actor", None, "actor"),
    ("verb", None, "verb"),
    ("object", None, "object"),
    ("Actor", {"mbox": "mailto:a@example.gov.uk"}, "statement.Actor"),
    ("unknown", 1, "statement.unknown"),
    ("id", "not-a-uuid", "id"),
    ("id", "AA97B177-9383-4934-8543-0F91A7A028368", "id"),
    ("id", 12345, "id"),
    ("actor", {"mbox": "a@example.gov.uk"}, "actor.mbox"),
    ("actor", {"mbox": "mailto:a@example.gov.uk", "openid": "http://x.example"}, "actor"),
    ("actor", {"name": "No identifier"}, "actor"),
    ("actor", {"mbox_sha1sum": "xyz"}, "actor.mbox_sha1sum"),
    ("actor", {"openid": "not an iri"}, "actor.openid"),
    ("actor", {"account": {"name": "42"}}, "actor.account"),
    (
        "actor",
        {"account": {"homePage": "http://testserver", "name": {"a": 1}}},
        "actor.account.name",
    ),
    ("actor", {"account": {"homePage": "testserver", "name": "42"}}, "actor.account.homePage"),
    ("actor", {"objectType": "Group"}, "actor.member"),
    (
        "actor",
        {"objectType": "Group", "member": [{"objectType": "Group", "mbox": "mailto:a@b.c"}]},
        "actor.member[0]",
    ),
    ("actor", {"objectType": "Person", "mbox": "mailto:a@example.gov.uk"}, "actor.objectType"),
    ("actor.name", None, None),  # removing a name is fine: checked in VALID-by-omission below
    ("verb.id", "completed", "verb.id"),
    ("verb.display", {"a12345": "completed"}, "verb.display.a12345"),
    ("verb.display", {}, "verb.display"),
    ("object.definition", {"description": {}}, "object.definition.description"),
    ("verb.display", {"en-US": None}, "verb.display.en-US"),
    ("object", {"objectType": "Agent"}, "object"),
    ("object", {"mbox": "mailto:a@example.gov.uk"}, "object.mbox"),
    ("object.id", None, "object.id"),
    ("object.definition", {"moreInfo": None}, "object.definition.moreInfo"),
    ("object.definition", {"interactionType": "Choice"}, "object.definition.interactionType"),
    ("object.definition", {"choices": [{"id": "a"}]}, "object.definition.interactionType"),
    (
        "object.definition",
        {"interactionType": "choice", "choices": [{"id": "a"}, {"id": "a"}]},
        "object.definition.choices[1].id",
    ),
    ("object.definition", {"name": "Lesson"}, "object.definition.name"),
    ("object", {"objectType": "StatementRef", "id": "nope"}, "object.id"),
    (
        "object",
        {
            "objectType": "SubStatement",
            "id": "6fbd8f6a-6b0a-4d6b-8a1e-3c1e2f8b9a10",
            "actor": {"mbox": "mailto:a@example.gov.uk"},
            "verb": {"id": "http://example.com/v"},
            "object": {"id": "http://example.com/a"},
        },
        "object.id",
    ),
    (
        "object",
        {
            "objectType": "SubStatement",
            "actor": {"mbox": "mailto:a@example.gov.uk"},
            "verb": {"id": "http://example.com/v"},
            "object": {
                "objectType": "SubStatement",
                "actor": {"mbox": "mailto:a@example.gov.uk"},
                "verb": {"id": "http://example.com/v"},
                "object": {"id": "http://example.com/a"},
            },
        },
        "object.object.objectType",
    ),
    ("result.score", {"scaled": 1.5}, "result.score.scaled"),
    ("result.score", {"raw": 11, "min": 0, "max": 10}, "result.score.raw"),
    ("result.score", {"raw": -1, "min": 0, "max": 10}, "result.score.raw"),
    ("result.score", {"min": 5, "max": 1}, "result.score.min"),
    ("result.score", {"max": "100"}, "result.score.max"),
    ("result.success", "true", "result.success"),
    ("result.completion", "false", "result.completion"),
    ("result.duration", "5 minutes", "result.duration"),
    ("result.duration", "PT", "result.duration"),
    ("result.extensions", {"not-an-iri": 1}, "result.extensions.not-an-iri"),
    ("context.registration", "nope", "context.registration"),
    ("context.registration", None, None),
    ("context.contextActivities", {"parents": [{"id": "http://x.example"}]}, None),
    (
        "context.contextActivities.parent",
        [{"id": "not an iri"}],
        "context.contextActivities.parent[0].id",
    ),
    ("context.team", {"mbox": "mailto:t@example.gov.uk"}, "context.team.objectType"),
    ("context.language", "english please", "context.language"),
    (
        "context.statement",
        {"id": "6fbd8f6a-6b0a-4d6b-8a1e-3c1e2f8b9a10"},
        "context.statement.objectType",
    ),
    ("timestamp", "should fail", "timestamp"),
    ("timestamp", "01/011/2015", "timestamp"),
    ("timestamp", "2008-09-15T15:53:00.601-00:00", "timestamp"),
    ("timestamp", "2008-09-15T15:53:00.601-0000", "timestamp"),
    ("timestamp", "2008-09-15T15:53:00.601-00", "timestamp"),
    ("timestamp", "2026-13-27T10:00:00Z", "timestamp"),
    ("stored", "yesterday", "stored"),
    ("version", "0.95", "version"),
    ("version", "2.0.0", "version"),
    ("authority", {"name": "No identifier"}, "authority"),
    ("attachments", [{"usageType": "http://example.com/u"}], "attachments[0].display"),
    (
        "attachments",
        [
            {
                "usageType": "http://example.com/u",
                "display": {"en-GB": "A file"},
                "contentType": "text/plain",
                "length": "27",
                "sha2": SHA2,
            }
        ],
        "attachments[0].length",
    ),
]


@pytest.mark.parametrize(("path", "value"), VALID)
def test_validate_statement_accepts_valid(path, value):
    validate_statement(_with(path, value))


@pytest.mark.parametrize(
    ("path", "value", "prop"), [case for case in INVALID if case[2] is not None]
)
def test_validate_statement_rejects_invalid(path, value, prop):
    data = _with(path, value)
    with pytest.raises(StatementValidationError) as caught:
        validate_statement(data)
    assert caught.value.property == prop
    assert caught.value.rule.startswith("xAPI 1.0.3")
    assert caught.value.message


def test_validate_statement_context_activities_keys_are_limited():
    data = _with("context.contextActivities", {"parents": [{"id": "http://x.example"}]})
    with pytest.raises(StatementValidationError) as caught:
        validate_statement(data)
    assert caught.value.property == "context.contextActivities.parents"


@pytest.mark.parametrize("key", ["revision", "platform"])
def test_validate_statement_revision_and_platform_need_an_activity_object(key):
    data = statement(
        object={"objectType": "Agent", "mbox": "mailto:b@example.gov.uk"}, context={key: "x"}
    )
    with pytest.raises(StatementValidationError) as caught:
        validate_statement(data)
    assert caught.value.property == f"context.{key}"
    ok = statement(context={key: "x"})
    validate_statement(ok)


def test_validate_statement_voiding_needs_a_statement_ref():
    data = statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"})
    with pytest.raises(StatementValidationError) as caught:
        validate_statement(data)
    assert caught.value.rule == "xAPI 1.0.3 Data 2.3.2: voiding"


def test_validate_statement_substatement_rules_apply_inside():
    sub = {
        "objectType": "SubStatement",
        "actor": {"mbox": "not-mailto"},
        "verb": {"id": "http://example.com/v"},
        "object": {"id": "http://example.com/a"},
    }
    with pytest.raises(StatementValidationError) as caught:
        validate_statement(statement(object=sub))
    assert caught.value.property == "object.actor.mbox"


def test_validate_statement_rejects_non_objects():
    for value in (None, [], "statement", 3):
        with pytest.raises(StatementValidationError):
            validate_statement(value)


def test_validate_statement_does_not_modify_its_input():
    data = statement(context={"contextActivities": {"parent": {"id": "http://x.example"}}})
    before = copy.deepcopy(data)
    validate_statement(data)
    assert data == before


def test_parse_timestamp_reads_offsets_and_defaults_to_utc():
    assert parse_timestamp("2026-11-27T10:00:00+01:00").isoformat() == "2026-11-27T10:00:00+01:00"
    assert parse_timestamp("2026-11-27T10:00:00").utcoffset().total_seconds() == 0
    assert parse_timestamp("2026-11-27T10:00:00.123456789Z").microsecond == 123456
    assert parse_timestamp("2026-02-30T10:00:00Z") is None


@pytest.mark.parametrize(
    ("tag", "valid"),
    [
        ("en-GB", True),
        ("fr", True),
        ("zh-Hans-CN", True),
        ("es-419", True),
        ("zh-yue-HK", True),
        ("sl-rozaj-biske", True),
        ("de-CH-1901", True),
        ("en-US-u-islamcal", True),
        ("en-a-bbb-x-a-ccc", True),
        ("x-private", True),
        ("i-klingon", True),
        ("en-GB-oed", True),
        ("de-419-DE", False),
        ("en-GB-US", False),
        ("en-", False),
        ("en--GB", False),
        ("abcdefghi", False),
        ("en-a", False),
        ("en-x", False),
        ("i-unknown", False),
        ("en_GB", False),
        ("en-GB\n", False),
    ],
)
def test_validate_statement_language_tags_follow_rfc_5646(tag, valid):
    """Data 4.2: language tags are RFC 5646 Language-Tags (XAPI-00121)."""
    data = _with("context.language", tag)
    if valid:
        validate_statement(data)
    else:
        with pytest.raises(StatementValidationError) as caught:
            validate_statement(data)
        assert caught.value.property == "context.language"


def test_long_values_are_checked_but_never_kept_in_the_format_caches():
    formats._is_iri.cache_clear()  # a pure cache: room for the short value at the end
    sizes = (formats._is_iri.cache_info().currsize, formats._parse_timestamp.cache_info().currsize)
    padding = "a" * formats.CACHED_MAX_LENGTH
    assert formats.is_iri(f"http://example.com/{padding}")
    assert not formats.is_iri(f"no scheme {padding}")
    assert parse_timestamp(f"2026-11-27T10:00:00Z{padding}") is None
    assert sizes == (
        formats._is_iri.cache_info().currsize,
        formats._parse_timestamp.cache_info().currsize,
    )
    assert formats.is_iri(f"http://example.com/{uuid.uuid4()}")  # a short one is kept
    assert formats._is_iri.cache_info().currsize == sizes[0] + 1
