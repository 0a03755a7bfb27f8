"""The map's drawing: coordinates rounded without drift, and colours that can be read."""

import re
from pathlib import Path

import pytest

from advisories.worldmap import LEVEL_COLOURS, country_shapes, round_path

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "advisories.css"


def absolute_points(data):
    """The end point of every segment of a path made of M and relative l segments."""
    points, x, y = [], 0.0, 0.0
    for command, numbers in re.findall(r"([Mlz])([^Mlz]*)", data):
        values = [float(value) for value in re.findall(r"-?\d+(?:\.\d+)?", numbers)]
        for dx, dy in zip(values[0::2], values[1::2], strict=True):
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            points.append((x, y))
    return points


def test_rounding_follows_the_exact_outline_without_adding_up_errors():
    # 200 steps of 0.4 to the right: rounding each step alone would draw nothing at all.
    exact = "m10.3 20.6" + "l0.4 0.0" * 200

    rounded = round_path(exact)

    end_x, end_y = absolute_points(rounded)[-1]
    assert (end_x, end_y) == (round(10.3 + 0.4 * 200), 21)


def test_short_curves_become_lines_and_vanished_segments_are_dropped():
    assert round_path("m100 100c0.1 0.1 0.2 0.2 0.3 0.3c1 1 1 1 1 1") == "M100 100l1 1"


def test_every_country_on_the_map_is_drawn_from_the_installed_package():
    view_box, shapes = country_shapes()

    assert view_box == "0 0 2475 1388"
    assert {"ir", "il", "kz", "us", "ru"} <= set(shapes)
    assert all(data.startswith("M") for data in shapes.values())
    assert sum(map(len, shapes.values())) < 300_000


def contrast(first, second):
    def luminance(colour):
        channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(first), luminance(second)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("level", LEVEL_COLOURS)
def test_the_text_on_each_level_colour_meets_wcag_aa(level):
    background, text = LEVEL_COLOURS[level]

    assert contrast(background, text) >= 4.5


def test_the_level_colours_are_told_apart_by_lightness_too():
    colours = [background for background, _text in LEVEL_COLOURS.values()]

    for index, first in enumerate(colours):
        for second in colours[index + 1 :]:
            assert contrast(first, second) >= 1.2, (first, second)


@pytest.mark.parametrize("level", LEVEL_COLOURS)
def test_the_stylesheet_uses_the_maps_colours(level):
    background, text = LEVEL_COLOURS[level]
    rule = f".level-{level or 'none'} {{ background-color: {background}; color: {text}; }}"

    assert rule in CSS.read_text()
