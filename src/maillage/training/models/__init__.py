"""Models of cross-training: the shared library and the training sessions."""

from maillage.training.models.certificates import Certificate
from maillage.training.models.library import Resource, ResourceTransition, ResourceVersion
from maillage.training.models.sessions import TrainingSession

__all__ = ["Certificate", "Resource", "ResourceTransition", "ResourceVersion", "TrainingSession"]
