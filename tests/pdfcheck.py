"""Read a PDF the way a person's reader does: poppler's pdftotext and pdfinfo (no mock)."""

import shutil
import subprocess
import tempfile

import pytest


def _tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} manque : apt-get install poppler-utils (fait par .ci/run)")
    return path


def _run(name, content, *args):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        result = subprocess.run(
            [_tool(name), *args, handle.name, *(["-"] if name == "pdftotext" else [])],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    return result.stdout


def pdf_text(content):
    """The text of every page, whitespace collapsed."""
    assert content.startswith(b"%PDF-"), content[:40]
    return " ".join(_run("pdftotext", content, "-layout").split())


def pdf_info(content):
    info = {}
    for line in _run("pdfinfo", content).splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def assert_real_tagged_pdf(content, *expected):
    """A PDF that pdfinfo says is tagged, whose text holds each of `expected`."""
    info = pdf_info(content)
    assert info.get("Tagged") == "yes", info
    assert info.get("Title"), info
    text = pdf_text(content)
    for fragment in expected:
        assert fragment in text, (fragment, text[:500])
    return text
