"""Statuses are compared through their enums, in code and in templates (issue 17).

A literal (`status == "cancelled"`) keeps working after the status is renamed, silently taking
the other branch; an enum member that does not exist fails here instead.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.module_loading import import_string

from maillage.core.context_processors import enums

SRC = Path(__file__).resolve().parents[2] / "src" / "maillage"
TEMPLATES = sorted(SRC.rglob("templates/**/*.html"))
CODE = sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)

TEMPLATE_LITERAL = re.compile(
    r"status\s*(==|!=)\s*['\"][a-z_]+['\"]|['\"][a-z_]+['\"]\s*(==|!=)\s*[\w.]*status\b"
)
# The list filters' own keys ("all", "open", "overdue") are not statuses.
NOT_A_STATUS = r"(?!(all|open|overdue)['\"])"
CODE_LITERAL = re.compile(
    rf"\bstatus(__in|__exact)?\s*=\s*['\"]{NOT_A_STATUS}[a-z_]+['\"]"
    rf"|\.status\s*(==|!=)\s*['\"]{NOT_A_STATUS}[a-z_]+['\"]"
)
ENUM_USE = re.compile(r"\b([A-Z]\w*Status)\.([A-Z_]+)\b")


def test_the_templates_compare_no_status_with_a_literal():
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if TEMPLATE_LITERAL.search(line)
    ]
    assert found == []


def test_the_code_filters_and_compares_no_status_with_a_literal():
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in CODE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if CODE_LITERAL.search(line)
    ]
    assert found == []


def test_every_enum_member_a_template_names_exists():
    uses = {
        (match.group(1), match.group(2), path.relative_to(SRC))
        for path in TEMPLATES
        for match in ENUM_USE.finditer(path.read_text(encoding="utf-8"))
    }
    assert uses, "the templates compare statuses through their enums"
    missing = [
        f"{template}: {name}.{member}"
        for name, member, template in sorted(uses)
        if name not in settings.MAILLAGE_TEMPLATE_ENUMS
        or member not in import_string(settings.MAILLAGE_TEMPLATE_ENUMS[name]).names
    ]
    assert missing == []


@pytest.mark.parametrize("value, shown", [("cancelled", "annulé"), ("published", "ouvert")])
def test_a_template_branch_follows_the_enum(value, shown):
    template = Template("{% if status == EventStatus.CANCELLED %}annulé{% else %}ouvert{% endif %}")
    context = Context({"status": value, **enums(RequestFactory().get("/"))})
    assert template.render(context) == shown
