"""Reads of the indicators area: every figure comes from a Scope, a Period and a department."""
