"""Statement Resource (xAPI 1.0.3 Communication 2.1), requirement ids of ADL's conformance suite
(H.Communication2.1-StatementResource and the voiding/retrieval parts of non_templating).
"""

from datetime import datetime

import pytest

from .xapi import (
    activity,
    attachment_meta,
    attachment_part,
    clone,
    context_statement,
    mbox_agent,
    multipart_parts,
    new_id,
    statement,
    substatement,
    verb,
    voiding,
)

pytestmark = pytest.mark.django_db

ALL_QUERY = {
    "agent": mbox_agent(),
    "verb": "http://adlnet.gov/expapi/non/existent",
    "activity": "http://www.example.com/meetings/occurances/12345",
    "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
    "related_activities": True,
    "related_agents": True,
    "since": "2012-06-01T19:09:13.245Z",
    "until": "2012-06-01T19:09:13.245Z",
    "limit": 1,
    "ascending": True,
    "format": "ids",
    "attachments": True,
}


@pytest.mark.parametrize("method", ["POST", "PUT", "GET"])
def test_statements_resource_accepts_post_put_get(xapi, method):
    """XAPI-00139: the Statement Resource lives at base IRI + /statements."""
    data = statement()
    if method == "POST":
        assert xapi.post_statements(data).status_code == 200
    elif method == "PUT":
        assert xapi.put_statement(data).status_code == 204
    else:
        assert (
            xapi.get_statements({"verb": "http://adlnet.gov/expapi/non/existent"}).status_code
            == 200
        )


def test_statements_put_returns_204_and_stores(xapi):
    """XAPI-00143, XAPI-00144: a PUT with statementId stores and answers 204 No Content."""
    data = statement()
    response = xapi.put_statement(data)
    assert response.status_code == 204
    assert xapi.fetch(data["id"])["id"] == data["id"]


def test_statements_put_without_statement_id_is_400(xapi):
    """XAPI-00145: a PUT without a statementId parameter is rejected with 400."""
    response = xapi.request("PUT", "statements", body=statement())
    assert response.status_code == 400


@pytest.mark.parametrize("how", ["PUT", "POST"])
def test_statements_same_id_does_not_modify_stored(xapi, how):
    """XAPI-00142: a second statement with an existing id never changes the stored one."""
    data = statement()
    modified = clone(data)
    modified["verb"]["id"] = "http://example.com/verbs/different"
    if how == "PUT":
        assert xapi.put_statement(data).status_code == 204
        assert xapi.put_statement(modified).status_code == 409
    else:
        assert xapi.post_statements(data).status_code == 200
        assert xapi.post_statements(modified).status_code == 409
    assert xapi.fetch(data["id"])["verb"]["id"] == data["verb"]["id"]


def test_statements_post_returns_200_and_ids(xapi):
    """XAPI-00146, XAPI-00147: a POST answers 200 with the array of statement ids."""
    data = statement()
    response = xapi.post_statements(data)
    assert response.status_code == 200
    assert response.json() == [data["id"]]


def test_statements_post_assigns_ids_in_order(xapi):
    """XAPI-00146: ids the LRS assigns are returned, one per statement, in order."""
    first, second = statement(), statement()
    del first["id"]
    response = xapi.post_statements([first, second])
    assert response.status_code == 200
    ids = response.json()
    assert len(ids) == 2 and ids[1] == second["id"]
    assert xapi.fetch(ids[0])["actor"] == first["actor"]


def test_statements_get_accepted(xapi):
    """XAPI-00159: GET on the Statement Resource is accepted."""
    response = xapi.get_statements()
    assert response.status_code == 200
    assert isinstance(response.json()["statements"], list)


def test_statements_get_by_statement_id(xapi):
    """XAPI-00156, XAPI-00158: GET with statementId answers 200 and that one statement."""
    data = statement()
    xapi.store(data)
    found = xapi.fetch(data["id"])
    assert found["id"] == data["id"]
    assert "statements" not in found


def test_statements_get_by_voided_statement_id(xapi):
    """XAPI-00155, XAPI-00157: GET with voidedStatementId returns the voided statement."""
    target = statement()
    xapi.store(target)
    xapi.store(voiding(target["id"]))
    response = xapi.get_statements({"voidedStatementId": target["id"]})
    assert response.status_code == 200
    assert response.json()["id"] == target["id"]


