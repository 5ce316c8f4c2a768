"""The one place that imports PySide6 (pattern of Anki's ``aqt.qt``).

Why: the core must stay importable without Qt, and a single import point makes
a binding upgrade (or a switch of binding) a one-file change.  Everything in
``ui/`` does ``from ui.qt import ...``.
"""

from __future__ import annotations

import PySide6 as _pyside6
from PySide6.QtCore import *  # noqa: F401,F403
from PySide6.QtCore import QCoreApplication, Signal, Slot  # noqa: F401
from PySide6.QtGui import *  # noqa: F401,F403
from PySide6.QtNetwork import QLocalServer, QLocalSocket  # noqa: F401
from PySide6.QtWidgets import *  # noqa: F401,F403

PYSIDE_VERSION: str = _pyside6.__version__

