"""Server-side SVG charts: accessible, never drawing a hidden count to scale."""

import re

from maillage.indicators import charts


def test_a_bar_chart_is_an_image_with_a_title_and_a_pointer_to_its_table():
    svg = charts.hbar(title="Orientations", categories=["Alpha"], series=[("Envoyées", [12])])
    assert svg.startswith("<svg") and 'role="img"' in svg
    labelled = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    assert all(f'id="{ident}"' in svg for ident in labelled)
    assert "<title" in svg and "tableau associé" in svg
    assert "style=" not in svg  # the CSP forbids inline styles


def test_a_hidden_count_is_labelled_and_not_drawn():
    svg = charts.hbar(title="T", categories=["Alpha", "Beta"], series=[("N", [3, 40])])
    assert svg.count("<rect") == 1  # Beta's bar only
    assert "&lt; 5" in svg and ">40<" in svg


def test_a_heatmap_marks_hidden_and_masked_cells_without_their_value():
    svg = charts.heatmap(
        title="Flux",
        row_labels=["A", "B"],
        column_labels=["A", "B"],
        matrix=[["", 3], [charts.MASKED, ""]],
    )
    assert "&lt; 5" in svg and "masqué" in svg
    assert ">3<" not in svg


def test_labels_are_escaped():
    svg = charts.hbar(title="<script>", categories=["<b>"], series=[("x", [10])])
    assert "<script>" not in svg and "<b>" not in svg


def test_days_are_not_counts_and_are_never_hidden():
    svg = charts.hbar(
        title="Délais", categories=["Alpha"], series=[("Médiane", [2])], unit=" j", counts=False
    )
    assert ">2 j<" in svg and "&lt; 5" not in svg and svg.count("<rect") == 1
