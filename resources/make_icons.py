"""Draw the application icon's PNG sizes, the Windows .ico and the macOS .icns from
``icons/engage-desktop.svg`` (run after changing the SVG; the outputs are committed).

    python resources/make_icons.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).parent / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
PACKAGE_ICON = Path(__file__).parents[1] / "engage_desktop" / "ui" / "engage-desktop.png"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def write_ico(images: dict[int, QImage], path: Path) -> None:
    """A Windows icon holding every size as PNG (supported since Windows Vista)."""
    blobs = [(size, png_bytes(images[size])) for size in ICO_SIZES]
    header = struct.pack("<HHH", 0, 1, len(blobs))
    offset = len(header) + 16 * len(blobs)
    entries, data = b"", b""
    for size, blob in blobs:
        side = 0 if size >= 256 else size  # 0 means 256 in an icon directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob),
                               offset + len(data))
        data += blob
    path.write_bytes(header + entries + data)


def main() -> int:
    QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(HERE / "engage-desktop.svg"))
    if not renderer.isValid():
        print("The SVG could not be read.", file=sys.stderr)
        return 1
    images = {size: render(renderer, size) for size in SIZES}
    for size, image in images.items():
        image.save(str(HERE / f"engage-desktop-{size}.png"))
    write_ico(images, HERE / "engage-desktop.ico")
    if not images[512].save(str(HERE / "engage-desktop.icns")):
        print("No .icns written (Qt's icns plug-in is missing).", file=sys.stderr)
    images[256].save(str(PACKAGE_ICON))  # the window's icon, inside the package
    print(f"Wrote {len(images)} PNG sizes, engage-desktop.ico and .icns in {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
