"""The world map of advice levels, drawn on the server as SVG.

The country shapes come from pygal_maps_world's worldmap.svg (LGPL; read
from the installed package, not copied here): one `<g class="ir country">`
of paths per country, lowercase ISO alpha-2. Its 778 KB are too much for a
slow phone, so each country's paths are merged into one and their
coordinates rounded to a grid of MAP_GRID units of the 2475-unit-wide drawing
(a pixel or less on a phone or a laptop). Rounding is done on absolute
positions, so errors do not add up along a coastline.
"""

import re
from functools import lru_cache
from importlib.resources import files
from xml.etree import ElementTree

SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"

# The colour of each level on the map and in the legend, with the colour of
# text written on it (contrast 4.5:1 or more, tested). The lightness steps
# keep them apart for colour-blind readers too; the level is also always
# written out in words beside the colour.
LEVEL_COLOURS = {
    None: ("#e6e6e6", "#000000"),  # no advisory
    1: ("#2a6ebb", "#ffffff"),
    2: ("#f5c400", "#000000"),
    3: ("#e8710a", "#000000"),
    4: ("#a3161a", "#ffffff"),
}

# Coordinates are rounded to multiples of this many units and written divided by it; the map's template
# scales the drawing back (transform="scale(2)"). 2 halves the map's weight (40 KB compressed, not 72 KB),
# which keeps the advisories index under 100 KB on a first visit.
MAP_GRID = 2

_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# How many numbers each path command takes.
_ARITY = {"m": 2, "l": 2, "t": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "z": 0}


def _join(numbers):
    text = ""
    for number in map(str, numbers):
        text += number if not text or number.startswith("-") else " " + number
    return text


def round_path(data, grid=1):
    """The path data with coordinates rounded to multiples of `grid` (written divided by it), as absolute moves
    and relative segments."""
    tokens = _TOKEN.findall(data)
    out = []
    drawing = None  # the last command letter written: SVG lets it repeat implicitly
    x = y = 0.0  # the exact current point
    rx = ry = 0  # the rounded current point, as drawn
    start = (0.0, 0.0, 0, 0)
    command = None
    index = 0
    while index < len(tokens):
        if tokens[index].isalpha():
            command = tokens[index]
            index += 1
            if command in "zZ":
                out.append("z")
                drawing = "z"
                x, y, rx, ry = start
                continue
            continue
        letter = command.lower()
        arity = _ARITY[letter]
        numbers = [float(token) for token in tokens[index : index + arity]]
        index += arity
        relative = command.islower() and not (letter == "m" and not out)
        if letter == "h":
            numbers = [numbers[0], 0.0 if relative else y]
        elif letter == "v":
            numbers = [0.0 if relative else x, numbers[0]]
        points = []
        for px, py in zip(numbers[0::2], numbers[1::2], strict=True):
            points.append((x + px, y + py) if relative else (px, py))
        end_x, end_y = points[-1]
        rounded = [(round(px / grid), round(py / grid)) for px, py in points]
        if letter == "m":
            out.append("M" + _join(rounded[0]))
            drawing = "M"
            x, y = end_x, end_y
            rx, ry = rounded[0]
            start = (x, y, rx, ry)
            command = "l" if command == "m" else "L"  # further pairs are line segments
            continue
        offsets = [value for qx, qy in rounded for value in (qx - rx, qy - ry)]
        x, y = end_x, end_y
        if not any(offsets):
            continue  # shrank to nothing at this precision
        draw = "l" if letter in {"h", "v"} else letter
        if draw in {"c", "s", "q"} and max(map(abs, offsets)) <= 2:
            # A curve this short is a straight line at this precision.
            draw, offsets = "l", offsets[-2:]
            if not any(offsets):
                continue
        numbers_text = _join(offsets)
        if draw != drawing:
            out.append(draw + numbers_text)
        else:
            out.append(numbers_text if numbers_text.startswith("-") else " " + numbers_text)
        drawing = draw
        rx, ry = rounded[-1]
    return "".join(out)


@lru_cache(maxsize=1)
def country_shapes():
    """(view box, {lowercase ISO code: path data}) from the installed pygal_maps_world."""
    source = (files("pygal_maps_world") / "worldmap.svg").read_text(encoding="utf-8")
    root = ElementTree.fromstring(source)
    shapes = {}
    for group in root.iter(f"{SVG_NAMESPACE}g"):
        classes = group.get("class", "").split()
        if "country" not in classes:
            continue
        code = classes[0]
        shapes[code] = "".join(
            round_path(path.get("d", ""), grid=MAP_GRID) for path in group.iter(f"{SVG_NAMESPACE}path")
        )
    return root.get("viewBox"), shapes
