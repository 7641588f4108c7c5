"""Evidence on S3, as production runs with ``MEDIA_BACKEND=s3``: a real S3 API (moto's server on
a loopback port), written through django-storages and read back with boto3 and plain HTTP."""

import hashlib
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from aftersales.evidence.conftest import photo, windows_exe
from aftersales.evidence.models import Evidence
from aftersales.evidence.test_evidence_add import add, refused


def bucket_keys(s3_media) -> list[str]:
    listing = s3_media.client.list_objects_v2(Bucket=s3_media.bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


def test_evidence_is_written_to_the_bucket_and_read_back(cn_case, s3_media):
    # when a photo is added while the default storage is S3
    evidence = add(cn_case, photo()).evidence
    # then the bucket holds exactly that object, stripped, with the recorded hash
    assert bucket_keys(s3_media) == [evidence.file.name]
    body = s3_media.client.get_object(Bucket=s3_media.bucket, Key=evidence.file.name)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == evidence.sha256 and b"BODY-SERIAL-0042" not in body
    # and django-storages reads the same bytes back
    with Evidence.objects.get().file.open("rb") as stored:
        assert stored.read() == body


def test_a_refused_file_leaves_the_bucket_untouched(cn_case, s3_media):
    assert refused(cn_case, windows_exe(), name="photo.jpg").code == "unsupported-type"
    assert bucket_keys(s3_media) == [] and Evidence.objects.count() == 0


def test_staff_are_sent_to_a_short_lived_signed_link_that_downloads_the_file(cn_case, s3_media, staff_user):
    # given a photo on S3
    evidence = add(cn_case, photo(), name="dent on lid.jpg").evidence
    client = Client()
    client.force_login(staff_user)
    # when staff open it
    response = client.get(f"/evidence/{evidence.public_id}/")
    # then they are redirected to a signed link on the S3 server, valid for a minute
    assert response.status_code == 302
    link = response["Location"]
    query = parse_qs(urlsplit(link).query)
    assert link.startswith(s3_media.endpoint_url) and query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    # and the link really downloads the file, typed and named for display
    with urllib.request.urlopen(link, timeout=10) as download:
        body = download.read()
        assert download.headers["Content-Type"] == "image/jpeg"
        assert "dent%20on%20lid.jpg" in download.headers["Content-Disposition"] or \
            "dent on lid.jpg" in download.headers["Content-Disposition"]
    assert hashlib.sha256(body).hexdigest() == evidence.sha256
    # while the same object without the signature is refused: the bucket is not public
    with pytest.raises(urllib.error.HTTPError) as unsigned:
        urllib.request.urlopen(link.split("?")[0], timeout=10)
    assert unsigned.value.code == 403
