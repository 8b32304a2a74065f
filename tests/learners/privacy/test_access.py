"""Subject access: the person downloads everything held about them; nobody else can."""

import json
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse

from learners.privacy.models import PersonalDataAccess, SubjectAccessRequest
from learners.privacy.services import SubjectAccessError, sar_request
from tests.factories.learners import ProfileFactory, UserFactory
from tests.factories.learning import CertificateFactory
from tests.factories.reporting import actor, store

pytestmark = pytest.mark.django_db


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(BytesIO(b"".join(response.streaming_content)))


def test_learner_downloads_their_data(client, django_capture_on_commit_callbacks):
    user = UserFactory(first_name="Ada", last_name="<b>Lovelace</b>")
    ProfileFactory(user=user)
    CertificateFactory(user=user, holder_name="Ada Lovelace")
    store(
        {
            "actor": actor(user),
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": "https://content.example.com/1"},
        }
    )
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:download_request"))
    access_request = SubjectAccessRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:download_status", args=[access_request.key])
    page = client.get(response["Location"])
    assert "Your file is ready" in page.text
    download = client.get(reverse("privacy:download_file", args=[access_request.key]))
    assert download["Cache-Control"] == "no-store"
    archive = _zip(download)
    names = set(archive.namelist())
    assert {"learners.json", "learning.json", "privacy.json", "index.html"} <= names
    account = json.loads(archive.read("learners.json"))["account"]
    assert account["email"] == user.email
    statements = json.loads(archive.read("privacy.json"))["xapi_statements"]
    assert statements[0]["object"]["id"] == "https://content.example.com/1"
    certificates = json.loads(archive.read("learning.json"))["certificates"]
    assert certificates[0]["holder_name"] == "Ada Lovelace"
    summary = archive.read("index.html").decode()
    assert "&lt;b&gt;Lovelace&lt;/b&gt;" in summary and "<b>Lovelace" not in summary
    assert list(
        PersonalDataAccess.objects.filter(subject=user).values_list("action", flat=True)
    ) == ["export_downloaded", "export_requested"]


def test_download_includes_uploaded_files(django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from challenges.services.files import file_upload
    from learners.privacy.services import sar_build
    from tests.factories.challenges import SubmissionFactory, create_challenge

    submission = SubmissionFactory(challenge=create_challenge())
    user = submission.created_by
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    file_upload(submission_id=submission.pk, user=user, upload=SimpleUploadedFile("plan.pdf", pdf))
    access_request = sar_request(subject=user, requested_by=user)
    sar_build(request_id=access_request.pk)
    access_request.refresh_from_db()
    from django.core.files.storage import storages

    with storages["private"].open(access_request.storage_name) as handle:
        archive = zipfile.ZipFile(BytesIO(handle.read()))
    [name] = [n for n in archive.namelist() if n.startswith("files/")]
    assert name.endswith("plan.pdf") and archive.read(name) == pdf


def test_nobody_else_sees_or_downloads_a_download(client, django_capture_on_commit_callbacks):
    owner, other = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        access_request = sar_request(subject=owner, requested_by=owner)
    client.force_login(other)
    for name in ("privacy:download_status", "privacy:download_file"):
        assert client.get(reverse(name, args=[access_request.key])).status_code == 404
    assert client.get(reverse("privacy:download_status", args=["not-a-key"])).status_code == 404
    # A NUL never reaches the view: RejectUndecodableInputMiddleware answers 400.
    assert client.get("/account/your-data/%00/").status_code == 400


def test_a_learner_cannot_request_someone_elses_data():
    owner, other = UserFactory(), UserFactory()
    with pytest.raises(SubjectAccessError, match="only download your own"):
        sar_request(subject=owner, requested_by=other)
    assert SubjectAccessRequest.objects.count() == 0


def test_a_double_submit_makes_one_request(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("privacy:download_request"))
    client.post(reverse("privacy:download_request"))
    assert SubjectAccessRequest.objects.count() == 1


def test_download_pages_need_sign_in(client):
    response = client.get(reverse("privacy:your_data"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("privacy:download_request")).status_code == 302
