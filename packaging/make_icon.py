"""Draw the application icon: a blue emblem with "CM" over two waves (Cà Mau's coast).

Why drawn in code: no designer asset exists yet, and a script keeps the .ico
reproducible (every Windows size from one 1024 px master).  Needs Pillow only.

    python packaging/make_icon.py            -> packaging/camau_desk.ico, camau_desk.png
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "resources" / "fonts" / "NotoSans-Bold.ttf"
BLUE = (13, 71, 161, 255)  # the #0d47a1 of resources/icons/*.svg
LIGHT = (144, 202, 249, 255)
WHITE = (255, 255, 255, 255)
ICO_SIZES = [(16, 16), (20, 20), (24, 24), (32, 32), (40, 40), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = 1024) -> Image.Image:
    """The master image; smaller sizes are downsampled from it."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = size // 16
    d.rounded_rectangle((pad, pad, size - pad, size - pad), radius=size // 5, fill=BLUE)
    font = ImageFont.truetype(str(FONT), int(size * 0.42))
    text = "CM"
    box = d.textbbox((0, 0), text, font=font)
    w, h = box[2] - box[0], box[3] - box[1]
    d.text(((size - w) / 2 - box[0], size * 0.40 - h / 2 - box[1]), text, font=font, fill=WHITE)
    # two sine waves under the letters
    width = max(2, size // 28)
    x0, x1 = 2.2 * pad, size - 2.2 * pad
    for row, colour in ((0.70, LIGHT), (0.81, WHITE)):
        points = []
        for i in range(121):
            x = x0 + (x1 - x0) * i / 120
            points.append((x, size * row + size * 0.025 * math.sin(i / 120 * 4 * math.pi)))
        d.line(points, fill=colour, width=width, joint="curve")
    return img


def main(out_dir: Path = HERE) -> list[Path]:
    master = draw()
    png = out_dir / "camau_desk.png"
    ico = out_dir / "camau_desk.ico"
    master.resize((256, 256), Image.LANCZOS).save(png)
    master.save(ico, sizes=ICO_SIZES)
    return [png, ico]


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