@pytest.mark.parametrize(
    "param",
    [
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "ascending",
        "format",
        "attachments",
        None,
    ],
)
def test_statements_get_query_returns_statement_result(xapi, param):
    """XAPI-00154, XAPI-00173..XAPI-00181, XAPI-00166: each query parameter answers 200 with a
    StatementResult (statements array), and X-Experience-API-Consistent-Through (XAPI-00153) as
    an ISO 8601 timestamp (XAPI-00160); attachments=true uses multipart (XAPI-00167).
    """
    xapi.store(context_statement())
    params = {param: ALL_QUERY[param]} if param else {}
    response = xapi.get_statements(params)
    assert response.status_code == 200, response.content
    if param == "attachments":
        parts = multipart_parts(response)
        assert parts[0][0]["content-type"].startswith("application/json")
        import json

        result = json.loads(parts[0][1])
    else:
        result = response.json()
    assert isinstance(result["statements"], list)
    through = response["X-Experience-API-Consistent-Through"]
    datetime.fromisoformat(through.replace("Z", "+00:00"))


def test_statements_get_attachments_false_is_json(xapi):
    """XAPI-00167 (attachments=false): a plain application/json StatementResult."""
    response = xapi.get_statements({"attachments": False})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "statements" in response.json()


def test_statements_consistent_through_on_errors(xapi):
    """XAPI-00153: the Consistent-Through header is present even on a 400."""
    response = xapi.get_statements({"LIMIT": 1})
    assert response.status_code == 400
    assert response["X-Experience-API-Consistent-Through"]


def test_statements_empty_result_is_not_rejected(xapi):
    """XAPI-00149: a query that matches nothing answers 200 with an empty statements array."""
    response = xapi.get_statements({"verb": "http://adlnet.gov/expapi/non/existent"})
    assert response.status_code == 200
    assert response.json()["statements"] == []


def test_statements_get_has_content_type(xapi):
    """XAPI-00165: the GET response has a Content-Type header."""
    response = xapi.get_statements({"ascending": True})
    assert response.status_code == 200
    assert response["Content-Type"]


@pytest.mark.parametrize("key", ["statementId", "voidedStatementId"])
@pytest.mark.parametrize(
    "other",
    [
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "ascending",
    ],
)
def test_statements_get_single_with_query_param_is_400(xapi, key, other):
    """XAPI-00150, XAPI-00151: statementId / voidedStatementId plus any parameter other than
    attachments or format is rejected with 400.
    """
    target = statement()
    xapi.store(target)
    if key == "voidedStatementId":
        xapi.store(voiding(target["id"]))
    response = xapi.get_statements({key: target["id"], other: ALL_QUERY[other]})
    assert response.status_code == 400


@pytest.mark.parametrize("key", ["statementId", "voidedStatementId"])
@pytest.mark.parametrize("other", [{"format": "ids"}, {"attachments": True}])
def test_statements_get_single_with_format_or_attachments(xapi, key, other):
    """XAPI-00150, XAPI-00151: format and attachments may accompany a single-statement GET."""
    target = statement()
    xapi.store(target)
    if key == "voidedStatementId":
        xapi.store(voiding(target["id"]))
    response = xapi.get_statements({key: target["id"], **other})
    assert response.status_code == 200


def test_statements_voided_not_returned_by_statement_id(xapi):
    """XAPI-00163: a voided statement is returned only through voidedStatementId."""
    target = statement()
    xapi.store(target)
    xapi.store(voiding(target["id"]))
    assert xapi.get_statements({"statementId": target["id"]}).status_code == 404


def test_statements_query_returns_statements_targeting_voided(xapi):
    """XAPI-00162: queries leave out the voided statement but keep the voiding statement and
    statements that reference it; since/until/limit filter on the same rules.
    """
    the_verb = {"id": f"http://adlnet.gov/expapi/test/voided/target/{new_id()}"}
    target = statement(verb=the_verb)
    xapi.store(target)
    void = voiding(target["id"])
    xapi.store(void)
    ref = statement(verb=the_verb, object={"objectType": "StatementRef", "id": target["id"]})
    xapi.store(ref)

    found = xapi.get_statements({"verb": the_verb["id"]}).json()["statements"]
    ids = [s["id"] for s in found]
    assert ids == [ref["id"], void["id"]]

    limited = xapi.get_statements({"verb": the_verb["id"], "limit": 1}).json()["statements"]
    assert [s["id"] for s in limited] == [ref["id"]]

    since = xapi.get_statements({"verb": the_verb["id"], "since": "2012-06-01T00:00:00Z"})
    assert target["id"] not in [s["id"] for s in since.json()["statements"]]


