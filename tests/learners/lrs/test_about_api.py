import pytest

pytestmark = pytest.mark.django_db


def test_about_needs_no_credentials_nor_version_header(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    about = response.json()
    assert "1.0.3" in about["version"]
    assert all(v in {"0.9", "0.95", "1.0.0", "1.0.1", "1.0.2", "1.0.3"} for v in about["version"])
    assert set(about) <= {"version", "extensions"}
    assert isinstance(about["extensions"], dict)
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_about_head_has_no_body(client):
    response = client.head("/xapi/about")
    assert response.status_code == 200
    assert response.content == b""


def test_about_rejects_writes(client):
    assert (
        client.post("/xapi/about", data=b"{}", content_type="application/json").status_code == 405
    )
