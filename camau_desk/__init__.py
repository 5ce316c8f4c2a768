"""Cà Mau Desk core: mail, register, archive and routing without any Qt.

The window (``ui/``) and the command line (``camau_desk.cli``) are two faces of
this one library, so everything a clerk can do is testable headless.
"""

__version__ = "0.1.0"
APP_NAME = "Cà Mau Desk"
APP_ID = "camau-desk"
