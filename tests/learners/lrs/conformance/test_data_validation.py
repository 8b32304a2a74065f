"""Statement validation (xAPI 1.0.3 Data 2.2-2.4 and 4.0), as ADL's templated suites check it
(Data2.2-FormattingRequirements, Data2.3-StatementLifecycle, Data2.4.x, E.Data2.4.10,
E.Data4.0 and configs/*.js): each invalid shape is rejected with 400 and nothing is stored,
each valid one is accepted, wherever an Agent or Group may appear.
"""

import copy
import json
import re

import pytest

from .xapi import activity, mbox_agent, new_id, statement, substatement, verb, voiding

pytestmark = pytest.mark.django_db


# Where an Agent or Group may stand in a statement (the suite's six positions).
def _put_actor(position: str, who: dict) -> dict:
    data = statement()
    if position == "actor":
        data["actor"] = who
    elif position == "authority":
        data["authority"] = who
    elif position == "context.instructor":
        data["context"] = {"instructor": who}
    elif position == "object":
        data["object"] = who
    elif position == "substatement.actor":
        data["object"] = substatement(actor=who)
    elif position == "substatement.context.instructor":
        data["object"] = substatement(context={"instructor": who})
    return data


POSITIONS = [
    "actor",
    "authority",
    "context.instructor",
    "object",
    "substatement.actor",
    "substatement.context.instructor",
]

GROUP = {"objectType": "Group", "name": "g", "mbox": "mailto:group@example.org"}
ANON_GROUP = {"objectType": "Group", "member": [{"mbox": "mailto:m1@example.org"}]}

INVALID_AGENTS = [
    pytest.param(
        {"objectType": "agent", "mbox": "mailto:a@example.org"}, id="objectType-lowercase-agent"
    ),
    pytest.param(
        {"objectType": "group", "mbox": "mailto:a@example.org"}, id="objectType-lowercase-group"
    ),
    pytest.param({"objectType": "Agent"}, id="no-ifi-XAPI-00032"),
    pytest.param(
        {
            "mbox": "mailto:a@example.org",
            "account": {"homePage": "http://www.example.com", "name": "n"},
        },
        id="mbox+account-XAPI-00033",
    ),
    pytest.param(
        {
            "mbox": "mailto:a@example.org",
            "mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975",
        },
        id="mbox+sha1-XAPI-00033",
    ),
    pytest.param(
        {"mbox": "mailto:a@example.org", "openid": "http://openid.example.org/1"},
        id="mbox+openid-XAPI-00033",
    ),
    pytest.param({"mbox": "mailto:a@example.org", "name": 123}, id="name-not-string-XAPI-00034"),
    pytest.param({"mbox": "http://should.fail.com"}, id="mbox-not-mailto-XAPI-00038"),
    pytest.param({"mbox": "mailto:should.fail.com"}, id="mbox-not-email-XAPI-00038"),
    pytest.param({"mbox_sha1sum": {"key": "value"}}, id="sha1-not-string-XAPI-00039"),
    pytest.param({"openid": "ab=c://should.fail.com"}, id="openid-not-uri-XAPI-00040"),
    pytest.param(
        {"account": {"homePage": "ab=c://should.fail.com", "name": "n"}},
        id="account-homepage-not-irl-XAPI-00042",
    ),
    pytest.param(
        {"account": {"homePage": "http://www.example.com"}}, id="account-no-name-XAPI-00043"
    ),
    pytest.param({"account": {"name": "n"}}, id="account-no-homepage-XAPI-00042"),
    pytest.param(
        {"account": {"homePage": "http://www.example.com", "name": 1}},
        id="account-name-not-string-XAPI-00043",
    ),
    pytest.param({"objectType": "Group", "name": "g"}, id="anonymous-group-no-member-XAPI-00035"),
    pytest.param(
        {
            "objectType": "Group",
            "member": [{"objectType": "Group", "mbox": "mailto:g@example.org"}],
        },
        id="group-member-is-group-XAPI-00037",
    ),
    pytest.param(
        {"objectType": "Group", "mbox": "mailto:g@example.org", "member": [{"name": "no ifi"}]},
        id="group-member-without-ifi-XAPI-00036",
    ),
    pytest.param(
        {
            "objectType": "Group",
            "mbox": "mailto:g@example.org",
            "member": {"mbox": "mailto:m@example.org"},
        },
        id="group-member-not-array-XAPI-00036",
    ),
]


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("who", INVALID_AGENTS)
def test_data_invalid_agent_or_group_rejected(xapi, position, who):
    """Data 2.4.2 (XAPI-00031..XAPI-00043, configs agents/groups/ifis/accountobjects): an
    invalid Agent or Group is a 400 wherever it appears, and nothing is stored.
    """
    data = _put_actor(position, copy.deepcopy(who))
    if position == "object" and "objectType" not in who:
        data["object"]["objectType"] = "Agent"
    response = xapi.post_statements(data)
    assert response.status_code == 400, response.content
    assert xapi.get_statements({"statementId": data["id"]}).status_code == 404


