"""The dashboard's icon, drawn here and served by the dashboard itself.

Streamlit turns a `:material/…:` page icon into an address at fonts.gstatic.com: every page view
would ask a third party for it. An image given as the page icon is served from the dashboard's
own media files instead, so no page makes a request to another host.
"""

from __future__ import annotations

import functools

from PIL import Image, ImageDraw

GREEN = (31, 94, 74, 255)


@functools.cache
def favicon() -> Image.Image:
    """A rising line on a green tile (64 × 64): the tracker's timeline, as the tab shows it."""
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 63, 63), radius=12, fill=GREEN)
    draw.line([(10, 46), (24, 30), (36, 38), (54, 16)], fill="white", width=6, joint="curve")
    return image
