"""The Qt window of Cà Mau Desk. ``ui/qt.py`` is the only module importing PySide6."""
