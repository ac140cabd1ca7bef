"""Pages of the governance area (committee content answers 404 to non-members)."""
