"""The dashboard's SVG: text escaped, blanks drawn as gaps, an empty series said in words."""

from __future__ import annotations

from xml.etree import ElementTree

from opendata import charts


def test_names_are_escaped_and_the_svg_is_well_formed():
    chart = charts.utilisation_by_month(
        {'<script>alert("x")</script>': [("2026-10", 12.5), ("2026-11", None), ("2026-12", 20.0)]},
        title="T & <b>",
        description="D",
    )
    assert "<script>" not in chart.svg and "&lt;script&gt;" in chart.svg
    root = ElementTree.fromstring(chart.svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.find(f"{ns}title").text == "T & <b>"
    assert len(root.findall(f"{ns}circle")) == 2  # the blank month has no point
    assert root.findall(f"{ns}polyline") == []  # and breaks the line: two lone points


def test_an_all_blank_series_says_so_and_bars_show_a_dash():
    chart = charts.utilisation_by_month({"금천": [("2026-11", None)]}, title="t", description="d", empty="수치 없음")
    assert "수치 없음" in chart.svg
    bars = charts.utilisation_by_kind(
        [("재단실", None), ("샘플실", 40.0)], title="t", description="d", colour_index=0, ident="k"
    )
    ElementTree.fromstring(bars.svg)
    assert "–" in bars.svg and "40%" in bars.svg
