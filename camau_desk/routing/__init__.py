"""Routing of incoming documents (issue 6): organisation, delegation, forwarding to the leader, tracking.

Modules: ``org`` (directory and CSV), ``delegation`` (ủy quyền through the
register log), ``forward`` (trình lãnh đạo), ``tracking`` (phân công, hạn,
sổ theo dõi giải quyết).  See docs/routing.md.
"""