def test_statements_result_matches_filters(xapi):
    """XAPI-00164: the statements returned correspond to the filters sent."""
    data = context_statement()
    xapi.store(data)
    other = statement()
    xapi.store(other)

    def ids(**params):
        response = xapi.get_statements(params)
        assert response.status_code == 200, response.content
        return [s["id"] for s in response.json()["statements"]]

    assert ids(agent=data["actor"]) == [data["id"]]
    assert ids(verb=data["verb"]["id"]) == [other["id"], data["id"]]
    assert ids(activity=data["object"]["id"]) == [data["id"]]
    assert ids(registration=data["context"]["registration"]) == [data["id"]]
    category = data["context"]["contextActivities"]["category"][0]["id"]
    assert ids(activity=category) == []
    assert ids(activity=category, related_activities=True) == [data["id"]]
    instructor = data["context"]["instructor"]
    assert ids(agent=instructor) == []
    assert ids(agent=instructor, related_agents=True) == [data["id"]]
    assert len(ids(limit=1)) == 1
    assert ids(until="2012-06-01T19:09:13.245Z") == []
    stored = [s["stored"] for s in xapi.get_statements({"ascending": True}).json()["statements"]]
    assert stored == sorted(stored)


def test_statements_related_agents_and_activities_in_substatement(xapi):
    """XAPI-00176, XAPI-00177: related_* also match inside a SubStatement."""
    inner_agent = mbox_agent()
    inner_activity = activity()
    data = statement(object=substatement(actor=inner_agent, object=inner_activity))
    xapi.store(data)
    by_agent = xapi.get_statements({"agent": inner_agent, "related_agents": True})
    assert [s["id"] for s in by_agent.json()["statements"]] == [data["id"]]
    by_activity = xapi.get_statements(
        {"activity": inner_activity["id"], "related_activities": True}
    )
    assert [s["id"] for s in by_activity.json()["statements"]] == [data["id"]]


def _format_statement():
    group = {
        "objectType": "Group",
        "name": "a group",
        "mbox": f"mailto:group{new_id()}@example.org",
        "member": [mbox_agent()],
    }
    actor = {**mbox_agent(), "name": "An Agent"}
    inner = substatement(actor=group, object=activity(full=True))
    return statement(actor=actor, verb=verb("attended"), object=inner)


def test_statements_format_exact_and_absent(xapi):
    """XAPI-00168, XAPI-00170: no format or format=exact returns the objects as received."""
    data = _format_statement()
    xapi.store(data)
    for params in ({}, {"format": "exact"}):
        found = xapi.fetch(data["id"], **params)
        assert found["actor"] == data["actor"]
        assert found["verb"] == data["verb"]
        assert found["object"]["actor"] == data["object"]["actor"]
        assert found["object"]["object"] == data["object"]["object"]


def test_statements_format_ids(xapi):
    """XAPI-00171: format=ids keeps only identifiers of agents, groups, activities, verbs."""
    data = _format_statement()
    xapi.store(data)
    found = xapi.get_statements({"format": "ids"}).json()["statements"][0]
    assert found["actor"]["mbox"] == data["actor"]["mbox"]
    assert "name" not in found["actor"]
    assert found["verb"]["id"] == data["verb"]["id"]
    group = found["object"]["actor"]
    assert group["mbox"] == data["object"]["actor"]["mbox"] and group["objectType"] == "Group"
    assert len(group) == 2
    assert found["object"]["object"] == {"id": data["object"]["object"]["id"]} or found["object"][
        "object"
    ] == {"objectType": "Activity", "id": data["object"]["object"]["id"]}


def test_statements_format_canonical_one_language(xapi):
    """XAPI-00169, XAPI-00172: format=canonical returns one language, the Accept-Language one."""
    data = _format_statement()
    xapi.store(data)
    response = xapi.get_statements(
        {"statementId": data["id"], "format": "canonical"}, headers={"Accept-Language": "en-GB"}
    )
    assert response.status_code == 200
    found = response.json()
    assert found["verb"]["display"] == {"en-GB": "attended"}
    definition = found["object"]["object"]["definition"]
    assert list(definition["name"]) == ["en-GB"]
    assert list(definition["description"]) == ["en-GB"]


def test_statements_without_format_keeps_all_languages(xapi):
    """XAPI-00172: without format=canonical, Accept-Language changes nothing."""
    data = context_statement()
    xapi.store(data)
    response = xapi.get_statements(
        {"statementId": data["id"]}, headers={"Accept-Language": "en-GB"}
    )
    found = response.json()
    assert set(found["verb"]["display"]) == {"en-GB", "en-US"}
    category = found["context"]["contextActivities"]["category"][0]["definition"]
    assert set(category["name"]) == {"en-GB", "en-US"}


