"""The drift plot lays its panels out without one panel's input names running into the next panel's bars."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from services.compliance.plots import drift, drift_figure

LONG = [f"a_rather_long_input_name_{i:02d}" for i in range(28)]


def table(versions: dict[tuple[str, str], list[str]]) -> pd.DataFrame:
    rows = [
        {"model": model, "version": version, "input": name, "psi": 0.05 * (i % 7)}
        for (model, version), names in versions.items()
        for i, name in enumerate(names)
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "versions",
    [
        {("fraud", "3"): LONG, ("fraud", "4"): LONG},  # one input set: the names once, on the left
        {("fraud", "4"): LONG, ("severity", "2"): [f"other_{n}" for n in LONG[:12]]},  # different sets
        {("fraud", "3"): LONG, ("fraud", "4"): LONG, ("fraud", "5"): LONG},
    ],
)
def test_drift_panels_do_not_overlap(versions: dict[tuple[str, str], list[str]]) -> None:
    figure = drift_figure(table(versions))
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = [ax.get_tightbbox(renderer) for ax in figure.axes]  # each panel with its tick labels and title
    assert len(boxes) == len(versions)
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left.x1 <= right.x0, f"panel ending at {left.x1:.0f} px runs into the next at {right.x0:.0f} px"
    width, height = figure.bbox.width, figure.bbox.height
    assert all(b.x0 >= 0 and b.x1 <= width + 1 and b.y0 >= 0 and b.y1 <= height + 1 for b in boxes)


def test_the_drift_plot_is_a_png_of_the_figure() -> None:
    image = Image.open(io.BytesIO(drift(table({("fraud", "3"): LONG}))))
    assert image.format == "PNG" and image.width > 600 and image.height > 400
