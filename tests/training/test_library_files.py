"""Files: allow-listed types checked on content, size limit, served as counted attachments."""

import pytest
from django.utils import timezone

from maillage.core.errors import DomainError
from maillage.training.enums import Audience, ResourceStatus
from maillage.training.models import Resource
from maillage.training.services import library as services
from tests.factories import MembershipFactory
from tests.training.factories import PDF_BYTES, pdf_upload

pytestmark = pytest.mark.django_db


def _create(membership, upload):
    return services.resource_create(
        actor=membership.user,
        membership=membership,
        title="Fiche",
        summary="Résumé",
        kind="fiche",
        audience=Audience.PUBLIC,
        file=upload,
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>", "type de fichier"),
        ("image.svg", b"<svg onload='alert(1)'/>", "type de fichier"),
        ("programme.exe", b"MZ\x90\x00", "type de fichier"),
        ("faux.pdf", b"<html>pas un pdf</html>", "ne correspond pas"),
        ("vide.pdf", b"", "vide"),
        ("binaire.txt", b"abc\x00def", "ne correspond pas"),
    ],
)
def test_a_file_outside_the_allow_list_is_refused(name, content, message):
    with pytest.raises(DomainError, match=message) as caught:
        _create(MembershipFactory(), pdf_upload(name, content))
    assert caught.value.field == "file"
    assert not Resource.objects.exists()


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.MAILLAGE_LIBRARY_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(DomainError, match="taille maximale"):
        _create(MembershipFactory(), pdf_upload(content=PDF_BYTES + b"0" * 2000))


def test_a_download_is_an_attachment_never_sniffed_and_is_counted(client):
    membership = MembershipFactory()
    resource = _create(membership, pdf_upload("Fiche métier é.pdf"))
    Resource.objects.filter(pk=resource.pk).update(
        status=ResourceStatus.PUBLISHED, published_at=timezone.now()
    )
    response = client.get(f"/bibliotheque/{resource.pk}/telecharger/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Fiche" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF_BYTES
    client.get(f"/bibliotheque/{resource.pk}/telecharger/")
    resource.refresh_from_db()
    assert resource.download_count == 2
    assert resource.versions.get().download_count == 2


def test_files_go_through_django_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "stockage"
    resource = _create(MembershipFactory(), pdf_upload())
    version = resource.versions.get()
    assert version.file.name.startswith(f"library/{resource.pk}/")
    assert (tmp_path / "stockage" / version.file.name).read_bytes() == PDF_BYTES
    assert len(version.sha256) == 64 and version.size == len(PDF_BYTES)


def test_another_storage_backend_is_a_setting_away(settings, client, tmp_path):
    # What an S3-compatible store does (django-storages' S3Storage): nothing on the disk.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "should-stay-empty"
    membership = MembershipFactory()
    resource = _create(membership, pdf_upload())
    Resource.objects.filter(pk=resource.pk).update(
        status=ResourceStatus.PUBLISHED, published_at=timezone.now()
    )
    assert not (tmp_path / "should-stay-empty").exists()
    response = client.get(f"/bibliotheque/{resource.pk}/telecharger/")
    assert b"".join(response.streaming_content) == PDF_BYTES
