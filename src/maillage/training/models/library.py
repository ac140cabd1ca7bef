"""The shared library: resources (files or links), their versions and their state history."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse

from maillage.partners.enums import labels
from maillage.training.enums import Audience, ResourceKind, ResourceStatus, TrainingTheme


def version_upload_to(instance, filename):
    # A random folder per version: names never collide and cannot be guessed from the title.
    return f"library/{instance.resource_id}/{uuid.uuid4().hex}/{filename}"


class Resource(models.Model):
    title = models.CharField("titre", max_length=200)
    summary = models.TextField("résumé")
    kind = models.CharField("type", max_length=20, choices=ResourceKind.choices)
    themes = models.JSONField("thèmes", default=list, blank=True)
    owner = models.ForeignKey(
        "partners.Organisation",
        verbose_name="opérateur propriétaire",
        on_delete=models.PROTECT,
        related_name="library_resources",
    )
    audience = models.CharField(
        "diffusion", max_length=20, choices=Audience.choices, default=Audience.PARTNERS
    )
    status = models.CharField(
        "état", max_length=20, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    download_count = models.PositiveIntegerField("téléchargements", default=0)
    # Filled by the services on PostgreSQL (French configuration, GIN index); unused on SQLite,
    # where the FTS5 table training_resource_fts plays this role.
    search_vector = SearchVectorField(null=True, editable=False)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = "ressource"
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "audience"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ResourceStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="resource_published_has_date",
                violation_error_message="Une ressource publiée a une date de publication.",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:resource_detail", args=[self.pk])

    def themes_labels(self):
        return labels(TrainingTheme, self.themes)

    @property
    def current_version(self):
        versions = getattr(self, "_prefetched_objects_cache", {}).get("versions")
        if versions is not None:
            return max(versions, key=lambda v: v.number, default=None)
        return self.versions.order_by("-number").first()


class ResourceVersion(models.Model):
    """One version: a stored file or a link. Versions are never edited, only added."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    file = models.FileField("fichier", upload_to=version_upload_to, blank=True, max_length=300)
    original_name = models.CharField("nom du fichier", max_length=200, blank=True)
    content_type = models.CharField("type de fichier", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("taille", default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField("lien", blank=True, max_length=500)
    note = models.CharField("ce qui change", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("ajoutée le", auto_now_add=True)
    download_count = models.PositiveIntegerField("téléchargements", default=0)

    class Meta:
        verbose_name = "version de ressource"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="resource_version_unique"),
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="resource_version_file_xor_link",
                violation_error_message="Une version est un fichier ou un lien, pas les deux.",
            ),
        ]

    def __str__(self):
        return f"{self.resource} — v{self.number}"

    @property
    def is_link(self):
        return bool(self.url)


class ResourceTransition(models.Model):
    """The state history of a resource: who moved it, from what, to what, why."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=ResourceStatus.choices)
    to_status = models.CharField(max_length=20, choices=ResourceStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField("commentaire", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "changement d'état"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.resource}: {self.from_status} → {self.to_status}"
