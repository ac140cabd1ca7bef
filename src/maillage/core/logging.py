"""Structured log lines: one event with its fields, never personal data."""

import json


def log_event(logger, event, **fields):
    logger.info(json.dumps({"event": event, **fields}, ensure_ascii=False, default=str))
