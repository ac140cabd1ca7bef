"""Pages of cross-training, one module per subject."""
