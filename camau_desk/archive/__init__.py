"""The offline mirror of every document sent and received (R6.2, R7.1a-1).

Modules here turn register entries and mail into a browsable folder tree that a
clerk can open in Explorer when the network or the mail server is down:
``naming`` makes every path Windows-safe and inside the mirror root
(invariant 5); the mirror writer, watcher, text extraction and search index
live in sibling modules.
"""
