"""Pages of routing: public questionnaire, counsellor version, coordinator's rule management."""