def test_statements_attachments_true_returns_parts(xapi):
    """XAPI-00167, XAPI-00161: attachments=true returns multipart with each attachment once
    after the statement; missing or false returns application/json only.
    """
    one, two = b"here is a simple attachment", b"here is another simple attachment"
    data = statement(attachments=[attachment_meta(one), attachment_meta(two)])
    response = xapi.post_multipart(data, [attachment_part(one), attachment_part(two)])
    assert response.status_code == 200, response.content

    got = xapi.get_statements({"statementId": data["id"], "attachments": True})
    assert got.status_code == 200
    parts = multipart_parts(got)
    assert parts[0][0]["content-type"].startswith("application/json")
    hashes = {p[0].get("x-experience-api-hash") for p in parts[1:]}
    assert hashes == {attachment_meta(one)["sha2"], attachment_meta(two)["sha2"]}
    assert {p[1] for p in parts[1:]} == {one, two}

    for params in ({}, {"attachments": False}):
        plain = xapi.get_statements({"statementId": data["id"], **params})
        assert plain["Content-Type"].startswith("application/json")
        assert plain.json()["id"] == data["id"]


def test_statements_version_header_on_get(xapi):
    """XAPI-00333 (non_templating 3.3.b2): responses carry X-Experience-API-Version 1.0.3."""
    data = statement()
    xapi.store(data)
    response = xapi.get_statements({"statementId": data["id"]})
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_statements_not_converted_to_older_version(xapi):
    """Data 2.4.10 / 6.2.l (non_templating): actor, verb and object come back unchanged."""
    data = statement(object=activity(full=True))
    xapi.store(data)
    found = xapi.fetch(data["id"])
    assert (found["actor"], found["verb"], found["object"]) == (
        data["actor"],
        data["verb"],
        data["object"],
    )


@pytest.mark.parametrize(
    "param",
    [
        "StatementId",
        "VoidedStatementId",
        "Agent",
        "Verb",
        "Activity",
        "Registration",
        "Related_Activities",
        "Related_Agents",
        "Since",
        "Until",
        "Limit",
        "Format",
        "Attachments",
        "Ascending",
    ],
)
def test_statements_parameter_with_wrong_case_is_400(xapi, param):
    """XAPI-00325 (Communication 3.2.s3.b8; non_templating 7.0.b): a parameter name in another
    case is a 400.
    """
    value = ALL_QUERY.get(param.lower(), new_id())
    response = xapi.get_statements({param: value})
    assert response.status_code == 400


def test_statements_put_with_wrong_case_statement_id_is_400(xapi):
    """XAPI-00325: PUT ?StatementId= is a 400."""
    data = statement()
    response = xapi.request("PUT", "statements", {"StatementId": data["id"]}, body=data)
    assert response.status_code == 400


def test_statements_batch_with_one_bad_stores_nothing(xapi):
    """XAPI-00326: one rejected statement rejects the whole batch; nothing is stored."""
    good = statement()
    bad = statement()
    bad["verb"]["id"] = "should fail"
    assert xapi.post_statements([good, bad]).status_code == 400
    assert xapi.get_statements({"statementId": good["id"]}).status_code == 404


def test_statements_more_is_a_relative_irl_that_pages(xapi):
    """Data 2.5 (E.Data2.5: XAPI-00108, XAPI-00109, XAPI-00110, XAPI-00111, XAPI-00113,
    XAPI-00114): a limited result has statements and a `more` IRL (here relative to the server)
    whose container follows the same rules and gives the next page; `more` is empty once
    everything has been returned.
    """
    the_verb = {"id": f"http://example.com/verbs/{new_id()}"}
    stored = [statement(verb=the_verb) for _ in range(3)]
    xapi.store(*stored)
    page = xapi.get_statements({"verb": the_verb["id"], "limit": 2}).json()
    assert len(page["statements"]) == 2
    more = page["more"]
    assert more.startswith("/")
    path, _, query = more.partition("?")
    response = xapi.client.get(f"{path}?{query}", headers=xapi.headers())
    assert response.status_code == 200
    second = response.json()
    assert len(second["statements"]) == 1
    assert second.get("more", "") == ""
    seen = {s["id"] for s in page["statements"]} | {s["id"] for s in second["statements"]}
    assert seen == {s["id"] for s in stored}


@pytest.mark.parametrize("single", [True, False])
def test_statements_format_ids_activity_is_id_only(xapi, single):
    """Communication 2.1.3 (format=ids): an Activity is identified by its id alone, so neither
    its definition nor its objectType is returned, in the object or in context activities.
    """
    data = context_statement()
    xapi.store(data)
    if single:
        found = xapi.fetch(data["id"], format="ids")
    else:
        response = xapi.get_statements({"format": "ids", "activity": data["object"]["id"]})
        assert response.status_code == 200
        [found] = response.json()["statements"]
    assert found["object"] == {"id": data["object"]["id"]}
    category = data["context"]["contextActivities"]["category"][0]
    assert found["context"]["contextActivities"]["category"] == [{"id": category["id"]}]
    assert found["actor"] == {"objectType": "Agent", "mbox": data["actor"]["mbox"]}
