"""The Qt-free core: storage, the engagement model and everything the window and CLI share.

Nothing under this package may import PySide6 or pyqtgraph (an import-linter contract checks it).
"""