VALID_AGENTS = [
    pytest.param({"objectType": "Agent", "mbox": "mailto:a@example.org"}, id="agent-mbox"),
    pytest.param({"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"}, id="agent-sha1"),
    pytest.param({"openid": "http://openid.example.org/12345"}, id="agent-openid"),
    pytest.param(
        {"account": {"homePage": "http://www.example.com", "name": "xAPI account"}},
        id="agent-account",
    ),
    pytest.param(GROUP, id="identified-group"),
    pytest.param(ANON_GROUP, id="anonymous-group"),
]


@pytest.mark.parametrize("position", ["actor", "context.instructor", "substatement.actor"])
@pytest.mark.parametrize("who", VALID_AGENTS)
def test_data_valid_agent_or_group_accepted(xapi, position, who):
    """Data 2.4.2: each IFI form of Agent, identified and anonymous Groups are accepted."""
    data = _put_actor(position, copy.deepcopy(who))
    assert xapi.post_statements(data).status_code == 200


def _mutate(path: str, value, base=None):
    data = copy.deepcopy(base) if base is not None else statement()
    keys = path.split(".")
    target = data
    for key in keys[:-1]:
        target = target.setdefault(key, {}) if not key.isdigit() else target[int(key)]
    if value is _DELETE:
        target.pop(keys[-1], None)
    else:
        target[keys[-1]] = value
    return data


