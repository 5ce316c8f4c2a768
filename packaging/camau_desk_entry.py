"""Entry script of the frozen app: the frozen-app fixes first, then main.py's main().

Why not main.py directly: ``multiprocessing.freeze_support()`` must run before
anything else in a spawned child, and only after PyInstaller's own runtime hook
has patched it (custom runtime hooks run before PyInstaller's, so they are too
early).  The first statement of the entry script is the one reliable place.
"""

from __future__ import annotations

import sys

from camau_desk.frozen import prepare

if __name__ == "__main__":
    prepare()  # freeze_support (spawn children exit here), keyring backend, windowed streams

    from main import main

    sys.exit(main())
