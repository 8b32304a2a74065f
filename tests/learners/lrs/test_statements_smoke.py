import json

import pytest

from tests.factories.lrs import LRSClientFactory, statement, xapi_headers

pytestmark = pytest.mark.django_db


def test_statements_post_then_get(client):
    lrs_client = LRSClientFactory()
    data = statement()
    response = client.post(
        "/xapi/statements",
        json.dumps(data),
        content_type="application/json",
        **xapi_headers(lrs_client),
    )
    assert response.status_code == 200, response.content
    assert response.json() == [data["id"]]
    response = client.get(
        "/xapi/statements", {"statementId": data["id"]}, **xapi_headers(lrs_client)
    )
    assert response.status_code == 200, response.content
    print(response.content)
