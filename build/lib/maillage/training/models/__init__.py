"""Models of cross-training: the shared library and the training sessions."""

from maillage.training.models.library import Resource, ResourceTransition, ResourceVersion
from maillage.training.models.sessions import TrainingSession

__all__ = ["Resource", "ResourceTransition", "ResourceVersion", "TrainingSession"]
