"""The difference between two revisions of the minutes, line by line (difflib), for a page
that says in words what was added and removed (not colour only)."""

import difflib
from dataclasses import dataclass


def revision_lines(revision):
    """A revision as the lines a reader compares: general notes, then each agenda item."""
    lines = []
    if revision.text.strip():
        lines.append("Notes générales")
        lines.extend(revision.text.splitlines())
    for item in revision.items or []:
        lines.append(f"Point {item.get('number', '')} — {item.get('title', '')}")
        lines.extend((item.get("text") or "").splitlines())
        lines.extend(f"Décision : {d}" for d in item.get("decisions") or [])
        lines.extend(f"Action : {a}" for a in item.get("actions") or [])
    return [line for line in lines if line.strip()]


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def diff_lines(old, new):
    """Every line of both, marked same / removed / added, in reading order."""
    rows = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffLine("same", line) for line in old[i1:i2])
            continue
        rows.extend(DiffLine("removed", line) for line in old[i1:i2])
        rows.extend(DiffLine("added", line) for line in new[j1:j2])
    return rows


def diff_revisions(old_revision, new_revision):
    rows = diff_lines(revision_lines(old_revision), revision_lines(new_revision))
    return {
        "rows": rows,
        "added": sum(1 for r in rows if r.kind == "added"),
        "removed": sum(1 for r in rows if r.kind == "removed"),
    }