_DELETE = object()
FULL_ACTIVITY = activity(full=True)
CONTEXT_STATEMENT = statement(
    object=FULL_ACTIVITY,
    context={
        "registration": new_id(),
        "contextActivities": {"parent": [activity()], "grouping": [activity()]},
        "language": "en-GB",
        "statement": {"objectType": "StatementRef", "id": new_id()},
    },
    result={"score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10}, "success": True},
)

INVALID_STATEMENTS = [
    # Data 2.2 formatting
    pytest.param("extra", "not a property", id="2.2-unknown-top-level-property"),
    pytest.param("actor.extra", 1, id="2.2-unknown-agent-property"),
    pytest.param("verb.display", {"en-US": None}, id="2.2-null-value-XAPI-00001"),
    pytest.param("version", None, id="2.2-null-version"),
    # Data 2.4.1 id
    pytest.param("id", "not a uuid", id="2.4.1-id-not-uuid"),
    pytest.param("id", 12345, id="2.4.1-id-not-string"),
    # Data 2.4.2 actor required
    pytest.param("actor", _DELETE, id="2.4.2-no-actor"),
    # Data 2.4.3 verb
    pytest.param("verb", _DELETE, id="2.4.3-no-verb"),
    pytest.param("verb.id", _DELETE, id="2.4.3-verb-no-id"),
    pytest.param("verb.id", "should fail", id="2.4.3-verb-id-not-iri"),
    pytest.param("verb.display", {"not a language": "x"}, id="2.4.3-display-bad-language-tag"),
    pytest.param("verb.display", "attended", id="2.4.3-display-not-language-map"),
    # Data 2.4.4 object
    pytest.param("object", _DELETE, id="2.4.4-no-object"),
    pytest.param("object.id", _DELETE, id="2.4.4-activity-no-id"),
    pytest.param("object.id", "not an iri", id="2.4.4-activity-id-not-iri"),
    pytest.param("object.objectType", "activity", id="2.4.4-objectType-lowercase"),
    pytest.param("object.definition", {"name": "not a map"}, id="2.4.4-definition-name-not-map"),
    pytest.param(
        "object.definition",
        {"description": {"xx_bad": "d"}},
        id="2.4.4-definition-description-bad-tag",
    ),
    pytest.param("object.definition", {"type": "not an iri"}, id="2.4.4-definition-type-not-iri"),
    pytest.param(
        "object.definition", {"moreInfo": "not an irl"}, id="2.4.4-definition-moreInfo-not-irl"
    ),
    pytest.param(
        "object.definition", {"extensions": {"not-an-iri": 1}}, id="2.4.4-extension-key-not-iri"
    ),
    pytest.param(
        "object.definition", {"interactionType": "not-a-type"}, id="2.4.4-interactionType-unknown"
    ),
    pytest.param(
        "object.definition",
        {"interactionType": {"type": "choice"}},
        id="2.4.4-interactionType-object",
    ),
    pytest.param(
        "object.definition", {"interactionType": ["choice"]}, id="2.4.4-interactionType-array"
    ),
    pytest.param(
        "object.definition",
        {"interactionType": "choice", "correctResponsesPattern": "golf"},
        id="2.4.4-correctResponsesPattern-not-array",
    ),
    pytest.param(
        "object.definition",
        {"interactionType": "choice", "choices": [{"description": {"en-US": "no id"}}]},
        id="2.4.4-interaction-component-no-id",
    ),
    pytest.param(
        "object.definition",
        {
            "interactionType": "choice",
            "choices": [
                {"id": "a", "description": {"en-US": "A"}},
                {"id": "a", "description": {"en-US": "B"}},
            ],
        },
        id="2.4.4-interaction-component-ids-not-unique",
    ),
    pytest.param("object", {"objectType": "StatementRef"}, id="2.4.4-statementref-no-id"),
    pytest.param(
        "object",
        {"objectType": "StatementRef", "id": "not-a-uuid"},
        id="2.4.4-statementref-id-not-uuid",
    ),
    pytest.param(
        "object",
        {
            "objectType": "SubStatement",
            "actor": mbox_agent(),
            "verb": verb(),
            "object": {
                "objectType": "SubStatement",
                "actor": mbox_agent(),
                "verb": verb(),
                "object": activity(),
            },
        },
        id="2.4.4-substatement-nested",
    ),
    pytest.param(
        "object",
        {**substatement(), "id": new_id()},
        id="2.4.4-substatement-with-id",
    ),
    pytest.param(
        "object",
        {**substatement(), "stored": "2013-05-18T05:32:34.804Z"},
        id="2.4.4-substatement-with-stored",
    ),
    pytest.param(
        "object",
        {**substatement(), "version": "1.0.0"},
        id="2.4.4-substatement-with-version",
    ),
    pytest.param(
        "object",
        {**substatement(), "authority": mbox_agent()},
        id="2.4.4-substatement-with-authority",
    ),
    # Data 2.4.5 result
    pytest.param("result", {"score": {"scaled": 1.5}}, id="2.4.5-scaled-above-1"),
    pytest.param("result", {"score": {"scaled": -1.5}}, id="2.4.5-scaled-below-minus-1"),
    pytest.param("result", {"score": {"raw": 11, "min": 0, "max": 10}}, id="2.4.5-raw-above-max"),
    pytest.param("result", {"score": {"raw": -1, "min": 0, "max": 10}}, id="2.4.5-raw-below-min"),
    pytest.param("result", {"score": {"min": 10, "max": 0}}, id="2.4.5-min-above-max"),
    pytest.param("result", {"success": "true"}, id="2.4.5-success-not-boolean"),
    pytest.param("result", {"completion": "yes"}, id="2.4.5-completion-not-boolean"),
    pytest.param("result", {"duration": "1 hour"}, id="2.4.5-duration-not-iso8601"),
    pytest.param("result", {"duration": "P4W1D"}, id="4.6-duration-weeks-with-days"),
    pytest.param("result", {"duration": "P1.5Y2M"}, id="4.6-duration-fraction-not-last"),
    pytest.param("result", {"duration": "PT1.5H30M"}, id="4.6-duration-fraction-hours-not-last"),
    pytest.param("result", {"response": 5}, id="2.4.5-response-not-string"),
    pytest.param("result", {"extensions": {"bad key": 1}}, id="2.4.5-extension-key-not-iri"),
    # Data 2.4.6 context
    pytest.param("context", {"registration": "not a uuid"}, id="2.4.6-registration-not-uuid"),
    pytest.param("context", {"instructor": {"name": "no ifi"}}, id="2.4.6-instructor-no-ifi"),
    pytest.param("context", {"team": mbox_agent()}, id="2.4.6-team-not-group"),
    pytest.param(
        "context",
        {"contextActivities": {"other": "not an activity"}},
        id="2.4.6-contextActivities-value",
    ),
    pytest.param(
        "context",
        {"contextActivities": {"bad_key": [activity()]}},
        id="2.4.6-contextActivities-unknown-key",
    ),
    pytest.param("context", {"revision": 1}, id="2.4.6-revision-not-string"),
    pytest.param("context", {"language": "not_a_tag!"}, id="2.4.6-language-not-tag"),
    pytest.param(
        "context",
        {"statement": {"objectType": "Activity", "id": "http://example.com/a"}},
        id="2.4.6-statement-not-statementref",
    ),
    pytest.param("context", {"extensions": {"not an iri": 1}}, id="2.4.6-extension-key-not-iri"),
    # Data 2.4.7 timestamp
    pytest.param("timestamp", "not a timestamp", id="2.4.7-timestamp-not-iso8601"),
    pytest.param("timestamp", "2008-09-15", id="2.4.7-timestamp-date-only"),
    pytest.param(
        "timestamp", "2008-09-15T15:53:00.601-00:00", id="2.4.7-timestamp-minus-zero-offset"
    ),
    # Data 2.4.10 version
    pytest.param("version", "0.9", id="2.4.10-version-0.9"),
    pytest.param("version", "1.1.0", id="2.4.10-version-1.1"),
    pytest.param("version", "bad", id="2.4.10-version-not-semver"),
    # Data 4.0 special data types
    pytest.param("verb.display", {"en-US": 1}, id="4.0-language-map-value-not-string"),
]


@pytest.mark.parametrize("path,value", INVALID_STATEMENTS)
def test_data_invalid_statement_rejected(xapi, path, value):
    """Data 2.2-2.4 and 4.0: each invalid statement shape is a 400 and nothing is stored."""
    base = CONTEXT_STATEMENT if path.startswith(("context", "result")) else None
    data = _mutate(path, value, base)
    data["id"] = data["id"] if path == "id" else new_id()
    response = xapi.post_statements(data)
    assert response.status_code == 400, response.content
    if isinstance(data.get("id"), str):
        assert xapi.get_statements({"statementId": data["id"]}).status_code in (400, 404)


VALID_STATEMENTS = [
    pytest.param("timestamp", "2013-05-18T05:32:34.804+00:00", id="2.4.7-timestamp-offset"),
    pytest.param("timestamp", "2013-05-18T05:32:34Z", id="2.4.7-timestamp-no-fraction"),
    pytest.param("version", "1.0.0", id="2.4.10-version-1.0.0"),
    pytest.param("version", "1.0.3", id="2.4.10-version-1.0.3"),
    pytest.param("version", "1.0", id="2.4.10-version-1.0"),
    pytest.param(
        "result",
        {"duration": "PT1H30M0.5S", "score": {"scaled": -1}},
        id="2.4.5-duration-and-scaled-minus-1",
    ),
    pytest.param(
        "result",
        {"extensions": {"http://example.com/ext": {"any": ["json"]}}},
        id="2.4.5-extension-any-json",
    ),
    pytest.param("object", {"objectType": "StatementRef", "id": new_id()}, id="2.4.4-statementref"),
    pytest.param("object", substatement(), id="2.4.4-substatement"),
    pytest.param(
        "object",
        {"id": "http://www.example.com/no-objecttype"},
        id="2.4.4-activity-objectType-optional",
    ),
    pytest.param(
        "object.definition",
        {
            "interactionType": "choice",
            "correctResponsesPattern": ["golf[,]tetris"],
            "choices": [
                {"id": "golf", "description": {"en-US": "Golf"}},
                {"id": "tetris", "description": {"en-US": "Tetris"}},
            ],
        },
        id="2.4.4-interaction-choice",
    ),
    pytest.param(
        "verb.display", {"zh-Hans-CN": "参加", "en-US": "attended"}, id="4.0-language-tags"
    ),
    pytest.param(
        "context",
        {"contextActivities": {"parent": activity()}},
        id="2.4.6-contextActivities-single-object",
    ),
    pytest.param(
        "context",
        {"team": GROUP, "revision": "r1", "platform": "p"},
        id="2.4.6-team-revision-platform",
    ),
]


@pytest.mark.parametrize("path,value", VALID_STATEMENTS)
def test_data_valid_statement_accepted(xapi, path, value):
    """Data 2.2-2.4 and 4.0: valid forms are accepted (200) and stored."""
    data = _mutate(path, copy.deepcopy(value))
    response = xapi.post_statements(data)
    assert response.status_code == 200, response.content
    assert xapi.fetch(data["id"])["id"] == data["id"]


def test_data_context_activities_single_object_returned_as_array(xapi):
    """Data 2.4.6.2 (E.Data2.5): a single contextActivities object is returned as an array."""
    parent = activity()
    data = statement(context={"contextActivities": {"parent": parent}})
    xapi.store(data)
    assert xapi.fetch(data["id"])["context"]["contextActivities"]["parent"] == [parent]


@pytest.mark.parametrize("where", ["object", "substatement"])
def test_data_revision_and_platform_only_with_activity_object(xapi, where):
    """Data 2.4.6: revision and platform are rejected when the object is not an Activity."""
    context = {"revision": "r1", "platform": "p"}
    if where == "object":
        data = statement(object=mbox_agent(), context=context)
        data["object"]["objectType"] = "Agent"
    else:
        data = statement(object=substatement(object=mbox_agent(), context=context))
        data["object"]["object"]["objectType"] = "Agent"
    assert xapi.post_statements(data).status_code == 400


def test_data_stored_and_authority_set_by_lrs(xapi):
    """Data 2.4.8, 2.4.9: the LRS sets stored, and authority when the client sends none."""
    data = statement()
    xapi.store(data)
    found = xapi.fetch(data["id"])
    assert found["stored"]
    assert found["authority"]["objectType"] in ("Agent", "Group")


def test_data_timestamp_set_when_missing(xapi):
    """Data 2.4.7: a statement without timestamp gets one (equal to stored) from the LRS."""
    data = statement()
    xapi.store(data)
    assert xapi.fetch(data["id"])["timestamp"]


def test_data_version_set_by_lrs(xapi):
    """Data 2.4.10 (E.Data2.4.10): a statement without version is returned with 1.0.x."""
    data = statement()
    xapi.store(data)
    assert xapi.fetch(data["id"])["version"].startswith("1.0")


def test_data_id_assigned_when_missing(xapi):
    """Data 2.4.1: the LRS assigns a UUID when the statement has none."""
    data = statement()
    del data["id"]
    ids = xapi.store(data)
    assert xapi.fetch(ids[0])["id"] == ids[0]


def test_data_unicode_round_trip(xapi):
    """XAPI-00015 (Communication 1.4): strings are UTF-8 and come back as sent."""
    display = {"en-US": "attended", "zh-CN": "参加了", "ja-JP": "出席した", "ar-EG": "حضر"}
    the_verb = {
        "id": f"http://adlnet.gov/expapi/test/unicode/target/{new_id()}",
        "display": display,
    }
    data = statement(verb=the_verb)
    xapi.store(data)
    found = xapi.get_statements({"verb": the_verb["id"]}).json()["statements"][0]
    assert found["verb"]["display"] == display


# --- Data 2.3 statement lifecycle: voiding ------------------------------------------------


def test_data_voiding_a_voiding_statement_rejected(xapi):
    """Data 2.3.2: a voiding statement cannot target another voiding statement."""
    target = statement()
    xapi.store(target)
    void = voiding(target["id"])
    xapi.store(void)
    assert xapi.post_statements(voiding(void["id"])).status_code == 400


def test_data_voiding_object_must_be_statement_ref(xapi):
    """Data 2.3.2: a statement with the voided verb must have a StatementRef object."""
    data = statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"}, object=activity())
    assert xapi.post_statements(data).status_code == 400


def test_data_voiding_unknown_statement_accepted(xapi):
    """Data 2.3.2: voiding a statement the LRS does not have is still accepted."""
    assert xapi.post_statements(voiding(new_id())).status_code == 200


def test_data_statement_result_json_has_statements_and_more(xapi):
    """Data 2.5 (E.Data2.5): a StatementResult has statements and, when complete, no or empty
    more.
    """
    xapi.store(statement())
    result = xapi.get_statements().json()
    assert isinstance(result["statements"], list)
    assert result.get("more", "") == ""


def test_data_mixed_batch_json_round_trip(xapi):
    """Data 2.2: statements are stored and returned as the same JSON (key order aside)."""
    data = CONTEXT_STATEMENT | {"id": new_id()}
    xapi.store(data)
    found = xapi.fetch(data["id"])
    for key in ("actor", "verb", "object", "result"):
        assert json.dumps(found[key], sort_keys=True) == json.dumps(data[key], sort_keys=True)


# --- Data 2.4.9 authority (configs/authorities.js) -----------------------------------------

OAUTH_CONSUMER = {
    "account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "oauth_consumer_x75db"}
}
TWO_MEMBERS = [OAUTH_CONSUMER, {"mbox": "mailto:bob@example.com"}]


@pytest.mark.parametrize(
    "authority,status",
    [
        pytest.param(mbox_agent(), 200, id="agent-XAPI-00024"),
        pytest.param(
            {"objectType": "Group", "member": TWO_MEMBERS}, 200, id="two-member-group-XAPI-00098"
        ),
        pytest.param(
            {"objectType": "Group", "member": TWO_MEMBERS, "mbox": "mailto:bob@example.com"},
            400,
            id="identified-group-mbox-XAPI-00024",
        ),
        pytest.param(
            {
                "objectType": "Group",
                "member": TWO_MEMBERS,
                "openid": "http://openid.example.org/12345",
            },
            400,
            id="identified-group-openid-XAPI-00024",
        ),
        pytest.param(
            {"objectType": "Group", "member": [{"mbox": "mailto:bob@example.com"}]},
            400,
            id="one-member-XAPI-00098",
        ),
        pytest.param(
            {"objectType": "Group", "member": [*TWO_MEMBERS, {"mbox": "mailto:james@example.com"}]},
            400,
            id="three-members-XAPI-00098",
        ),
        pytest.param({"objectType": "Group", "member": []}, 400, id="no-members-XAPI-00098"),
        pytest.param(activity(), 400, id="activity-XAPI-00024"),
    ],
)
def test_data_authority(xapi, authority, status):
    """XAPI-00024, XAPI-00098: authority is an Agent, or an anonymous Group of exactly two."""
    data = statement(authority=copy.deepcopy(authority))
    assert xapi.post_statements(data).status_code == status


# --- Data 2.4.5.1 score (configs/results.js) -----------------------------------------------

SCORES = [
    pytest.param(12345, 400, id="score-numeric-XAPI-00079"),
    pytest.param("should fail", 400, id="score-string-XAPI-00079"),
    pytest.param({"scaled": 0.6767676}, 200, id="scaled-decimal-XAPI-00083"),
    pytest.param({"scaled": 1.0}, 200, id="scaled-1-XAPI-00083"),
    pytest.param({"scaled": -1.0}, 200, id="scaled-minus-1-XAPI-00083"),
    pytest.param({"scaled": 1.01}, 400, id="scaled-1.01-XAPI-00083"),
    pytest.param({"scaled": -1.00001}, 400, id="scaled-minus-1.00001-XAPI-00083"),
    pytest.param({"scaled": "0.5"}, 400, id="scaled-string-XAPI-00083"),
    pytest.param({"raw": 0.6767676}, 200, id="raw-decimal-XAPI-00082"),
    pytest.param({"raw": 0.6767676, "max": 0.6567676}, 400, id="raw-above-max-XAPI-00082"),
    pytest.param({"raw": 0.6767676, "min": 1.4067676}, 400, id="raw-below-min-XAPI-00082"),
    pytest.param({"min": 0.6767676}, 200, id="min-decimal-XAPI-00081"),
    pytest.param(
        {"min": 0.6767676, "max": 0.6767355, "raw": 0.6767643}, 400, id="min-above-max-XAPI-00081"
    ),
    pytest.param({"max": 100.6767676}, 200, id="max-decimal-XAPI-00080"),
    pytest.param(
        {"max": 100.6767676, "min": 104.6767676, "raw": 101.6767676},
        400,
        id="max-below-min-XAPI-00080",
    ),
]


@pytest.mark.parametrize("where", ["statement", "substatement"])
@pytest.mark.parametrize("score,status", SCORES)
def test_data_result_score(xapi, where, score, status):
    """XAPI-00079..XAPI-00083: score is an object; scaled within [-1, 1]; min <= raw <= max."""
    result = {"score": copy.deepcopy(score), "success": True, "completion": True}
    if where == "statement":
        data = statement(result=result)
    else:
        data = statement(object=substatement(result=result))
    assert xapi.post_statements(data).status_code == status


@pytest.mark.parametrize(
    "data,status",
    [
        pytest.param(voiding(new_id()), 200, id="voided-verb-statementref-XAPI-00019-00020"),
        pytest.param(
            statement(
                verb={"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}}
            ),
            400,
            id="voided-verb-activity-XAPI-00017",
        ),
    ],
)
def test_data_voiding_statement_shape(xapi, data, status):
    """XAPI-00017, XAPI-00019, XAPI-00020: a voiding statement's object is a StatementRef."""
    assert xapi.post_statements(copy.deepcopy(data) | {"id": new_id()}).status_code == status


@pytest.mark.parametrize("where", ["statement", "substatement"])
@pytest.mark.parametrize(
    "timestamp",
    [
        "should fail",
        "01/011/2015",
        "2008-09-15T15:53:00.601-00",
        "2008-09-15T15:53:00.601-0000",
        "2008-09-15T15:53:00.601-00:00",
    ],
)
def test_data_timestamp_iso8601(xapi, where, timestamp):
    """XAPI-00123 (Data 4.5): a timestamp that is not ISO 8601, or has a negative zero offset,
    is a 400, on a statement and on a SubStatement.
    """
    if where == "statement":
        data = statement(timestamp=timestamp)
    else:
        data = statement(object=substatement(timestamp=timestamp))
    assert xapi.post_statements(data).status_code == 400


@pytest.mark.parametrize(
    "version,status",
    [
        ("1.0", 200),
        ("1.0.9", 200),
        ("should fail", 400),
        ("0.9.9", 400),
        ("1.1.0", 400),
    ],
)
def test_data_statement_version(xapi, version, status):
    """XAPI-00101 (Data 2.4.10): a statement version must be 1.0 or 1.0.x."""
    assert xapi.post_statements(statement(version=version)).status_code == status


CONTEXTS = [
    pytest.param({"registration": {"key": "should fail"}}, 400, id="registration-object"),
    pytest.param({"registration": "should fail"}, 400, id="registration-string"),
    pytest.param({"instructor": {"key": "should fail"}}, 400, id="instructor-object"),
    pytest.param({"instructor": "should fail"}, 400, id="instructor-string"),
    pytest.param(
        {"team": {"objectType": "Agent", "mbox": "mailto:a@example.org"}}, 400, id="team-agent"
    ),
    pytest.param({"team": {"key": "should fail"}}, 400, id="team-object"),
    pytest.param({"team": "should fail"}, 400, id="team-string"),
    pytest.param({"contextActivities": "should fail"}, 400, id="contextActivities-string"),
    pytest.param(
        {"contextActivities": {}},
        400,
        id="contextActivities-empty",
    ),
    pytest.param(
        {"contextActivities": {"parent": [activity()]}}, 200, id="contextActivities-parent"
    ),
    pytest.param(
        {"contextActivities": {"grouping": [activity()]}}, 200, id="contextActivities-grouping"
    ),
    pytest.param(
        {"contextActivities": {"category": [activity()]}}, 200, id="contextActivities-category"
    ),
    pytest.param({"contextActivities": {"other": [activity()]}}, 200, id="contextActivities-other"),
    pytest.param(
        {"contextActivities": {"parent": ["not an activity"]}},
        400,
        id="contextActivities-value-string",
    ),
]


@pytest.mark.parametrize("where", ["statement", "substatement"])
@pytest.mark.parametrize("ctx,status", CONTEXTS)
def test_data_context(xapi, where, ctx, status):
    """Data 2.4.6 (configs/contexts.js): registration is a UUID, instructor an Agent, team a
    Group, contextActivities a non-empty object keyed parent/grouping/category/other whose
    values are Activities; on a statement and on a SubStatement.
    """
    if where == "statement":
        data = statement(context=copy.deepcopy(ctx))
    else:
        data = statement(object=substatement(context=copy.deepcopy(ctx)))
    assert xapi.post_statements(data).status_code == status


# --- verbs, statement references, UUIDs and language maps (configs verbs.js,
# statementrefs.js, uuids.js, languages.js) ---------------------------------------------------

TOO_MANY_DIGITS = "AA97B177-9383-4934-8543-0F91A7A028368"
BAD_LETTER = "MA97B177-9383-4934-8543-0F91A7A02836"
BAD_URI = "ab=c://should.fail.com"
BAD_TAG = {"a12345": "should error"}
FILE_URL = "http://over.there.com/file.txt"


def _verb(**changes):
    found = verb()
    found.update(changes)
    return {k: v for k, v in found.items() if v is not None}


def _attachment(**changes):
    found = {
        "usageType": "http://example.com/attachment-usage/test",
        "display": {"en-US": "A test attachment"},
        "contentType": "text/plain; charset=ascii",
        "length": 27,
        "sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
        "fileUrl": FILE_URL,
    }
    found.update(changes)
    return found


def _definition(**definition):
    return {"objectType": "Activity", "id": "http://www.example.com/a", "definition": definition}


# (name, where the value goes: "verb", "object" or top-level key, value)
SHAPES = [
    pytest.param("verb", _verb(id=None), id="verb-no-id-XAPI-00044"),
    pytest.param("verb", _verb(id=BAD_URI), id="verb-id-not-iri-XAPI-00044"),
    pytest.param("verb", _verb(display=BAD_TAG), id="verb-display-bad-tag-XAPI-00045-00121"),
    pytest.param("verb", _verb(display={}), id="verb-display-empty-map"),
    pytest.param("verb", _verb(display="should error"), id="verb-display-string"),
    pytest.param(
        "object",
        {"objectType": "statementref", "id": new_id()},
        id="statementref-lowercase-XAPI-00073",
    ),
    pytest.param("object", {"objectType": "StatementRef"}, id="statementref-no-id-XAPI-00072"),
    pytest.param(
        "object",
        {"objectType": "StatementRef", "id": "should fail"},
        id="statementref-id-string-XAPI-00072",
    ),
    pytest.param(
        "object",
        {"objectType": "StatementRef", "id": TOO_MANY_DIGITS},
        id="statementref-uuid-too-long",
    ),
    pytest.param(
        "object",
        {"objectType": "StatementRef", "id": BAD_LETTER},
        id="statementref-uuid-bad-letter",
    ),
    pytest.param(
        "object", {"objectType": "StatementRef", "id": 12345}, id="statementref-uuid-numeric"
    ),
    pytest.param(
        "object", {"objectType": "StatementRef", "id": {"key": "x"}}, id="statementref-uuid-object"
    ),
    pytest.param("context", {"registration": TOO_MANY_DIGITS}, id="registration-uuid-too-long"),
    pytest.param("context", {"registration": BAD_LETTER}, id="registration-uuid-bad-letter"),
    pytest.param("context", {"registration": 12345}, id="registration-uuid-numeric"),
    pytest.param(
        "context",
        {"statement": {"objectType": "StatementRef", "id": TOO_MANY_DIGITS}},
        id="context-statement-uuid-too-long",
    ),
    pytest.param(
        "context",
        {"statement": {"objectType": "StatementRef", "id": {"key": "x"}}},
        id="context-statement-uuid-object",
    ),
    pytest.param("object", _definition(), id="activity-definition-no-property-data-2.4.4.1"),
    pytest.param(
        "object",
        {
            "objectType": "SubStatement",
            "actor": {"mbox": "mailto:sub@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
            "object": _definition(),
        },
        id="substatement-activity-definition-no-property-data-2.4.4.1",
    ),
    pytest.param("object", _definition(name={}), id="activity-name-empty-map"),
    pytest.param("object", _definition(name="should error"), id="activity-name-string"),
    pytest.param("object", _definition(name=BAD_TAG), id="activity-name-bad-tag-XAPI-00121"),
    pytest.param("object", _definition(description={}), id="activity-description-empty-map"),
    pytest.param(
        "object", _definition(description="should error"), id="activity-description-string"
    ),
    pytest.param(
        "object", _definition(description=BAD_TAG), id="activity-description-bad-tag-XAPI-00121"
    ),
    pytest.param("attachments", [_attachment(display={})], id="attachment-display-empty-map"),
    pytest.param(
        "attachments", [_attachment(display="should error")], id="attachment-display-string"
    ),
    pytest.param(
        "attachments", [_attachment(display=BAD_TAG)], id="attachment-display-bad-tag-XAPI-00121"
    ),
    pytest.param(
        "attachments", [_attachment(description={})], id="attachment-description-empty-map"
    ),
    pytest.param("attachments", [_attachment(description="x")], id="attachment-description-string"),
]


@pytest.mark.parametrize("where", ["statement", "substatement"])
@pytest.mark.parametrize("key,value", SHAPES)
def test_data_invalid_shapes(xapi, where, key, value):
    """Data 2.4.3 (XAPI-00044, XAPI-00045), 2.4.4.3 (XAPI-00072, XAPI-00073), 4.1 UUIDs, 4.2
    language maps (XAPI-00121, at least one entry): each is a 400, on a statement and inside
    a SubStatement.
    """
    if where == "statement":
        data = statement(**{key: copy.deepcopy(value)})
    else:
        data = statement(object=substatement(**{key: copy.deepcopy(value)}))
    assert xapi.post_statements(data).status_code == 400


@pytest.mark.parametrize("where", ["statement", "substatement"])
@pytest.mark.parametrize(
    "key,value",
    [
        pytest.param("verb", _verb(display=None), id="verb-without-display"),
        pytest.param("object", {"objectType": "StatementRef", "id": new_id()}, id="statementref"),
        pytest.param(
            "object",
            {"objectType": "Activity", "id": "http://www.example.com/a"},
            id="activity-no-languages",
        ),
        pytest.param("attachments", [_attachment()], id="attachment-file-url"),
    ],
)
def test_data_valid_shapes(xapi, where, key, value):
    """The suite's "Verify Templates": these valid forms are accepted (200)."""
    if where == "statement":
        data = statement(**{key: copy.deepcopy(value)})
    else:
        data = statement(object=substatement(**{key: copy.deepcopy(value)}))
    assert xapi.post_statements(data).status_code == 200


@pytest.mark.parametrize("bad_id", [TOO_MANY_DIGITS, BAD_LETTER, 12345, {"key": "x"}])
def test_data_statement_id_uuid(xapi, bad_id):
    """Data 4.1 (configs/uuids.js): a statement id that is not an RFC 4122 UUID string is 400."""
    assert xapi.post_statements(statement(id=bad_id)).status_code == 400


# --- Data 2.2 formatting (configs/formatting.js) --------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(statement(actor={**mbox_agent(), "name": None}), id="actor-name-null"),
        pytest.param(
            statement(verb={**verb(), "display": {"en-US": None}}), id="verb-display-null"
        ),
        pytest.param(statement(context={"registration": None}), id="context-registration-null"),
        pytest.param(
            statement(object={**activity(), "definition": {"moreInfo": None}}),
            id="definition-moreInfo-null",
        ),
    ],
)
def test_data_null_values_rejected(xapi, data):
    """XAPI-00001: a property set to null (outside extensions) is a 400."""
    assert xapi.post_statements(copy.deepcopy(data) | {"id": new_id()}).status_code == 400


NULL_EXTENSION = {"extensions": {"http://example.com/null": None}}


@pytest.mark.parametrize("where", ["statement", "substatement"])
@pytest.mark.parametrize("part", ["definition", "result", "context"])
def test_data_null_inside_extensions_accepted(xapi, where, part):
    """XAPI-00001: null is allowed inside an extensions object."""
    if part == "definition":
        overrides = {"object": {**activity(), "definition": copy.deepcopy(NULL_EXTENSION)}}
    else:
        overrides = {part: copy.deepcopy(NULL_EXTENSION)}
    data = (
        statement(**overrides)
        if where == "statement"
        else statement(object=substatement(**overrides))
    )
    assert xapi.post_statements(data).status_code == 200


@pytest.mark.parametrize(
    "result",
    [
        pytest.param({"score": {"max": "one hundred"}}, id="string-for-number"),
        pytest.param({"score": {"max": "100"}}, id="numeric-string-for-number"),
        pytest.param({"success": "We regret to inform you"}, id="string-for-boolean"),
        pytest.param({"completion": "false"}, id="boolean-string-for-boolean"),
    ],
)
def test_data_wrong_data_type_rejected(xapi, result):
    """XAPI-00006: a value of the wrong JSON type is a 400, even a string holding a number or
    boolean.
    """
    assert xapi.post_statements(statement(result=result)).status_code == 400


@pytest.mark.parametrize(
    "missing",
    [
        pytest.param("actor", id="XAPI-00003"),
        pytest.param("verb", id="XAPI-00004"),
        pytest.param("object", id="XAPI-00005"),
    ],
)
def test_data_required_properties(xapi, missing):
    """XAPI-00003..XAPI-00005: a statement needs actor, verb and object."""
    data = statement()
    del data[missing]
    assert xapi.post_statements(data).status_code == 400


@pytest.mark.parametrize(
    "key,languages,status",
    [
        pytest.param(
            "display", {"en-US": "A test attachment", "de": "Eine Testbefestigung"}, 200, id="de"
        ),
        pytest.param(
            "display",
            {"en-US": "A test attachment", "de-419-DE": "Ein Testbefestigung"},
            400,
            id="display-de-419-DE",
        ),
        pytest.param(
            "description",
            {"en-US": "A test attachment", "de-419-DE": "Ein Testansatz"},
            400,
            id="description-de-419-DE",
        ),
    ],
)
def test_data_attachment_language_tags(xapi, key, languages, status):
    """Data 2.2 / 4.2 (formatting.js): attachment display/description keys are RFC 5646 tags."""
    data = statement(attachments=[_attachment(**{key: languages})])
    assert xapi.post_statements(data).status_code == status


# --- Data 2.4.8 stored -----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_data_stored_sent_by_client_is_replaced(xapi, method):
    """Data 2.4.8.s3.b2 (Data2.4.8-StoredProperty): a statement with stored is accepted, and
    the LRS sets its own stored, a timestamp with milliseconds.
    """
    sent = "2011-07-15T00:00:00.000Z"
    data = statement(stored=sent)
    if method == "POST":
        assert xapi.post_statements(data).status_code == 200
    else:
        assert xapi.put_statement(data).status_code == 204
    stored = xapi.fetch(data["id"])["stored"]
    assert stored != sent
    assert re.search(r"T\d\d:\d\d:\d\d\.\d{3}", stored), stored
