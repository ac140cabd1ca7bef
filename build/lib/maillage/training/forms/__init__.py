"""Forms of cross-training, one module per subject."""
